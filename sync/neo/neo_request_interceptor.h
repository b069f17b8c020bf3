#pragma once

#include "sync/neo/neo_origin.h"

#include <QWebEngineUrlRequestInterceptor>

namespace odis::sync {

// Every request the session's profile makes passes here (Qt 6 calls it on the UI thread). Only the Neo
// origin is reachable, and only for what a data session needs: documents, scripts, style sheets and
// fetch/XHR. Images, fonts, media, favicons, plugins, pings, prefetches and anything unknown are never
// fetched: they cost bandwidth and memory, and a tracking pixel or a third-party font would leak that
// the clinic's workstation is reading Neo right now.
class NeoRequestInterceptor final : public QWebEngineUrlRequestInterceptor
{
    Q_OBJECT

public:
    explicit NeoRequestInterceptor(NeoOrigin origin, QObject* parent = nullptr);

    void interceptRequest(QWebEngineUrlRequestInfo& info) override;

    // Counts for diagnostics and tests (ids and counts only, never URLs: they may carry clinic ids).
    [[nodiscard]] int blockedForeignOrigin() const { return m_blockedForeignOrigin; }
    [[nodiscard]] int blockedResourceType() const { return m_blockedResourceType; }

    [[nodiscard]] static bool isAllowedResourceType(int resourceType);

private:
    NeoOrigin m_origin;
    int m_blockedForeignOrigin = 0;
    int m_blockedResourceType = 0;
};

} // namespace odis::sync
