#include "sync/core/discharge_rules.h"

#include "sync/core/html_text.h"

#include <algorithm>
#include <utility>

namespace odis::sync {

namespace {

constexpr qint64 kSecsPerDay = 24 * 60 * 60;

// Collects the trace while rules are checked in order; the first hit ends the evaluation.
class Evaluation
{
public:
    explicit Evaluation(QString phone)
        : m_phone(std::move(phone))
    {}

    [[nodiscard]] const QString& phone() const { return m_phone; }

    // Records `rule` as checked; true when it decides.
    bool check(DecisionReason rule, bool applies)
    {
        m_trace.append(traceEntry(rule, applies));
        return applies;
    }

    RuleVerdict verdict(DecisionKind kind, DecisionReason reason) &&
    {
        return RuleVerdict{kind, reason, std::move(m_phone), std::move(m_trace)};
    }

private:
    QString m_phone;
    QStringList m_trace;
};

bool isExcludedType(const QString& type, const QStringList& excludedTypes)
{
    const QString trimmed = type.trimmed();
    return !trimmed.isEmpty() && std::ranges::any_of(excludedTypes, [&](const QString& excluded) {
        return excluded.trimmed().compare(trimmed, Qt::CaseInsensitive) == 0;
    });
}

// Rule 9 reads notes exactly as the consultation item's has_notes does, so the two never disagree.
bool notesArrived(const VisitInput& visit)
{
    return visit.consultationRead && hasNotes(visit.notesHtml, visit.dischargeSummary);
}

// The number a call for this visit dials: none for a block or roster row, which has no client.
QString visitPhone(const VisitInput& visit, const PhoneCountry& country)
{
    if (visit.isBlock || visit.isRoster)
        return {};
    const auto chosen = choosePhone(visit.phones, country);
    return chosen ? chosen->number.e164 : QString();
}

} // namespace

DischargeRules::DischargeRules(ClinicPolicy policy)
    : m_policy(std::move(policy))
    , m_endOfLife(m_policy.discharge.blockedKeywords)
{}

bool DischargeRules::mentionsEndOfLife(const VisitInput& visit) const
{
    // Each text on its own: a phrase must not be made of the end of one field and the start of another.
    if (m_endOfLife.mentions(visit.appointmentType) || m_endOfLife.mentions(visit.reason) ||
        m_endOfLife.mentions(visit.notesHtml) || m_endOfLife.mentions(visit.dischargeSummary))
        return true;
    return std::ranges::any_of(visit.productLines,
                               [&](const QString& line) { return m_endOfLife.mentions(line); });
}

RuleVerdict DischargeRules::decide(const VisitInput& visit, const QDateTime& nowUtc) const
{
    using enum DecisionReason;
    const DischargePolicy& policy = m_policy.discharge;
    Evaluation rules(visitPhone(visit, m_policy.country));
    if (rules.check(Block, visit.isBlock || visit.isRoster))
        return std::move(rules).verdict(DecisionKind::Excluded, Block);
    if (rules.check(Cancelled, visit.status == VisitStatus::Cancelled))
        return std::move(rules).verdict(DecisionKind::Excluded, Cancelled);
    if (rules.check(NoShow, visit.status == VisitStatus::NoShow))
        return std::move(rules).verdict(DecisionKind::Excluded, NoShow);
    if (rules.check(NotFinished, visit.status != VisitStatus::Completed))
        return std::move(rules).verdict(DecisionKind::Excluded, NotFinished);
    if (rules.check(EndOfLife, mentionsEndOfLife(visit)))
        return std::move(rules).verdict(DecisionKind::Excluded, EndOfLife);
    if (rules.check(Type, isExcludedType(visit.appointmentType, policy.excludedAppointmentTypes)))
        return std::move(rules).verdict(DecisionKind::Excluded, Type);
    if (rules.check(NoPhone, rules.phone().isEmpty()))
        return std::move(rules).verdict(DecisionKind::Excluded, NoPhone);
    // An end that cannot be placed in time is not a recent visit: when in doubt, no call.
    const QDateTime end = visitEndUtc(visit, m_policy.zone);
    const bool tooOld = !end.isValid() || end.secsTo(nowUtc) > qint64(policy.maxVisitAgeDays) * kSecsPerDay;
    if (rules.check(TooOld, tooOld))
        return std::move(rules).verdict(DecisionKind::Excluded, TooOld);
    if (rules.check(Disabled, !policy.enabled))
        return std::move(rules).verdict(DecisionKind::Excluded, Disabled);
    if (rules.check(WaitingForNotes, !notesArrived(visit)))
        return std::move(rules).verdict(DecisionKind::WaitingForNotes, WaitingForNotes);
    rules.check(Planned, true);
    return std::move(rules).verdict(DecisionKind::Planned, Planned);
}

RuleVerdict DischargeRules::recheckPlanned(const VisitInput& visit) const
{
    using enum DecisionReason;
    Evaluation rules(visitPhone(visit, m_policy.country));
    if (rules.check(Removed, visit.removedFromNeo))
        return std::move(rules).verdict(DecisionKind::Cancelled, Removed);
    if (rules.check(Cancelled, visit.status == VisitStatus::Cancelled))
        return std::move(rules).verdict(DecisionKind::Cancelled, Cancelled);
    if (rules.check(NoShow, visit.status == VisitStatus::NoShow))
        return std::move(rules).verdict(DecisionKind::Cancelled, NoShow);
    if (rules.check(EndOfLife, mentionsEndOfLife(visit)))
        return std::move(rules).verdict(DecisionKind::Cancelled, EndOfLife);
    if (rules.check(NoPhone, rules.phone().isEmpty()))
        return std::move(rules).verdict(DecisionKind::Cancelled, NoPhone);
    rules.check(Planned, true);
    return std::move(rules).verdict(DecisionKind::Planned, Planned);
}

} // namespace odis::sync
