#pragma once

// The stored end-of-life findings per patient (docs/discharge-rules.md, "The patient, not only the
// visit"; table patient_findings, schema v6): read before planning, added to in the run's transaction,
// never changed or removed by a run.

#include "storage/result.h"
#include "sync/core/discharge_rules.h"

#include <QList>
#include <QString>

namespace odis::storage {
class Database;
}

namespace odis::agent {

// kv key set by migration v6: the next run looks through every stored visit once for findings.
inline constexpr QLatin1StringView kFindingsBackfillKey{"discharge.findings_backfill"};

// Every stored finding. Errors: the store's (db_*), and discharge_item_invalid for a row whose rule is
// not an end-of-life one (a finding must never be dropped silently).
[[nodiscard]] Result<QList<sync::PatientFinding>> loadPatientFindings(storage::Database& db);

// True while the backfill marker is in kv.
[[nodiscard]] Result<bool> findingsBackfillPending(storage::Database& db);

// Adds `findings` (a patient that already has one keeps it) and, when `backfillDone`, removes the marker.
// Meant for the run's transaction.
[[nodiscard]] Status storePatientFindings(storage::Database& db, const QList<sync::PatientFinding>& findings,
                                          bool backfillDone, const QString& runId, const QString& at);

} // namespace odis::agent
