#include "sync/core/discharge_rules.h"

#include "sync/core/html_text.h"
#include "sync/core/local_time.h"

#include <algorithm>
#include <utility>

namespace odis::sync {

namespace {

constexpr qint64 kSecsPerDay = qint64{24} * 60 * 60;

// Collects the trace while rules are checked in order; the first hit ends the evaluation.
class Evaluation
{
public:
    explicit Evaluation(QString phone)
        : m_phone(std::move(phone))
    {}

    [[nodiscard]] const QString& phone() const { return m_phone; }

    // Records `rule` as checked; true when it decides. A hit keeps `detail` (why) in the trace.
    bool check(DecisionReason rule, bool applies, const QString& detail = QString())
    {
        m_trace.append(applies ? traceEntry(rule, detail) : traceEntry(rule, false));
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

QString wallClock(const QDateTime& instant, const QTimeZone& zone)
{
    return toClinicLocal(instant, zone).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

QString PatientFinding::describe() const
{
    return QStringLiteral("appointment %1 %2 %3").arg(appointmentId, reasonCode(rule), words);
}

DischargeRules::DischargeRules(ClinicPolicy policy, const EndOfLifeVocabulary& vocabulary)
    : m_policy(std::move(policy))
    , m_calendar(m_policy)
    , m_endOfLife(vocabulary, m_policy.discharge.blockedKeywords)
{}

std::optional<EndOfLifeMention> DischargeRules::endOfLifeIn(const VisitInput& visit) const
{
    // Each text on its own: a phrase must not be made of the end of one field and the start of another.
    QList<std::pair<QString, QStringView>> texts{{QStringLiteral("type"), visit.appointmentType},
                                                 {QStringLiteral("reason"), visit.reason},
                                                 {QStringLiteral("notes"), visit.notesHtml},
                                                 {QStringLiteral("summary"), visit.dischargeSummary}};
    for (const QString& line : visit.productLines)
        texts.append({QStringLiteral("product line"), line});
    QStringList definite;
    QStringList possible;
    for (const auto& [field, text] : std::as_const(texts)) {
        const EndOfLifeWords words = m_endOfLife.findIn(text);
        if (!words.endOfLife.isEmpty())
            definite.append(field + QStringLiteral(": ") + words.endOfLife.join(QStringLiteral(", ")));
        if (!words.possible.isEmpty())
            possible.append(field + QStringLiteral(": ") + words.possible.join(QStringLiteral(", ")));
    }
    if (!definite.isEmpty())
        return EndOfLifeMention{DecisionReason::EndOfLife, definite.join(QStringLiteral("; "))};
    if (!possible.isEmpty())
        return EndOfLifeMention{DecisionReason::EndOfLifePossible, possible.join(QStringLiteral("; "))};
    return std::nullopt;
}

QDateTime DischargeRules::latestCallTime(const VisitInput& visit) const
{
    const QDateTime end = visitEndUtc(visit, m_policy.zone);
    return end.isValid() ? end.addSecs(qint64(m_policy.discharge.maxVisitAgeDays) * kSecsPerDay)
                         : QDateTime();
}

bool DischargeRules::tooOldAt(const VisitInput& visit, const QDateTime& callTime) const
{
    // An end that cannot be placed in time is not a recent visit: when in doubt, no call.
    const QDateTime latest = latestCallTime(visit);
    return !latest.isValid() || !callTime.isValid() || callTime > latest;
}

QString DischargeRules::tooOldDetail(const VisitInput& visit, const QDateTime& callTime) const
{
    const QDateTime end = visitEndUtc(visit, m_policy.zone);
    return QStringLiteral("ended %1, call %2, limit %3 days")
        .arg(end.isValid() ? wallClock(end, m_policy.zone) : QStringLiteral("unknown"),
             callTime.isValid() ? wallClock(callTime, m_policy.zone) : QStringLiteral("none"))
        .arg(m_policy.discharge.maxVisitAgeDays);
}

RuleVerdict DischargeRules::decide(const VisitInput& visit, const QDateTime& nowUtc,
                                   const PatientFinding* finding, const QDateTime& callTime) const
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
    const std::optional<EndOfLifeMention> mention = endOfLifeIn(visit);
    for (const DecisionReason rule : {EndOfLife, EndOfLifePossible}) {
        if (rules.check(rule, mention && mention->rule == rule, mention ? mention->words : QString()))
            return std::move(rules).verdict(DecisionKind::Excluded, rule);
    }
    if (rules.check(EndOfLifePatient, finding != nullptr, finding ? finding->describe() : QString()))
        return std::move(rules).verdict(DecisionKind::Excluded, EndOfLifePatient);
    if (rules.check(Type, isExcludedType(visit.appointmentType, policy.excludedAppointmentTypes),
                    visit.appointmentType.simplified()))
        return std::move(rules).verdict(DecisionKind::Excluded, Type);
    if (rules.check(NoPhone, rules.phone().isEmpty()))
        return std::move(rules).verdict(DecisionKind::Excluded, NoPhone);
    const QDateTime at =
        callTime.isValid() ? callTime : m_calendar.proposedCallTime(visit.start.date, nowUtc);
    if (rules.check(TooOld, tooOldAt(visit, at), tooOldDetail(visit, at)))
        return std::move(rules).verdict(DecisionKind::Excluded, TooOld);
    if (rules.check(Disabled, !policy.enabled))
        return std::move(rules).verdict(DecisionKind::Excluded, Disabled);
    if (rules.check(WaitingForNotes, !notesArrived(visit)))
        return std::move(rules).verdict(DecisionKind::WaitingForNotes, WaitingForNotes);
    rules.check(Planned, true);
    return std::move(rules).verdict(DecisionKind::Planned, Planned);
}

RuleVerdict DischargeRules::recheckCall(const VisitInput& visit, const QDateTime& callTime,
                                        const PatientFinding* finding) const
{
    using enum DecisionReason;
    Evaluation rules(visitPhone(visit, m_policy.country));
    if (rules.check(Removed, visit.removedFromNeo))
        return std::move(rules).verdict(DecisionKind::Cancelled, Removed);
    if (rules.check(Cancelled, visit.status == VisitStatus::Cancelled))
        return std::move(rules).verdict(DecisionKind::Cancelled, Cancelled);
    if (rules.check(NoShow, visit.status == VisitStatus::NoShow))
        return std::move(rules).verdict(DecisionKind::Cancelled, NoShow);
    const std::optional<EndOfLifeMention> mention = endOfLifeIn(visit);
    for (const DecisionReason rule : {EndOfLife, EndOfLifePossible}) {
        if (rules.check(rule, mention && mention->rule == rule, mention ? mention->words : QString()))
            return std::move(rules).verdict(DecisionKind::Cancelled, rule);
    }
    if (rules.check(EndOfLifePatient, finding != nullptr, finding ? finding->describe() : QString()))
        return std::move(rules).verdict(DecisionKind::Cancelled, EndOfLifePatient);
    if (rules.check(NoPhone, rules.phone().isEmpty()))
        return std::move(rules).verdict(DecisionKind::Cancelled, NoPhone);
    if (rules.check(TooOld, tooOldAt(visit, callTime), tooOldDetail(visit, callTime)))
        return std::move(rules).verdict(DecisionKind::Cancelled, TooOld);
    rules.check(Planned, true);
    return std::move(rules).verdict(DecisionKind::Planned, Planned);
}

RuleVerdict DischargeRules::recheckUnreadCall(const VisitInput& visit, const QDateTime& callTime,
                                              const PatientFinding* finding) const
{
    using enum DecisionReason;
    Evaluation rules(visitPhone(visit, m_policy.country));
    if (rules.check(EndOfLifePatient, finding != nullptr, finding ? finding->describe() : QString()))
        return std::move(rules).verdict(DecisionKind::Cancelled, EndOfLifePatient);
    if (rules.check(TooOld, tooOldAt(visit, callTime), tooOldDetail(visit, callTime)))
        return std::move(rules).verdict(DecisionKind::Cancelled, TooOld);
    rules.check(Planned, true);
    return std::move(rules).verdict(DecisionKind::Planned, Planned);
}

} // namespace odis::sync
