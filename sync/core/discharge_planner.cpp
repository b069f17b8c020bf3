#include "sync/core/discharge_planner.h"

#include "sync/core/planning_run.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <optional>
#include <utility>

namespace odis::sync {

namespace {

std::unexpected<Error> invalidInput(const QString& message)
{
    return fail(QString(kDischargeInputInvalid), message);
}

[[nodiscard]] Status checkVisits(const QList<VisitInput>& visits, QSet<QString>& seen)
{
    for (const VisitInput& visit : visits) {
        if (visit.appointmentId.isEmpty())
            return invalidInput(QStringLiteral("a visit has no appointment id"));
        if (seen.contains(visit.appointmentId))
            return invalidInput(QStringLiteral("appointment %1 is read twice").arg(visit.appointmentId));
        if (!visit.start.isValid())
            return invalidInput(QStringLiteral("appointment %1 has no valid start").arg(visit.appointmentId));
        seen.insert(visit.appointmentId);
    }
    return ok();
}

[[nodiscard]] Result<QHash<QString, DischargeDecision>> indexEarlier(const QList<DischargeDecision>& earlier)
{
    QHash<QString, DischargeDecision> byId;
    for (const DischargeDecision& decision : earlier) {
        if (decision.appointmentId.isEmpty())
            return invalidInput(QStringLiteral("an earlier decision has no appointment id"));
        if (byId.contains(decision.appointmentId))
            return invalidInput(
                QStringLiteral("appointment %1 has two earlier decisions").arg(decision.appointmentId));
        if (decision.isCall() && !decision.scheduledFor.isValid())
            return invalidInput(
                QStringLiteral("the call of appointment %1 has no time").arg(decision.appointmentId));
        if (decision.kind == DecisionKind::Grouped && decision.groupedInto.isEmpty())
            return invalidInput(QStringLiteral("the grouped call of appointment %1 names no carrier")
                                    .arg(decision.appointmentId));
        byId.insert(decision.appointmentId, decision);
    }
    return byId;
}

} // namespace

Result<DischargePlanner> DischargePlanner::create(ClinicPolicy policy)
{
    const auto vocabulary = loadEndOfLifeVocabulary();
    if (!vocabulary)
        return propagate(vocabulary);
    return create(std::move(policy), *vocabulary);
}

Result<DischargePlanner> DischargePlanner::create(ClinicPolicy policy, const EndOfLifeVocabulary& vocabulary)
{
    if (const Status valid = validateClinicPolicy(policy); !valid)
        return propagate(valid);
    return DischargePlanner(std::move(policy), vocabulary);
}

DischargePlanner::DischargePlanner(ClinicPolicy policy, const EndOfLifeVocabulary& vocabulary)
    : m_rules(std::move(policy), vocabulary)
{}

Result<PlanResult> DischargePlanner::plan(const PlanInput& input) const
{
    if (!input.nowUtc.isValid())
        return invalidInput(QStringLiteral("now is not a valid instant"));
    QSet<QString> seen;
    if (const Status valid = checkVisits(input.visits, seen); !valid)
        return propagate(valid);
    if (const Status valid = checkVisits(input.unread, seen); !valid)
        return propagate(valid);
    const auto earlierById = indexEarlier(input.earlier);
    if (!earlierById)
        return propagate(earlierById);

    PlanningRun run(m_rules, input, *earlierById);
    run.findPatients();
    run.decideRead();
    run.recheckUnread();
    run.releaseKeptCalls();
    if (const Status placed = run.placeRequests(); !placed)
        return propagate(placed);
    return PlanResult{run.result(), run.newFindings()};
}

Result<QList<DecisionUpdate>> DischargePlanner::plan(const QList<VisitInput>& visits,
                                                     const QList<DischargeDecision>& earlier,
                                                     const QDateTime& nowUtc) const
{
    auto result = plan(PlanInput{visits, {}, earlier, {}, nowUtc});
    if (!result)
        return propagate(result);
    return result->updates;
}

} // namespace odis::sync
