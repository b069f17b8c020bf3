#pragma once

// The checks every Neo JSON response goes through before a parser looks at its content: HTTP status,
// HTML where JSON was expected (a login page after the session expired and `fetch` followed the
// redirect), and JSON syntax. Nothing here decides "no data": an empty answer is only ever a valid
// JSON document that says so.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonDocument>
#include <QLatin1StringView>
#include <QStringView>

namespace odis::sync {

// One response as an in-page `fetch` received it (after redirects).
struct NeoResponse
{
    int httpStatus = 0;     // 0 when the page script got no HTTP answer at all
    QByteArray contentType; // the Content-Type header, as sent ("application/json; charset=utf-8")
    QByteArray body;
    QByteArray retryAfter; // the Retry-After header as sent (429, 503), empty when absent
    // The body's bytes were not valid UTF-8: the page decoded them with U+FFFD in place of each invalid
    // sequence. Every string that holds U+FFFD then refuses its item (neo_contract.h), never silently
    // stands for Neo's text.
    bool invalidUtf8 = false;
    // More than 0: the page stopped reading the body past its size cap (NeoSessionConfig::maxAnswerBytes)
    // after at least this many bytes; `body` is then empty and the answer is refused (neo_value_too_long).
    qint64 tooLargeBytes = 0;
};

// Stable error codes of the Neo parsers (odis::Error::code).
namespace neo_error {
inline constexpr QLatin1StringView kHtmlInsteadOfJson{codes::kNeoHtmlInsteadOfJson};
inline constexpr QLatin1StringView kInvalidJson{codes::kNeoInvalidJson};         // truncated or malformed
inline constexpr QLatin1StringView kUnexpectedShape{codes::kNeoUnexpectedShape}; // valid JSON, no known shape
inline constexpr QLatin1StringView kSessionExpired{codes::kNeoSessionExpired};   // HTTP 401 (or 419)
inline constexpr QLatin1StringView kNotFound{codes::kNeoNotFound};               // HTTP 404
inline constexpr QLatin1StringView kRateLimited{codes::kNeoRateLimited};         // HTTP 429
inline constexpr QLatin1StringView kServerError{codes::kNeoServerError};         // HTTP 5xx
inline constexpr QLatin1StringView kHttpError{codes::kNeoHttpError};             // any other non-2xx, or none
inline constexpr QLatin1StringView kIdMismatch{
    codes::kNeoIdMismatch}; // answer about another record than asked
} // namespace neo_error

// The endpoint names used in errors and drift warnings.
namespace neo_endpoint {
inline constexpr QLatin1StringView kSchedule{"getCalendarEventData"};
inline constexpr QLatin1StringView kConsultation{"page-data"};
inline constexpr QLatin1StringView kAppointment{"getAppointment"};
inline constexpr QLatin1StringView kScheduleConfigs{"getScheduleConfigs"};
inline constexpr QLatin1StringView kAppointmentView{"getAppointmentView"};
} // namespace neo_endpoint

// True for a Content-Type whose media type is text/html or application/xhtml+xml.
[[nodiscard]] bool isHtmlContentType(QByteArrayView contentType);

// True when the body is markup whatever its Content-Type says: its first character after a byte order
// mark and white space is '<'. No JSON document starts with '<'.
[[nodiscard]] bool bodyLooksLikeHtml(QByteArrayView body);

// True when the body is an HTML page that asks to log in: a password field, or Neo's session-expired
// banner (.session-expired / .login-required). The session code treats such an answer to a data call
// as an expired session: log in again and resume.
[[nodiscard]] bool looksLikeNeoLoginPage(QByteArrayView body);

// Runs the common checks and returns the parsed document (an object or an array). Errors carry the
// codes above, or neo_value_too_long (neo_contract.h) for an answer the page did not read for its size;
// their messages name the endpoint and never contain the body.
[[nodiscard]] Result<QJsonDocument> decodeNeoJson(const NeoResponse& response, QStringView endpoint);

} // namespace odis::sync
