#pragma once

// What earlier runs left in the store that this run's reconciliation and planning compare against: the
// latest observation of every item key, and the discharge decisions they hold (a `discharge_call`
// observation is the decision as it was last sent, so the planner's "earlier decisions" are read back
// from exactly what the backend has).

#include "storage/result.h"
#include "sync/core/change_guard.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/discharge_rules.h"
#include "sync/core/reconciler.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace odis::storage {
class Database;
}

namespace odis::agent {

struct StoredState
{
    QHash<QString, sync::StoredObservation> observations; // by key, every kind
    QList<sync::DischargeDecision> decisions;             // from the discharge_call observations
    QList<sync::PatientFinding> findings;                 // end-of-life findings per patient
    bool findingsBackfillPending = false;  // the first run with findings: look through every stored visit
    QHash<QString, sync::HeldChange> held; // held_changes, by sync::heldChangeId()

    // The stored payload of `key` as an object; nullopt when there is none (or it is not an object).
    [[nodiscard]] std::optional<QJsonObject> payload(const QString& key) const;
};

// Loads the observations, the decisions, the held changes (held_changes) and the patient findings.
// Errors: the store's (db_*), and kDischargeItemInvalid (sync/core/discharge_call_item.h) for a stored
// decision or patient finding that no longer reads back: neither may be forgotten silently.
[[nodiscard]] Result<StoredState> loadStoredState(storage::Database& db);

} // namespace odis::agent
