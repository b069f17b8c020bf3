#pragma once

// Shared by the steps of a Neo read (schedule_read.h, visit_reads.h): how a step fails, and what Neo's
// HTTP answers mean for it.

#include "storage/result.h"

#include <QLatin1StringView>
#include <QString>

#include <expected>

namespace odis::sync {

struct NeoStepFailure
{
    Error error;
    // neo_layout_changed: the Neo page whose layout could not be read, to keep diagnostics of.
    QString layoutPage;
};

template <typename T> using NeoStepResult = std::expected<T, NeoStepFailure>;

// A JSON endpoint or a page that Neo no longer serves: 404 Not Found or 410 Gone.
[[nodiscard]] inline bool isGoneStatus(int httpStatus)
{
    return httpStatus == 404 || httpStatus == 410;
}

// The error for a non-2xx answer to a page visit, with the parsers' codes (neo_json.h).
[[nodiscard]] Error pageStatusError(int httpStatus, QLatin1StringView page);

// The parsers' "this answer is not data" codes: invalid or truncated JSON, HTML, an unknown shape.
// Twice in a row for one request means the endpoint changed: the DOM fallback takes over.
[[nodiscard]] bool isUnparseable(const Error& error);

// Errors of the session that end the whole read (a lost session, a crashed renderer, TLS): every
// other error is one item's failure.
[[nodiscard]] bool endsTheRead(const Error& error);

} // namespace odis::sync
