#pragma once

// The pure middle of a sync run: what was read from Neo in this run, against what the store kept, becomes
// the items to store and upload (reconciliation) and this run's discharge decisions (planning). No store,
// no network, no clock: the same read, stored state, policy and "now" give the same plan.

#include "agent/run/clinic_reader.h"
#include "agent/run/stored_state.h"
#include "storage/result.h"
#include "sync/core/change_guard.h"
#include "sync/core/clinic_policy.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/reconciler.h"
#include "sync/core/run_warnings.h"
#include "sync/core/visit_input.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QTimeZone>

namespace odis::agent {

// What the run's report and summary count (docs/backend-api.md, run report "counts").
struct PlanCounts
{
    qint64 appointmentsSeen = 0;            // schedule rows read
    qint64 consultationsFetched = 0;        // page-data read in this run
    qint64 notesFound = 0;                  // of those, with notes or a discharge summary
    qint64 callsPlanned = 0;                // this run's decisions that are `planned` (kept ones included)
    qint64 callsGrouped = 0;                // `grouped`: covered by another planned call (same owner, day)
    qint64 callsNewlyPlanned = 0;           // planned in this run for the first time
    qint64 callsWaiting = 0;                // waiting_for_notes
    qint64 callsExcluded = 0;               // excluded, every reason
    qint64 callsCancelled = 0;              // cancelled
    QMap<QString, qint64> excludedByReason; // reason code ("no_phone") -> count
    qint64 itemsToQueue = 0;                // new, changed, removed and reappeared items
};

struct RunPlan
{
    QDateTime observedAt;
    // Every visit to decide about: the schedule rows read in this run and the appointments found removed,
    // each with its latest known consultation.
    QList<sync::VisitInput> visits;
    // Only the items to store and upload (ReconciledItem::needsUpload()), appointments first.
    QList<sync::ReconciledItem> changes;
    // Decisions that differ from the earlier ones (or are first decisions): kept for staff.
    QList<sync::DischargeDecision> changedDecisions;
    // End-of-life findings made in this run, to store; and whether the one-time look through every stored
    // visit was done (its marker is removed with them).
    QList<sync::PatientFinding> newFindings;
    bool findingsBackfilled = false;
    PlanCounts counts;
    // Destructive changes held back by this run, and held ones settled (confirmed or not seen again):
    // the held_changes rows to insert and to delete (sync/core/change_guard.h).
    QList<sync::HeldChange> heldChanges;
    QList<sync::HeldChange> settledChanges;
    // neo_reads keys whose read must count as failed although it answered: a field it needed was not
    // sent and nothing stored could stand in for it. They are read again next run.
    QSet<QString> retryReads;
    // What the run has to say about its read and what it held back (the run report's warnings).
    QList<sync::RunWarning> warnings;
};

// Step "reconcile": builds every payload of this run (appointment, consultation; a row whose payload
// cannot be built, or that the contract refused, is still "seen", never removed), keeps stored values
// where this run could not read a field or a destructive change waits for a second read
// (sync/core/change_guard.h), reconciles them with the store (removing only appointments proven gone),
// and maps the visits (removed ones included) for the planner. `runId` marks the changes held back.
// Errors: payload_input_invalid, the reconciler's.
[[nodiscard]] Result<RunPlan> reconcileRead(const ClinicRead& read, const StoredState& stored,
                                            const QTimeZone& zone, const sync::PhoneCountry& country,
                                            const QString& runId = {});

// Step "plan_calls": decides every visit of `plan` against the earlier decisions and the stored
// end-of-life findings, and reconciles the decisions with the stored discharge_call items. The visits of
// live calls that were not read in this run (and, while the backfill is pending, every stored visit) go
// to the planner as unread visits, from their stored payloads. Errors: the planner's (clinic_policy_*,
// discharge_input_invalid, end_of_life_vocabulary_*) and the reconciler's.
[[nodiscard]] Result<RunPlan> planCalls(RunPlan plan, const StoredState& stored,
                                        const sync::ClinicPolicy& policy, const QDateTime& nowUtc);

} // namespace odis::agent
