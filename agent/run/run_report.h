#pragma once

// The run report, PUT /v1/sync/runs/{run_id} (docs/backend-api.md): sent when a run starts and again when
// it ends, under the same run id. Each of the two has its own fixed body and Idempotency-Key, so a resend
// after a crash or a time-out is the identical request and the backend answers it with its first answer.

#include "agent/run/run_record.h"
#include "storage/result.h"

#include <QJsonObject>
#include <QString>

namespace odis::agent {

enum class RunReportKind
{
    Start, // the run began: its trigger and start time; nothing measured yet
    End,   // the run is over: status, last step, counts, error, duration, peak memory
};

[[nodiscard]] QString runReportKindName(RunReportKind kind); // "start", "end"

// The body, exactly as the contract lists it:
//   {run_id, trigger, started_at, finished_at|null, status, step|null, counts {8 counts},
//    error {code, message}|null, duration_ms, peak_rss_mb,
//    warnings [{code, endpoint|null, field|null, kind|null, detail|null, count}]}
// Instants are UTC "YYYY-MM-DDTHH:MM:SSZ". The start report is the run as it began, whatever happened
// since (status running, no step, zero counts, duration 0, peak_rss_mb 0), so it never changes between
// resends (no warnings either). peak_rss_mb is 0 when it could not be measured (the contract has no null
// for it). At most 50 warnings (sync::mergedWarnings).
// Error: run_report_not_finished (an end report of a running run), run_report_invalid (a record that
// cannot be reported: no run id or start time, a failed run without an error code).
[[nodiscard]] Result<QJsonObject> runReportJson(const RunRecord& run, RunReportKind kind);

[[nodiscard]] QString runReportPath(const QString& runId); // "/v1/sync/runs/<run_id>"

// A UUID derived from the run id and the kind (name-based, v5): the same for every resend of one report,
// different between the start and the end report of a run.
[[nodiscard]] QString runReportIdempotencyKey(const QString& runId, RunReportKind kind);

// "2026-03-10T16:00:00Z": the contract's form of a run instant (seconds, UTC, "Z").
[[nodiscard]] QString reportInstant(const QDateTime& instant);

// The counts as JSON, named as the contract names them; the runs table (run_log.h) stores the same object.
// One list of names for both, so the stored row and the report cannot drift apart.
[[nodiscard]] QJsonObject runCountsJson(const RunCounts& counts);
// Missing or unreadable numbers are 0 (a row written before a count existed).
[[nodiscard]] RunCounts runCountsFromJson(const QJsonObject& json);

// At most this many characters of an error message go into a report.
inline constexpr qsizetype kReportMessageMaxChars = 300;

} // namespace odis::agent
