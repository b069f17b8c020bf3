#pragma once

// One sync run as the agent records it (the `runs` table) and reports it (PUT /v1/sync/runs/{run_id},
// docs/backend-api.md). Values only: persistence is run_log.h's, the report's JSON run_report.h's.

#include "storage/codes/sync_core_codes.h"
#include "sync/core/run_warnings.h"

#include <QDateTime>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringView>

#include <algorithm>
#include <optional>

namespace odis::agent {

// What started the run. The names are the contract's.
enum class RunTrigger
{
    Schedule,
    Manual,
    Remote,
    CatchUp,
    Startup,
};

enum class RunStatus
{
    Running,
    Completed,   // everything read, decided and uploaded
    Partial,     // finished, but some items failed or wait in the outbox
    Failed,      // stopped by an error (error says which, step says where)
    Interrupted, // the process ended during the run (found unfinished at the next start)
};

[[nodiscard]] QString runTriggerName(RunTrigger trigger);
[[nodiscard]] std::optional<RunTrigger> runTriggerFromName(QStringView name);
[[nodiscard]] QString runStatusName(RunStatus status);
[[nodiscard]] std::optional<RunStatus> runStatusFromName(QStringView name);

// The steps of a run, in order (docs/architecture.md, "One sync run"). The step is stored before it
// starts, so a run killed anywhere says where; the names reach the run report and telemetry, which is why
// they are a closed list: RunLog refuses any other (run_step_unknown). A new step is added here.
namespace run_step {
inline constexpr QLatin1StringView kPreconditions{"preconditions"};
inline constexpr QLatin1StringView kClinicProfile{"clinic_profile"};
inline constexpr QLatin1StringView kNeoLogin{"neo_login"};
inline constexpr QLatin1StringView kSchedule{"schedule"};
inline constexpr QLatin1StringView kConsultations{"consultations"};
inline constexpr QLatin1StringView kValidate{"validate"};
inline constexpr QLatin1StringView kReconcile{"reconcile"};
inline constexpr QLatin1StringView kPlanCalls{"plan_calls"};
inline constexpr QLatin1StringView kStore{"store"};
inline constexpr QLatin1StringView kUpload{"upload"};
inline constexpr QLatin1StringView kClose{"close"};
} // namespace run_step

[[nodiscard]] const QList<QLatin1StringView>& knownRunSteps();
[[nodiscard]] bool isKnownRunStep(QStringView step);

// The error code a run fails with when Neo's pages or responses no longer have the shape the agent knows.
inline constexpr QLatin1StringView kNeoLayoutChangedCode{codes::kNeoLayoutChanged};

struct RunCounts
{
    qint64 appointmentsSeen = 0;
    qint64 consultationsFetched = 0;
    qint64 notesFound = 0;
    qint64 itemsQueued = 0;
    qint64 itemsUploaded = 0;
    qint64 callsPlanned = 0;
    qint64 callsExcluded = 0;
    qint64 failed = 0;

    friend bool operator==(const RunCounts&, const RunCounts&) = default;
};

// Why a run failed. `message` is for a person and, like every odis::Error message, holds ids and counts
// only; it goes to the backend's run report but never to telemetry.
struct RunError
{
    QString code;
    QString message;

    friend bool operator==(const RunError&, const RunError&) = default;
};

struct RunRecord
{
    QString runId; // a UUID without braces
    RunTrigger trigger = RunTrigger::Schedule;
    QDateTime startedAt;  // UTC
    QDateTime finishedAt; // UTC; invalid while the run is running
    RunStatus status = RunStatus::Running;
    QString step; // the step started last (run_step); empty before the first one
    RunCounts counts;
    std::optional<RunError> error;
    std::optional<qint64> durationMs; // known once finished
    std::optional<double> peakRssMb;  // known once finished (process_memory.h)
    int driftWarnings = 0;            // Neo layout drift noticed during the run (sync/core/neo_drift.h)
    // What the run has to say: refusals, drift, collapses, changes held back (sync/core/run_warnings.h).
    // Field paths and counts, never values. Reported in the end report's `warnings`.
    QList<sync::RunWarning> warnings;
    QDateTime updatedAt; // the last write of this row (start, step, counts, finish)

    [[nodiscard]] bool finished() const { return status != RunStatus::Running; }
    [[nodiscard]] bool succeeded() const
    {
        return status == RunStatus::Completed || status == RunStatus::Partial;
    }
    // Failed or interrupted: what the alert rules count as a failure (alert_rules.h).
    [[nodiscard]] bool failedOrInterrupted() const
    {
        return status == RunStatus::Failed || status == RunStatus::Interrupted;
    }
    // Drift warnings, or a run stopped because Neo's layout changed.
    [[nodiscard]] bool hadLayoutDrift() const
    {
        return driftWarnings > 0 || (error && error->code == kNeoLayoutChangedCode) ||
               std::ranges::any_of(warnings, [](const sync::RunWarning& w) {
                   return w.code == sync::warning_code::kLayoutChanged ||
                          w.code == sync::warning_code::kFieldDrift;
               });
    }
};

} // namespace odis::agent
