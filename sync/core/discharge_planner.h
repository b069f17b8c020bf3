#pragma once

// One planning run for one clinic (docs/discharge-rules.md): every visit read in this run gets its
// decision, taking the decisions of earlier runs and the stored end-of-life findings into account. Pure
// and deterministic: the same input, in any order, gives the same decisions, byte for byte.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/call_time.h"
#include "sync/core/clinic_policy.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/discharge_rules.h"
#include "sync/core/end_of_life_vocabulary.h"
#include "sync/core/visit_input.h"

#include <QDateTime>
#include <QLatin1StringView>
#include <QList>

namespace odis::sync {

// Input that breaks the planner's contract (a caller bug, not a clinic's data): missing or duplicate
// appointment ids, a visit without a start, a planned or grouped decision without a time, a grouped one
// without its carrier, an invalid "now".
inline constexpr QLatin1StringView kDischargeInputInvalid{codes::kDischargeInputInvalid};

struct DecisionUpdate
{
    DischargeDecision decision;
    // False when `decision` equals the earlier decision for the appointment: there is nothing to send.
    bool changed = true;

    bool operator==(const DecisionUpdate&) const = default;
};

struct PlanInput
{
    QList<VisitInput> visits; // every appointment read in this run, removed ones flagged
    // Stored visits not read in this run (their last known state): the visits of live calls outside the
    // read window, and, on the first run with patient findings, every stored visit (findings only).
    QList<VisitInput> unread;
    QList<DischargeDecision> earlier; // this clinic's stored decisions, of any appointment
    QList<PatientFinding> findings;   // stored end-of-life findings, at most one per patient
    QDateTime nowUtc;
};

struct PlanResult
{
    QList<DecisionUpdate> updates;     // sorted by appointment id (appointmentIdLess())
    QList<PatientFinding> newFindings; // made in this run, sorted by patient id
};

class DischargePlanner
{
public:
    // Fails with the errors of validateClinicPolicy() and, for the first form, those of
    // loadEndOfLifeVocabulary() (the built-in vocabulary).
    [[nodiscard]] static Result<DischargePlanner> create(ClinicPolicy policy);
    [[nodiscard]] static Result<DischargePlanner> create(ClinicPolicy policy,
                                                         const EndOfLifeVocabulary& vocabulary);

    // The decisions of one run:
    // - findings: every visit (read or unread) whose own texts match rule 4a/4b gives its patient a
    //   finding unless the patient has one (the lowest appointment id first); stored ones never go;
    // - a planned or grouped call whose time passed (<= now) is final; a cancelled one stays, except
    //   cancelled:removed read again completely, planned again when the rules allow it and its steps 1-3
    //   time is at least 15 minutes ahead;
    // - a live call is re-checked (DischargeRules::recheckCall(), recheckUnreadCall() for unread visits);
    //   a hit cancels it (no time, the re-check as its trace), otherwise it keeps its time, trace and group
    //   and takes the visit's current phone and consultation id, unless its time is no longer a call
    //   slot (placed again) or it is grouped and its carrier is no longer live on the same number and
    //   day (placed again from its own time);
    // - a removed visit without a live call keeps its earlier decision, if any;
    // - everything else is decided from scratch (DischargeRules::decide()); incomplete data never plans a
    //   new call (the earlier exclusion stays, else waiting_for_notes "incomplete data");
    // - new calls are staggered (staggerCalls()) against every live planned call; one placed too late for
    //   its visit is excluded too_old (cancelled too_old when it was a live call);
    // - then every live call is grouped per owner and day (groupCalls()).
    // Earlier live calls of appointments neither read nor unread are kept as they are (they hold their
    // minute and take part in grouping).
    [[nodiscard]] Result<PlanResult> plan(const PlanInput& input) const;

    // plan() with visits and earlier decisions only (no unread visits, no stored findings).
    [[nodiscard]] Result<QList<DecisionUpdate>> plan(const QList<VisitInput>& visits,
                                                     const QList<DischargeDecision>& earlier,
                                                     const QDateTime& nowUtc) const;

    [[nodiscard]] const ClinicPolicy& policy() const { return m_rules.policy(); }
    [[nodiscard]] const CallCalendar& calendar() const { return m_rules.calendar(); }
    [[nodiscard]] const DischargeRules& rules() const { return m_rules; }

private:
    DischargePlanner(ClinicPolicy policy, const EndOfLifeVocabulary& vocabulary);

    DischargeRules m_rules;
};

} // namespace odis::sync
