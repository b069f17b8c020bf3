#include "sync/backend/backend_reply.h"

#include "sync/core/retry_after.h"

#include <QJsonParseError>

#include <algorithm>

namespace odis::sync {

QString backendOutcomeName(BackendOutcome outcome)
{
    switch (outcome) {
    case BackendOutcome::Ok:
        return QStringLiteral("ok");
    case BackendOutcome::Transient:
        return QStringLiteral("transient");
    case BackendOutcome::AuthRevoked:
        return QStringLiteral("auth_revoked");
    case BackendOutcome::Deprovisioned:
        return QStringLiteral("deprovisioned");
    case BackendOutcome::TooLarge:
        return QStringLiteral("too_large");
    case BackendOutcome::RateLimited:
        return QStringLiteral("rate_limited");
    case BackendOutcome::Invalid:
        return QStringLiteral("invalid");
    case BackendOutcome::Conflict:
        return QStringLiteral("conflict");
    case BackendOutcome::Unexpected:
        break;
    }
    return QStringLiteral("unexpected");
}

BackendOutcome outcomeForStatus(int status, const QString& serverError)
{
    if ((status >= 200 && status < 300) || status == 304)
        return BackendOutcome::Ok;
    if (status >= 500 || status == 408)
        return BackendOutcome::Transient;
    switch (status) {
    case 400:
    case 422:
        return BackendOutcome::Invalid;
    case 401:
        return BackendOutcome::AuthRevoked;
    case 403:
        return serverError == backend_error::kDeprovisioned ? BackendOutcome::Deprovisioned
                                                            : BackendOutcome::Unexpected;
    case 409:
        return BackendOutcome::Conflict;
    case 413:
        return BackendOutcome::TooLarge;
    case 429:
        return BackendOutcome::RateLimited;
    default:
        return BackendOutcome::Unexpected;
    }
}

std::pair<BackendOutcome, Error> classifyNetworkFailure(QNetworkReply::NetworkError error,
                                                        AbortReason aborted, const QString& detail)
{
    using E = QNetworkReply::NetworkError;
    const auto transient = [&detail](const QString& code, const QString& what) {
        return std::pair{BackendOutcome::Transient,
                         Error{code, detail.isEmpty() ? what : what + u": " + detail}};
    };
    if (aborted == AbortReason::PinMismatch)
        return transient(backend_error::kTlsPinMismatch,
                         QStringLiteral("no certificate of the backend's chain matches a configured pin"));
    if (aborted == AbortReason::Deadline)
        return transient(backend_error::kTimeout,
                         QStringLiteral("the request took longer than its total time-out"));
    switch (error) {
    case E::TimeoutError:
    case E::OperationCanceledError: // what setTransferTimeout() reports: nothing else cancels our requests
    case E::ProxyTimeoutError:
        return transient(backend_error::kTimeout, QStringLiteral("no data within the transfer time-out"));
    case E::RemoteHostClosedError:
    case E::TemporaryNetworkFailureError:
    case E::NetworkSessionFailedError:
    case E::ProxyConnectionClosedError:
        return transient(backend_error::kConnectionReset,
                         QStringLiteral("the connection was closed or reset"));
    case E::SslHandshakeFailedError:
        return transient(backend_error::kTlsFailed,
                         QStringLiteral("TLS handshake or certificate verification failed"));
    case E::ConnectionRefusedError:
    case E::HostNotFoundError:
    case E::ProxyConnectionRefusedError:
    case E::ProxyNotFoundError:
    case E::BackgroundRequestNotAllowedError:
        return transient(backend_error::kUnreachable, QStringLiteral("the backend cannot be reached"));
    default:
        // An unknown network or protocol failure: treated as transient, the data stays in the outbox.
        return transient(backend_error::kUnreachable, QStringLiteral("network error %1").arg(int(error)));
    }
}

QString serverErrorCode(const QJsonValue& value)
{
    if (!value.isString())
        return {};
    const QString code = value.toString();
    const auto lowerOrDigit = [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'); };
    const bool shaped =
        !code.isEmpty() && code.size() <= kMaxServerErrorLength && code.front() >= u'a' &&
        code.front() <= u'z' &&
        std::all_of(code.begin(), code.end(), [&](QChar c) { return lowerOrDigit(c) || c == u'_'; });
    return shaped ? code : kUnreadableServerError;
}

void classifyHttpAnswer(BackendReply& reply, const QByteArray& retryAfterHeader, const QDateTime& nowUtc)
{
    if (!reply.body.isEmpty()) {
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(reply.body, &parseError);
        if (parseError.error == QJsonParseError::NoError)
            reply.json = doc;
    }
    if (reply.json.isObject())
        reply.serverError = serverErrorCode(reply.json.object().value(QStringLiteral("error")));
    reply.outcome = outcomeForStatus(reply.status, reply.serverError);
    if ((reply.status == 429 || reply.status == 503) && !retryAfterHeader.isEmpty())
        reply.retryAfter = parseRetryAfter(retryAfterHeader, nowUtc);

    const QString answered = reply.serverError.isEmpty()
                                 ? QStringLiteral("HTTP %1").arg(reply.status)
                                 : QStringLiteral("HTTP %1 %2").arg(reply.status).arg(reply.serverError);
    switch (reply.outcome) {
    case BackendOutcome::Ok:
        reply.error = {};
        return;
    case BackendOutcome::Transient:
        reply.error = {backend_error::kServerError, QStringLiteral("the backend failed: ") + answered};
        return;
    case BackendOutcome::AuthRevoked:
        reply.error = {
            backend_error::kAuthRevoked,
            QStringLiteral("the backend refused the agent token (%1): re-enrollment needed").arg(answered)};
        return;
    case BackendOutcome::Deprovisioned:
        reply.error = {backend_error::kDeprovisioned,
                       QStringLiteral("this install was removed on the backend")};
        return;
    case BackendOutcome::TooLarge:
        reply.error = {backend_error::kTooLarge, QStringLiteral("the request is too large: ") + answered};
        return;
    case BackendOutcome::RateLimited:
        reply.error = {backend_error::kRateLimited,
                       QStringLiteral("the backend asked to slow down: ") + answered};
        return;
    case BackendOutcome::Invalid:
        reply.error = {backend_error::kInvalidRequest,
                       QStringLiteral("the backend refused the request: ") + answered};
        return;
    case BackendOutcome::Conflict:
        reply.error = {backend_error::kConflict,
                       QStringLiteral("the backend has another request under this idempotency key: ") +
                           answered};
        return;
    case BackendOutcome::Unexpected:
        break;
    }
    reply.error = {backend_error::kUnexpected, QStringLiteral("unexpected answer: ") + answered};
}

} // namespace odis::sync
