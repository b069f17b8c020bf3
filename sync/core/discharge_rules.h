#pragma once

// The decision table of docs/discharge-rules.md for one visit, and the re-check of a planned call.
// Pure: the same visit, policy and "now" always give the same verdict.

#include "sync/core/clinic_policy.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/end_of_life.h"
#include "sync/core/visit_input.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace odis::sync {

struct RuleVerdict
{
    DecisionKind kind = DecisionKind::Excluded;
    DecisionReason reason = DecisionReason::NotFinished;
    // The visit's E.164 number (choosePhone() in the clinic's country), whatever the decision, so staff
    // see which number was or would have been called; empty for block and roster rows and when no
    // number is valid.
    QString customerPhone;
    QStringList ruleTrace; // "<rule>:pass" for each rule checked, ending with "<rule>:hit"

    bool operator==(const RuleVerdict&) const = default;
};

class DischargeRules
{
public:
    // `policy` is expected to pass validateClinicPolicy().
    explicit DischargeRules(ClinicPolicy policy);

    // The first rule that applies, in table order: block, cancelled, no_show, not_finished, end_of_life,
    // type, no_phone, too_old, disabled, waiting_for_notes, planned. The trace names every rule checked,
    // "cancelled" and "no_show" separately (their row shares a number but not a code).
    [[nodiscard]] RuleVerdict decide(const VisitInput& visit, const QDateTime& nowUtc) const;

    // The re-check of a planned call that has not happened yet, in the order removed, cancelled, no_show,
    // end_of_life, no_phone. A hit gives a Cancelled verdict with that reason; otherwise a Planned verdict
    // (trace ending "planned:hit") with the number to dial now. Nothing else un-plans a call: one call
    // per appointment, ever, and a visit that stops qualifying for other reasons keeps its call.
    [[nodiscard]] RuleVerdict recheckPlanned(const VisitInput& visit) const;

    // Rule end_of_life alone: type, reason, notes, discharge summary or any product line.
    [[nodiscard]] bool mentionsEndOfLife(const VisitInput& visit) const;

    [[nodiscard]] const ClinicPolicy& policy() const { return m_policy; }

private:
    ClinicPolicy m_policy;
    EndOfLifeMatcher m_endOfLife;
};

} // namespace odis::sync
