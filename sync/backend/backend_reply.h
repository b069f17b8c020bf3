#pragma once

// What one backend request came back with, classified the way docs/backend-api.md ("Errors and how the
// agent reacts") tells the agent to react.

#include "storage/codes/backend_codes.h"
#include "storage/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkReply>
#include <QString>

#include <chrono>
#include <optional>

namespace odis::sync {

enum class BackendOutcome
{
    Ok,            // 2xx, and 304 for a conditional GET
    Transient,     // 5xx, 408, time-out, reset, refused, DNS, TLS failure, pin mismatch: retry later
    AuthRevoked,   // 401: the token is unknown or revoked; re-enrollment needed
    Deprovisioned, // 403 agent_deprovisioned: this install was removed on the server
    TooLarge,      // 413
    RateLimited,   // 429: wait Retry-After
    Invalid,       // 400, 422: the request (or an item) is invalid; retrying the same bytes cannot help
    Conflict,      // 409: idempotency key reused with another body, a bug
    Unexpected,    // any other answer (another 4xx, a redirect, a 403 of another kind)
};

[[nodiscard]] QString backendOutcomeName(BackendOutcome outcome); // "ok", "transient", ...

// Error codes (Error::code) of a reply that is not Ok.
namespace backend_error {
inline const QString kUnreachable = codes::kBackendUnreachable; // refused, DNS, network down
inline const QString kTimeout = codes::kBackendTimeout;
inline const QString kConnectionReset = codes::kBackendConnectionReset;
inline const QString kTlsFailed = codes::kBackendTlsFailed; // handshake or verification
inline const QString kTlsPinMismatch = codes::kBackendTlsPinMismatch;
inline const QString kServerError = codes::kBackendServerError;       // 5xx, 408
inline const QString kAuthRevoked = codes::kBackendAuthRevoked;       // 401
inline const QString kDeprovisioned = codes::kAgentDeprovisioned;     // 403 agent_deprovisioned
inline const QString kTooLarge = codes::kBackendTooLarge;             // 413
inline const QString kRateLimited = codes::kBackendRateLimited;       // 429
inline const QString kInvalidRequest = codes::kBackendInvalidRequest; // 400, 422
inline const QString kConflict = codes::kBackendIdempotencyConflict;  // 409
inline const QString kUnexpected = codes::kBackendUnexpectedStatus;
inline const QString kBadResponse = codes::kBackendBadResponse; // a 2xx body that is not the JSON expected
inline const QString kNotEnrolled = codes::kAgentNotEnrolled;   // no agent id or token yet
} // namespace backend_error

struct BackendReply
{
    int status = 0; // 0: no HTTP answer arrived
    BackendOutcome outcome = BackendOutcome::Unexpected;
    Error error;         // empty code when outcome is Ok
    QString serverError; // the body's "error" ("token_revoked", "batch_too_large"); empty when none
    QByteArray etag;
    std::optional<std::chrono::seconds> retryAfter; // 429 and 503 only, when the header parsed
    bool replayed = false;                          // Idempotent-Replayed: true (the first answer again)
    QByteArray body;
    QJsonDocument json; // null unless the body is JSON

    [[nodiscard]] bool ok() const { return outcome == BackendOutcome::Ok; }
    [[nodiscard]] QJsonObject object() const { return json.object(); }
};

// Why the client aborted a request itself (the network layer only reports "cancelled").
enum class AbortReason
{
    None,
    PinMismatch,
    Deadline,
};

// The outcome of an HTTP status; `serverError` tells a deprovisioned 403 from any other.
[[nodiscard]] BackendOutcome outcomeForStatus(int status, const QString& serverError);

// The outcome and error of a request that got no HTTP status (time-out, reset, TLS, DNS).
[[nodiscard]] std::pair<BackendOutcome, Error>
classifyNetworkFailure(QNetworkReply::NetworkError error, AbortReason aborted, const QString& detail);

// The backend's `error` code as the agent keeps it. The contract's codes are snake_case
// (^[a-z][a-z0-9_]*$, docs/openapi/agent-api-v1.yaml); anything else a broken or hostile backend sends
// (megabytes, markup, a clinic's data) would be repeated into messages, logs, run reports and the failed
// queue, so it becomes kUnreadableServerError. Empty when `value` is not a string.
inline const QString kUnreadableServerError = codes::kUnreadableErrorCode;
inline constexpr qsizetype kMaxServerErrorLength = 64;
[[nodiscard]] QString serverErrorCode(const QJsonValue& value);

// Fills outcome, error, serverError, json, retryAfter from status, headers and body already set on
// `reply`. `nowUtc` resolves an HTTP-date Retry-After.
void classifyHttpAnswer(BackendReply& reply, const QByteArray& retryAfterHeader, const QDateTime& nowUtc);

} // namespace odis::sync
