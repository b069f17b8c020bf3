#pragma once

#include "sync/neo/neo_origin.h"

#include <QObject>

#include <memory>

class QWebEngineProfile;

namespace odis::sync {

class NeoRequestInterceptor;
class SessionCookieWatch;

// The browser profile of one Neo session: off the record (cookies, cache and storage live in memory
// only and vanish with it), locked to the Neo origin by a request interceptor, no downloads, no
// spell checking, no persistent anything. Pages made on it must be deleted before it (QtWebEngine
// warns and may crash otherwise); NeoSession guarantees that order.
class NeoProfile final : public QObject
{
    Q_OBJECT

public:
    explicit NeoProfile(const NeoOrigin& origin, QObject* parent = nullptr);
    ~NeoProfile() override;

    [[nodiscard]] QWebEngineProfile* profile() const { return m_profile; }
    [[nodiscard]] SessionCookieWatch& cookies() const { return *m_cookies; }
    [[nodiscard]] const NeoRequestInterceptor& interceptor() const { return *m_interceptor; }
    [[nodiscard]] int refusedDownloads() const { return m_refusedDownloads; }

private:
    void applySettings();

    NeoRequestInterceptor* m_interceptor = nullptr; // child of this, outlives the profile
    QWebEngineProfile* m_profile = nullptr;         // child of this
    SessionCookieWatch* m_cookies = nullptr;        // child of this
    int m_refusedDownloads = 0;
};

} // namespace odis::sync
