#include "sync/neo/neo_origin.h"

#include "sync/neo/neo_session_errors.h"

namespace odis::sync {

namespace {

bool hasControlCharacter(const QString& text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            return true;
        }
    }
    return false;
}

} // namespace

Result<NeoOrigin> NeoOrigin::fromBaseUrl(const QUrl& baseUrl)
{
    if (!baseUrl.isValid() || baseUrl.scheme() != QLatin1StringView("https") || baseUrl.host().isEmpty()) {
        return fail(QString(neo_session_error::kConfigInvalid),
                    QStringLiteral("the Neo base URL must be an absolute https URL with a host"));
    }
    if (!baseUrl.userInfo().isEmpty() || baseUrl.hasQuery() || baseUrl.hasFragment()) {
        return fail(QString(neo_session_error::kConfigInvalid),
                    QStringLiteral("the Neo base URL must not carry user info, a query or a fragment"));
    }
    QUrl origin;
    origin.setScheme(QStringLiteral("https"));
    origin.setHost(baseUrl.host().toLower());
    if (baseUrl.port(443) != 443) {
        origin.setPort(baseUrl.port());
    }
    return NeoOrigin(origin);
}

bool NeoOrigin::contains(const QUrl& url) const
{
    return url.isValid() && url.scheme() == m_url.scheme() &&
           url.host().compare(m_url.host(), Qt::CaseInsensitive) == 0 && url.port(443) == port();
}

Result<QUrl> NeoOrigin::resolve(const QString& pathAndQuery) const
{
    const bool plainPath = pathAndQuery.startsWith(QLatin1Char('/')) &&
                           !pathAndQuery.startsWith(QStringLiteral("//")) &&
                           !pathAndQuery.contains(QLatin1Char('\\')) &&
                           !pathAndQuery.contains(QLatin1Char('#')) && !hasControlCharacter(pathAndQuery);
    if (!plainPath) {
        return fail(QString(neo_session_error::kConfigInvalid),
                    QStringLiteral("a Neo call must name an absolute path on the Neo origin"));
    }
    const QUrl relative(pathAndQuery, QUrl::StrictMode);
    if (!relative.isValid() || !relative.isRelative() || relative.path().contains(QStringLiteral("/.."))) {
        return fail(QString(neo_session_error::kConfigInvalid),
                    QStringLiteral("a Neo call path is malformed"));
    }
    const QUrl absolute = m_url.resolved(relative);
    if (!contains(absolute)) {
        return fail(QString(neo_session_error::kConfigInvalid),
                    QStringLiteral("a Neo call path resolves outside the Neo origin"));
    }
    return absolute;
}

} // namespace odis::sync
