#pragma once

// The cookies a profile holds for the Neo origin, as its cookie store reports them (QtWebEngine has no
// call that lists them): what the setup window hands to the first sync run (session_handover.h). Only
// cookies that belong to the locked origin are kept; values are never logged.

#include "sync/neo/neo_origin.h"

#include <QDateTime>
#include <QHash>
#include <QNetworkCookie>
#include <QObject>

class QWebEngineCookieStore;

namespace odis::sync {

class OriginCookieJar final : public QObject
{
    Q_OBJECT

public:
    // Listens from now on: make it with the profile, before any page loads. It must go before `store`.
    OriginCookieJar(NeoOrigin origin, QWebEngineCookieStore* store, QObject* parent = nullptr);
    ~OriginCookieJar() override;

    // The origin's cookies that have not expired at `nowUtc`.
    [[nodiscard]] QList<QNetworkCookie> cookies(const QDateTime& nowUtc) const;
    // Forgets every value (wiped).
    void clear();

private:
    void onAdded(const QNetworkCookie& cookie);
    void onRemoved(const QNetworkCookie& cookie);

    NeoOrigin m_origin;
    QHash<QByteArray, QNetworkCookie> m_cookies; // by name, domain and path
};

} // namespace odis::sync
