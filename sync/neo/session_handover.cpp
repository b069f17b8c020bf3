#include "sync/neo/session_handover.h"

#include "storage/codes/neo_codes.h"
#include "sync/neo/session_cookie_watch.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebEngineCookieStore>

namespace odis::sync {

namespace {

const QString kCookies = QStringLiteral("neo_session_cookies");

Error invalid(const QString& why)
{
    return Error{codes::kNeoHandoverInvalid,
                 QStringLiteral("the handed IDEXX Neo session cannot be read: %1").arg(why)};
}

} // namespace

bool cookieBelongsTo(const QNetworkCookie& cookie, const NeoOrigin& origin)
{
    QString domain = cookie.domain().toLower();
    const bool domainCookie = domain.startsWith(u'.');
    if (domainCookie)
        domain.remove(0, 1);
    const QString host = origin.host().toLower();
    if (domain.isEmpty())
        return false; // whose it is cannot be told
    return domain == host || (domainCookie && host.endsWith(u'.' + domain));
}

QByteArray encodeSessionHandover(const QList<QNetworkCookie>& cookies)
{
    QJsonArray list;
    for (const QNetworkCookie& c : cookies) {
        list.append(QJsonObject{
            {QStringLiteral("name"), QString::fromLatin1(c.name().toBase64())},
            {QStringLiteral("value"), QString::fromLatin1(c.value().toBase64())},
            {QStringLiteral("domain"), c.domain()},
            {QStringLiteral("path"), c.path()},
            {QStringLiteral("secure"), c.isSecure()},
            {QStringLiteral("http_only"), c.isHttpOnly()},
            {QStringLiteral("same_site"), static_cast<int>(c.sameSitePolicy())},
            {QStringLiteral("expires"), c.isSessionCookie()
                                            ? QJsonValue()
                                            : QJsonValue(c.expirationDate().toUTC().toString(Qt::ISODate))},
        });
    }
    return QJsonDocument(QJsonObject{{kCookies, list}}).toJson(QJsonDocument::Compact) + '\n';
}

Result<QList<QNetworkCookie>> decodeSessionHandover(const QByteArray& bytes)
{
    if (bytes.size() > kMaxSessionHandoverBytes)
        return std::unexpected(invalid(QStringLiteral("more than %1 bytes").arg(kMaxSessionHandoverBytes)));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.trimmed(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject() || !doc.object().value(kCookies).isArray())
        return std::unexpected(invalid(QStringLiteral("not a handover")));
    QList<QNetworkCookie> cookies;
    for (const QJsonValue v : doc.object().value(kCookies).toArray()) {
        const QJsonObject o = v.toObject();
        const QByteArray name = QByteArray::fromBase64(o.value(QStringLiteral("name")).toString().toLatin1());
        if (name.isEmpty())
            return std::unexpected(invalid(QStringLiteral("a cookie without a name")));
        QNetworkCookie c(name,
                         QByteArray::fromBase64(o.value(QStringLiteral("value")).toString().toLatin1()));
        c.setDomain(o.value(QStringLiteral("domain")).toString());
        c.setPath(o.value(QStringLiteral("path")).toString());
        c.setSecure(o.value(QStringLiteral("secure")).toBool());
        c.setHttpOnly(o.value(QStringLiteral("http_only")).toBool());
        const int sameSite = o.value(QStringLiteral("same_site")).toInt();
        if (sameSite >= static_cast<int>(QNetworkCookie::SameSite::Default) &&
            sameSite <= static_cast<int>(QNetworkCookie::SameSite::Strict))
            c.setSameSitePolicy(static_cast<QNetworkCookie::SameSite>(sameSite));
        if (const QString expires = o.value(QStringLiteral("expires")).toString(); !expires.isEmpty())
            c.setExpirationDate(QDateTime::fromString(expires, Qt::ISODate));
        cookies.append(c);
    }
    return cookies;
}

int seedSessionCookies(QWebEngineCookieStore& store, const NeoOrigin& origin,
                       const QList<QNetworkCookie>& cookies)
{
    int sessions = 0;
    for (QNetworkCookie c : cookies) {
        if (!cookieBelongsTo(c, origin))
            continue;
        // A host-only cookie (no leading dot) is set for the origin's URL without a Domain attribute, as
        // Neo set it; a Domain attribute would widen it to the host's subdomains.
        if (!c.domain().startsWith(u'.'))
            c.setDomain(QString());
        if (SessionCookieWatch::isSessionCookie(c, origin) && !c.value().isEmpty())
            ++sessions;
        store.setCookie(c, origin.url());
    }
    return sessions;
}

void wipeBytes(QByteArray& bytes)
{
    bytes.fill('\0');
    bytes.clear();
}

} // namespace odis::sync
