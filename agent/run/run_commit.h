#pragma once

// The run's one transaction (docs/architecture.md, "One sync run"): the observations, the Neo read marks,
// the discharge decisions, the schedule volume, the presence baseline of Neo's optional fields, the
// changes held back or settled and the outbox items of one run are written together or not at all, and
// with them the run's counts, its warnings and its next step (upload). A run found unfinished later
// therefore knows from its step alone whether its data is in the store: `upload` means it is, anything
// earlier means nothing of it was written.

#include "agent/run/clinic_reader.h"
#include "agent/run/run_plan.h"
#include "agent/run/run_record.h"
#include "storage/result.h"

#include <QString>
#include <QTimeZone>

namespace odis::storage {
class Database;
}
namespace odis::sync {
class Outbox;
}

namespace odis::agent {

class RunLog;

struct RunCommit
{
    QString runId;
    const ClinicRead& read;
    const RunPlan& plan;
    QTimeZone zone;
    RunCounts counts; // stored as the run's progress
    int driftWarnings = 0;
};

// Errors: the store's (db_*), the outbox's (outbox_item_invalid) and the run log's; nothing is written
// then.
[[nodiscard]] Status commitRun(storage::Database& db, sync::Outbox& outbox, RunLog& log,
                               const RunCommit& commit);

} // namespace odis::agent
