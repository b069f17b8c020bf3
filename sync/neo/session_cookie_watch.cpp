#include "sync/neo/session_cookie_watch.h"

#include <QNetworkCookie>
#include <QWebEngineCookieStore>

namespace odis::sync {

SessionCookieWatch::SessionCookieWatch(NeoOrigin origin, QWebEngineCookieStore* store, QObject* parent)
    : QObject(parent)
    , m_origin(std::move(origin))
{
    connect(store, &QWebEngineCookieStore::cookieAdded, this, &SessionCookieWatch::onAdded);
    connect(store, &QWebEngineCookieStore::cookieRemoved, this, &SessionCookieWatch::onRemoved);
}

bool SessionCookieWatch::isSessionCookie(const QNetworkCookie& cookie, const NeoOrigin& origin)
{
    if (!cookie.name().toLower().contains("session")) {
        return false;
    }
    QString domain = cookie.domain().toLower();
    if (domain.startsWith(QLatin1Char('.'))) {
        domain.remove(0, 1);
    }
    const QString host = origin.host().toLower();
    return domain.isEmpty() || domain == host || host.endsWith(QLatin1Char('.') + domain);
}

void SessionCookieWatch::onAdded(const QNetworkCookie& cookie)
{
    if (!isSessionCookie(cookie, m_origin) || cookie.value().isEmpty()) {
        return;
    }
    m_present.insert(cookie.name());
    ++m_generation;
    Q_EMIT sessionCookieSet();
}

void SessionCookieWatch::onRemoved(const QNetworkCookie& cookie)
{
    if (isSessionCookie(cookie, m_origin)) {
        m_present.remove(cookie.name());
    }
}

} // namespace odis::sync
