#pragma once

// The Retry-After header of a 429 (or 503) answer (RFC 9110 section 10.2.3): either delay-seconds or
// an HTTP-date. Pure: "now" is passed in.

#include <QByteArrayView>
#include <QDateTime>

#include <chrono>
#include <optional>

namespace odis::sync {

// Longest wait a Retry-After value can ask for; larger values are clamped to it (a value that large
// already means "not in this run" to every caller).
inline constexpr std::chrono::seconds kMaxRetryAfter{7 * 24 * 3600};

// How long to wait before the retry: the seconds as given (clamped to kMaxRetryAfter), or the time
// from `nowUtc` until the HTTP-date, rounded up to a whole second; 0 for a date in the past. Accepts
// the three date forms HTTP allows (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994"), with optional white space
// around the value. nullopt for anything else (an empty value, a sign, a fraction, a zone other than
// GMT, an impossible date): the caller then falls back to its own backoff.
[[nodiscard]] std::optional<std::chrono::seconds> parseRetryAfter(QByteArrayView value,
                                                                  const QDateTime& nowUtc);

// The HTTP-date part alone, as a UTC date-time; an invalid QDateTime when `value` is none of the forms.
// Two-digit RFC 850 years are read as the year nearest to `nowUtc` that is not more than 50 years in
// the future (RFC 9110).
[[nodiscard]] QDateTime parseHttpDate(QByteArrayView value, const QDateTime& nowUtc);

} // namespace odis::sync
