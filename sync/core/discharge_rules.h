#pragma once

// The decision table of docs/discharge-rules.md for one visit, and the re-check of a live call.
// Pure: the same visit, policy, finding and times always give the same verdict.

#include "sync/core/call_time.h"
#include "sync/core/clinic_policy.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/end_of_life.h"
#include "sync/core/end_of_life_vocabulary.h"
#include "sync/core/visit_input.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace odis::sync {

struct RuleVerdict
{
    DecisionKind kind = DecisionKind::Excluded;
    DecisionReason reason = DecisionReason::NotFinished;
    // The visit's E.164 number (choosePhone() in the clinic's country), whatever the decision, so staff
    // see which number was or would have been called; empty for block and roster rows and when no
    // number is valid.
    QString customerPhone;
    QStringList ruleTrace; // "<rule>:pass" for each rule checked, ending with "<rule>:hit[ detail]"

    bool operator==(const RuleVerdict&) const = default;
};

// What a visit's own texts say about an end of life (rules 4a and 4b): the rule and the words, as the
// trace shows them ("type: euthanasia; notes: put to sleep").
struct EndOfLifeMention
{
    DecisionReason rule = DecisionReason::EndOfLife; // EndOfLife or EndOfLifePossible
    QString words;

    bool operator==(const EndOfLifeMention&) const = default;
};

// A patient's stored end-of-life finding (docs/discharge-rules.md, "The patient, not only the visit"):
// the first visit of the patient whose texts matched. Never reverts.
struct PatientFinding
{
    QString patientId;
    QString appointmentId;
    DecisionReason rule = DecisionReason::EndOfLife; // EndOfLife or EndOfLifePossible
    QString words;

    // "appointment 482913 end_of_life notes: euthanasia", the detail of an end_of_life_patient hit.
    [[nodiscard]] QString describe() const;
    bool operator==(const PatientFinding&) const = default;
};

class DischargeRules
{
public:
    // `policy` is expected to pass validateClinicPolicy().
    DischargeRules(ClinicPolicy policy, const EndOfLifeVocabulary& vocabulary);

    // The first rule that applies, in table order: block, cancelled, no_show, not_finished, end_of_life,
    // end_of_life_possible, end_of_life_patient (`finding` is the visit's patient's, or nullptr), type,
    // no_phone, too_old, disabled, waiting_for_notes, planned. The trace names every rule checked,
    // "cancelled" and "no_show" separately (their row shares a number but not a code). Rule too_old
    // measures the visit's age at `callTime`; an invalid `callTime` means the time steps 1-4 give now
    // (CallCalendar::proposedCallTime()).
    [[nodiscard]] RuleVerdict decide(const VisitInput& visit, const QDateTime& nowUtc,
                                     const PatientFinding* finding = nullptr,
                                     const QDateTime& callTime = QDateTime()) const;

    // The re-check of a live call at `callTime` (its time), in the order removed, cancelled, no_show,
    // end_of_life, end_of_life_possible, end_of_life_patient, no_phone, too_old. A hit gives a Cancelled
    // verdict with that reason; otherwise a Planned verdict (trace ending "planned:hit") with the number to
    // dial now. Nothing else un-plans a call: one call per appointment, ever, and a visit that stops
    // qualifying for other reasons keeps its call.
    [[nodiscard]] RuleVerdict recheckCall(const VisitInput& visit, const QDateTime& callTime,
                                          const PatientFinding* finding = nullptr) const;

    // The re-check of a live call whose visit was not read in this run (`visit` is its stored state): only
    // the causes that need no new read, end_of_life_patient and too_old.
    [[nodiscard]] RuleVerdict recheckUnreadCall(const VisitInput& visit, const QDateTime& callTime,
                                                const PatientFinding* finding) const;

    // Rules 4a and 4b alone, on type, reason, notes, discharge summary and every product line (each text on
    // its own): the end-of-life words if there are any, else the possible ones, else nullopt.
    [[nodiscard]] std::optional<EndOfLifeMention> endOfLifeIn(const VisitInput& visit) const;

    // The instant after which a call about `visit` is too old: its end plus max_visit_age_days x 24 h.
    // Invalid when the end cannot be placed in time (the visit then counts as too old).
    [[nodiscard]] QDateTime latestCallTime(const VisitInput& visit) const;

    [[nodiscard]] const ClinicPolicy& policy() const { return m_policy; }
    [[nodiscard]] const CallCalendar& calendar() const { return m_calendar; }

private:
    [[nodiscard]] bool tooOldAt(const VisitInput& visit, const QDateTime& callTime) const;
    [[nodiscard]] QString tooOldDetail(const VisitInput& visit, const QDateTime& callTime) const;

    ClinicPolicy m_policy;
    CallCalendar m_calendar;
    EndOfLifeMatcher m_endOfLife;
};

} // namespace odis::sync
