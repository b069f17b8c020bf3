#pragma once

// Shared by the steps of a Neo read (schedule_read.h, visit_reads.h): how a step fails, and what Neo's
// HTTP answers mean for it.

#include "storage/result.h"
#include "sync/core/neo_contract.h"
#include "sync/core/neo_drift.h"
#include "sync/core/run_warnings.h"

#include <QLatin1StringView>
#include <QString>

#include <expected>
#include <optional>

namespace odis::sync {

// An answer of a JSON endpoint that broke the contract (neo_contract.h): not a failure to read but a
// refusal. Nothing of its step is handed on; the run goes on without it and says so.
struct NeoRefusal
{
    QString endpoint;               // neo_endpoint::k*
    QList<DriftWarning> violations; // field paths and problems; empty for an unknown shape
    Error error;                    // neo_layout_changed, its message naming the fields
};

struct NeoStepFailure
{
    Error error;
    // neo_layout_changed: the Neo page whose layout could not be read, to keep diagnostics of.
    QString layoutPage;
    // Set when the step ended because an answer broke the contract (error is then refusal->error).
    std::optional<NeoRefusal> refusal;
};

// The refusal of an answer that failed to parse with neo_layout_changed (a contract violation or an
// unknown shape), from the parser's error and its contract check.
[[nodiscard]] NeoRefusal refusalOf(QLatin1StringView endpoint, const Error& error,
                                   const NeoAnswerCheck& check);

// One warning per item refused (a value too long, invalid UTF-8), for the run's report.
[[nodiscard]] QList<RunWarning> itemRefusalWarnings(QLatin1StringView endpoint,
                                                    const QList<NeoItemRefusal>& refusals);

// The warnings a refusal adds to the run's report: one per violated field path, or one for the answer
// when its shape was unknown.
[[nodiscard]] QList<RunWarning> refusalWarnings(const NeoRefusal& refusal);

template <typename T> using NeoStepResult = std::expected<T, NeoStepFailure>;

// A JSON endpoint or a page that Neo no longer serves: 404 Not Found or 410 Gone.
[[nodiscard]] inline bool isGoneStatus(int httpStatus)
{
    return httpStatus == 404 || httpStatus == 410;
}

// The error for a non-2xx answer to a page visit, with the parsers' codes (neo_json.h).
[[nodiscard]] Error pageStatusError(int httpStatus, QLatin1StringView page);

// The parsers' "this answer is not data" codes: invalid or truncated JSON, HTML where JSON was
// expected, an answer that breaks the contract. Asked once more (a glitch passes); twice is the step's
// end. Never a reason for the DOM fallback, which is for an endpoint that is gone (404/410): an answer
// the agent does not understand is never data (docs/idexx-neo.md).
[[nodiscard]] bool isUnparseable(const Error& error);

// Errors of the session that end the whole read (a lost session, a crashed renderer, TLS): every
// other error is one item's failure.
[[nodiscard]] bool endsTheRead(const Error& error);

} // namespace odis::sync
