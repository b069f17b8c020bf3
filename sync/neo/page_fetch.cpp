#include "sync/neo/page_fetch.h"

#include "sync/neo/login_verdict.h"
#include "sync/neo/neo_page.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_script_calls.h"
#include "sync/neo/page_scripts.h"

#include <QJsonObject>

#include <algorithm>

namespace odis::sync {

Result<PageFetchResult> parseFetchAnswer(const QJsonValue& answer)
{
    const QJsonObject object = answer.toObject();
    const QJsonValue status = object.value(QLatin1StringView("status"));
    if (!answer.isObject() || !status.isDouble()) {
        return fail(QString(neo_session_error::kScriptFailed),
                    QStringLiteral("the fetch script gave no status"));
    }
    const int httpStatus = status.toInt();
    if (httpStatus == 0) {
        const QString failure = object.value(QLatin1StringView("failure")).toString();
        if (failure == QLatin1StringView("timeout")) {
            return fail(QString(neo_session_error::kCallTimeout),
                        QStringLiteral("Neo did not answer the call in time"));
        }
        if (failure == QLatin1StringView("origin")) {
            return fail(QString(neo_session_error::kConfigInvalid),
                        QStringLiteral("a call left the Neo origin"));
        }
        return fail(QString(neo_session_error::kNetworkError),
                    QStringLiteral("the call got no HTTP answer from Neo"));
    }
    PageFetchResult result;
    result.response.httpStatus = httpStatus;
    result.response.contentType = object.value(QLatin1StringView("contentType")).toString().toUtf8();
    result.response.body = object.value(QLatin1StringView("body")).toString().toUtf8();
    result.response.retryAfter = object.value(QLatin1StringView("retryAfter")).toString().toUtf8();
    result.response.invalidUtf8 = object.value(QLatin1StringView("invalidUtf8")).toBool();
    if (object.value(QLatin1StringView("tooLarge")).toBool()) {
        result.response.body.clear();
        result.response.tooLargeBytes =
            std::max<qint64>(1, qint64(object.value(QLatin1StringView("bytes")).toDouble()));
    }
    result.finalUrl = QUrl(object.value(QLatin1StringView("url")).toString());
    result.redirected = object.value(QLatin1StringView("redirected")).toBool();
    return result;
}

bool isSessionExpired(const PageFetchResult& result)
{
    const int status = result.response.httpStatus;
    if (status == 401 || status == 419) {
        return true;
    }
    if (result.finalUrl.isValid() && isLoginPath(result.finalUrl.path())) {
        return true;
    }
    return looksLikeNeoLoginPage(result.response.body);
}

void startPageFetch(NeoPage& page, const QString& path, std::chrono::milliseconds timeout,
                    std::chrono::milliseconds grace, qint64 maxBytes,
                    std::function<void(Result<PageFetchResult>)> done)
{
    auto script = page_scripts::source(page_scripts::kFetch);
    if (!script) {
        QMetaObject::invokeMethod(
            &page, [done = std::move(done), error = script.error()] { done(std::unexpected(error)); },
            Qt::QueuedConnection);
        return;
    }
    const QJsonObject args{{QStringLiteral("path"), path},
                           {QStringLiteral("timeoutMs"), qint64(timeout.count())},
                           {QStringLiteral("maxBytes"), maxBytes}};
    page.calls().runAsync(*script, args, timeout + grace,
                          [done = std::move(done)](const Result<QJsonValue>& answer) {
                              if (!answer) {
                                  done(propagate(answer));
                                  return;
                              }
                              done(parseFetchAnswer(*answer));
                          });
}

} // namespace odis::sync
