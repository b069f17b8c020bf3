#pragma once

// One planning run for one clinic (docs/discharge-rules.md): every visit read in this run gets its
// decision, taking the decisions of earlier runs into account. Pure and deterministic: the same visits,
// earlier decisions and "now", in any order, give the same decisions, byte for byte.

#include "storage/result.h"
#include "sync/core/call_time.h"
#include "sync/core/clinic_policy.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/discharge_rules.h"
#include "sync/core/visit_input.h"

#include <QDateTime>
#include <QLatin1StringView>
#include <QList>

namespace odis::sync {

// Input that breaks the planner's contract (a caller bug, not a clinic's data): missing or duplicate
// appointment ids, a visit without a start, a planned decision without a time, an invalid "now".
inline constexpr QLatin1StringView kDischargeInputInvalid{"discharge_input_invalid"};

struct DecisionUpdate
{
    DischargeDecision decision;
    // False when `decision` equals the earlier decision for the appointment: there is nothing to send.
    bool changed = true;

    bool operator==(const DecisionUpdate&) const = default;
};

class DischargePlanner
{
public:
    // Fails with the errors of validateClinicPolicy().
    [[nodiscard]] static Result<DischargePlanner> create(ClinicPolicy policy);

    // The decisions for `visits` (every appointment read in this run, removed ones flagged), sorted by
    // appointment id. `earlier` holds this clinic's stored decisions, of any appointment.
    // - cancelled: stays cancelled. planned, time passed (<= now): final, unchanged.
    // - planned, time not passed: re-checked (DischargeRules::recheckPlanned()); a hit cancels it
    //   (reason "cancelled:<code>", no time, the re-check as its trace); otherwise it keeps its time and
    //   trace. Either way it takes the visit's current phone and consultation id.
    // - a removed visit without a live planned call keeps its earlier decision, if any, and gets none
    //   otherwise (there is no appointment left to decide about).
    // - everything else is decided from scratch (DischargeRules::decide()); new planned calls get
    //   CallCalendar::proposedCallTime() and are staggered against every planned call not yet passed,
    //   of `earlier` (read in this run or not) and of this run.
    // Decisions made or re-checked in this run carry the visit's current E.164 number
    // (RuleVerdict::customerPhone); final and kept-as-they-were decisions keep theirs.
    [[nodiscard]] Result<QList<DecisionUpdate>> plan(const QList<VisitInput>& visits,
                                                     const QList<DischargeDecision>& earlier,
                                                     const QDateTime& nowUtc) const;

    [[nodiscard]] const ClinicPolicy& policy() const { return m_rules.policy(); }
    [[nodiscard]] const CallCalendar& calendar() const { return m_calendar; }

private:
    explicit DischargePlanner(ClinicPolicy policy);

    DischargeRules m_rules;
    CallCalendar m_calendar;
};

} // namespace odis::sync
