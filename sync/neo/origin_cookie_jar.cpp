#include "sync/neo/origin_cookie_jar.h"

#include "sync/neo/session_handover.h"

#include <QWebEngineCookieStore>

namespace odis::sync {

namespace {

QByteArray keyOf(const QNetworkCookie& cookie)
{
    return cookie.name() + '\n' + cookie.domain().toLower().toUtf8() + '\n' + cookie.path().toUtf8();
}

} // namespace

OriginCookieJar::OriginCookieJar(NeoOrigin origin, QWebEngineCookieStore* store, QObject* parent)
    : QObject(parent)
    , m_origin(std::move(origin))
{
    connect(store, &QWebEngineCookieStore::cookieAdded, this, &OriginCookieJar::onAdded);
    connect(store, &QWebEngineCookieStore::cookieRemoved, this, &OriginCookieJar::onRemoved);
}

OriginCookieJar::~OriginCookieJar()
{
    clear();
}

QList<QNetworkCookie> OriginCookieJar::cookies(const QDateTime& nowUtc) const
{
    QList<QNetworkCookie> live;
    for (const QNetworkCookie& c : m_cookies) {
        if (c.isSessionCookie() || c.expirationDate() > nowUtc)
            live.append(c);
    }
    return live;
}

void OriginCookieJar::clear()
{
    for (QNetworkCookie& c : m_cookies) {
        QByteArray value = c.value();
        c.setValue(QByteArray());
        wipeBytes(value);
    }
    m_cookies.clear();
}

void OriginCookieJar::onAdded(const QNetworkCookie& cookie)
{
    if (cookieBelongsTo(cookie, m_origin) && !cookie.value().isEmpty())
        m_cookies.insert(keyOf(cookie), cookie);
}

void OriginCookieJar::onRemoved(const QNetworkCookie& cookie)
{
    m_cookies.remove(keyOf(cookie));
}

} // namespace odis::sync
