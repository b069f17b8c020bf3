#pragma once

// The runs table: a run is inserted when it starts, its step is stored before each step starts, and it is
// finished once. A run killed anywhere is still `running` at the next start: findUnfinished() finds it,
// and the run machine resumes it or marks it interrupted. The alert rules and the run reports read from
// here too.

#include "agent/run/run_record.h"
#include "agent/run/run_report.h"
#include "storage/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringView>
#include <QVariant>

#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::agent {

// How a run ended.
struct RunOutcome
{
    RunStatus status = RunStatus::Completed; // anything but Running
    RunCounts counts;
    std::optional<RunError> error; // required for Failed and Interrupted, refused for Completed
    int driftWarnings = 0;
    // As the run measured it (a monotonic timer is best: a laptop that slept mid-run did not work all
    // that time). Absent: finished_at - started_at by the clock.
    std::optional<qint64> durationMs;
    std::optional<double> peakRssMb;  // process_memory.h; absent when it could not be measured
    QList<sync::RunWarning> warnings; // what the run has to say (sync/core/run_warnings.h)
};

// A report the backend has not acknowledged yet (RunLog::markReported). A finished run whose start
// report never went out owes only its end report: the end report says everything the start one would.
struct PendingRunReport
{
    RunRecord run;
    RunReportKind kind = RunReportKind::End;
};

// Error codes: run_not_found, run_already_finished, run_step_unknown, run_outcome_invalid, and the
// database's own (db_*). One owner thread, like the Database.
class RunLog
{
public:
    RunLog(storage::Database& db, const Clock& clock);

    // A new run (fresh UUID), started now: status running, no step, zero counts.
    [[nodiscard]] Result<RunRecord> start(RunTrigger trigger);
    // Stores the step the run is about to start (run_step; anything else is run_step_unknown).
    [[nodiscard]] Status setStep(const QString& runId, const QString& step);
    // Stores the counts and drift seen so far, so an interrupted run still reports what it did.
    [[nodiscard]] Status setProgress(const QString& runId, const RunCounts& counts, int driftWarnings);
    // Stores the run's warnings so far (the heartbeat and a resumed run take them from here).
    [[nodiscard]] Status setWarnings(const QString& runId, const QList<sync::RunWarning>& warnings);
    // Finishes a running run now; returns it as stored.
    [[nodiscard]] Result<RunRecord> finish(const QString& runId, const RunOutcome& outcome);
    // Finishes a run found unfinished at start-up: status interrupted, error run_interrupted, the counts
    // it had stored, and as duration the time up to its last write (the process may have been gone long
    // before this start, so "now" would overstate it).
    [[nodiscard]] Result<RunRecord> markInterrupted(const QString& runId);

    [[nodiscard]] Result<std::optional<RunRecord>> find(const QString& runId);
    // The newest run still `running`, if any (there is at most one when runs never overlap).
    [[nodiscard]] Result<std::optional<RunRecord>> findUnfinished();
    // The newest `limit` runs, newest first: every status, or finished ones only.
    [[nodiscard]] Result<QList<RunRecord>> lastRuns(int limit);
    [[nodiscard]] Result<QList<RunRecord>> lastFinished(int limit);
    // When the newest completed or partial run finished.
    [[nodiscard]] Result<std::optional<QDateTime>> lastSuccessAt();
    // When the oldest run still kept started.
    [[nodiscard]] Result<std::optional<QDateTime>> firstStartedAt();

    // The backend stored this report (a 2xx to PUT /v1/sync/runs/{run_id}).
    [[nodiscard]] Status markReported(const QString& runId, RunReportKind kind);
    // Reports still owed, oldest run first.
    [[nodiscard]] Result<QList<PendingRunReport>> pendingReports(int limit = 50);
    // Deletes finished runs that started before `cutoff` and whose end report the backend holds, with
    // their upload tallies; returns how many runs. Runs the backend has not seen are kept whatever their
    // age.
    [[nodiscard]] Result<qint64> purgeReportedBefore(const QDateTime& cutoff);

private:
    [[nodiscard]] Result<QList<RunRecord>> select(const QString& where, const QVariantList& params,
                                                  int limit);
    // Why an UPDATE of a running run changed nothing: run_not_found or run_already_finished.
    Error notRunning(const QString& runId);

    storage::Database& m_db;
    const Clock& m_clock;
};

} // namespace odis::agent
