#include "tests/sim/neo/neo_http.h"

#include <QJsonObject>
#include <QList>

namespace odis::sim::neo {

SimResponse htmlResponse(int status, const QByteArray& html)
{
    SimResponse r;
    r.status = status;
    r.body = html;
    r.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html; charset=utf-8"));
    r.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return r;
}

SimResponse jsonBodyResponse(int status, const QByteArray& json)
{
    SimResponse r;
    r.status = status;
    r.body = json;
    r.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    r.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return r;
}

SimResponse redirectTo(const QByteArray& location)
{
    SimResponse r = SimResponse::noBody(302);
    r.setHeader(QByteArrayLiteral("Location"), location);
    return r;
}

QByteArray cookieValue(const SimRequest& request, QByteArrayView name)
{
    for (const auto& [key, value] : request.headers) {
        if (key.compare(QByteArrayLiteral("Cookie"), Qt::CaseInsensitive) != 0) {
            continue;
        }
        const QList<QByteArray> pairs = value.split(';');
        for (const QByteArray& pair : pairs) {
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0 && pair.left(eq).trimmed() == name) {
                return pair.mid(eq + 1).trimmed();
            }
        }
    }
    return {};
}

void setCookie(SimResponse& response, const QByteArray& name, const QByteArray& value, bool secure)
{
    QByteArray cookie = name + '=' + value + QByteArrayLiteral("; Path=/; HttpOnly; SameSite=Lax");
    if (value.isEmpty()) {
        cookie += QByteArrayLiteral("; Max-Age=0");
    }
    if (secure) {
        cookie += QByteArrayLiteral("; Secure");
    }
    // Appended, not set: a response may carry several cookies.
    response.headers.append({QByteArrayLiteral("Set-Cookie"), cookie});
}

QUrlQuery formFields(const QByteArray& body)
{
    QByteArray encoded = body;
    encoded.replace('+', QByteArrayLiteral("%20"));
    return QUrlQuery(QString::fromUtf8(encoded));
}

QString formValue(const QUrlQuery& form, const QString& name)
{
    return form.queryItemValue(name, QUrl::FullyDecoded);
}

bool isXmlHttpRequest(const SimRequest& request)
{
    return request.header("X-Requested-With").trimmed().compare("XMLHttpRequest", Qt::CaseInsensitive) == 0;
}

bool acceptsJson(const SimRequest& request)
{
    return request.header("Accept").toLower().contains("application/json") || isXmlHttpRequest(request);
}

SessionState touchSession(NeoState& state, const SimRequest& request)
{
    return state.sessions.touch(cookieValue(request, kSessionCookie), state.now());
}

SimResponse sessionRequiredForJson(const NeoState& state, const SimRequest& request, SessionState session)
{
    const bool unauthorized = state.variants.expiry == ExpiryMode::Unauthorized ||
                              (state.variants.expiry == ExpiryMode::Auto && acceptsJson(request));
    if (!unauthorized) {
        return redirectTo(QByteArrayLiteral("/login"));
    }
    const bool expired = session == SessionState::IdleExpired || session == SessionState::AbsoluteExpired;
    return SimResponse::json(
        401, QJsonObject{
                 {QStringLiteral("error"),
                  expired ? QStringLiteral("session_expired") : QStringLiteral("not_authenticated")},
                 {QStringLiteral("message"),
                  expired ? QStringLiteral("Your session has expired.") : QStringLiteral("Please log in.")},
             });
}

SimResponse sessionRequiredForPage()
{
    return redirectTo(QByteArrayLiteral("/login"));
}

void recordJsonHeaders(NeoState& state, const SimRequest& request)
{
    NeoHeaderStats& stats = state.headerStats[request.routeName];
    stats.lastAcceptJson = request.header("Accept").toLower().contains("application/json");
    stats.lastXRequestedWith = isXmlHttpRequest(request);
    ++stats.total;
    stats.acceptJson += stats.lastAcceptJson ? 1 : 0;
    stats.xRequestedWith += stats.lastXRequestedWith ? 1 : 0;
}

} // namespace odis::sim::neo
