#include "sync/core/discharge_planner.h"

#include "sync/core/call_stagger.h"

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

bool isLivePlannedCall(const DischargeDecision& decision, const QDateTime& nowUtc)
{
    return decision.kind == DecisionKind::Planned && decision.scheduledFor > nowUtc;
}

// The decision for one visit before staggering: a new planned call has no time yet.
std::optional<DischargeDecision> decideVisit(const DischargeRules& rules, const VisitInput& visit,
                                             const DischargeDecision* earlier, const QDateTime& nowUtc)
{
    if (earlier && (earlier->kind == DecisionKind::Cancelled ||
                    (earlier->kind == DecisionKind::Planned && !isLivePlannedCall(*earlier, nowUtc))))
        return *earlier; // final: one call per appointment, ever
    if (earlier && earlier->kind == DecisionKind::Planned) {
        const RuleVerdict check = rules.recheckPlanned(visit);
        if (check.kind == DecisionKind::Cancelled) {
            const QString consultation =
                visit.consultationId.isEmpty() ? earlier->consultationId : visit.consultationId;
            return DischargeDecision{visit.appointmentId, consultation, DecisionKind::Cancelled,
                                     check.reason,        QDateTime(),  check.customerPhone,
                                     check.ruleTrace};
        }
        DischargeDecision kept = *earlier;
        kept.customerPhone = check.customerPhone;
        if (!visit.consultationId.isEmpty())
            kept.consultationId = visit.consultationId;
        return kept;
    }
    if (visit.removedFromNeo) {
        if (earlier)
            return *earlier;
        return std::nullopt;
    }
    const RuleVerdict verdict = rules.decide(visit, nowUtc);
    return DischargeDecision{visit.appointmentId, visit.consultationId,  verdict.kind,     verdict.reason,
                             QDateTime(),         verdict.customerPhone, verdict.ruleTrace};
}

Status checkVisits(const QList<VisitInput>& visits)
{
    QSet<QString> seen;
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

Result<QHash<QString, DischargeDecision>> indexEarlier(const QList<DischargeDecision>& earlier)
{
    QHash<QString, DischargeDecision> byId;
    for (const DischargeDecision& decision : earlier) {
        if (decision.appointmentId.isEmpty())
            return invalidInput(QStringLiteral("an earlier decision has no appointment id"));
        if (byId.contains(decision.appointmentId))
            return invalidInput(
                QStringLiteral("appointment %1 has two earlier decisions").arg(decision.appointmentId));
        if (decision.kind == DecisionKind::Planned && !decision.scheduledFor.isValid())
            return invalidInput(
                QStringLiteral("the planned call of appointment %1 has no time").arg(decision.appointmentId));
        byId.insert(decision.appointmentId, decision);
    }
    return byId;
}

} // namespace

Result<DischargePlanner> DischargePlanner::create(ClinicPolicy policy)
{
    if (const Status valid = validateClinicPolicy(policy); !valid)
        return std::unexpected(valid.error());
    return DischargePlanner(std::move(policy));
}

DischargePlanner::DischargePlanner(ClinicPolicy policy)
    : m_rules(std::move(policy))
    , m_calendar(m_rules.policy())
{}

Result<QList<DecisionUpdate>> DischargePlanner::plan(const QList<VisitInput>& visits,
                                                     const QList<DischargeDecision>& earlier,
                                                     const QDateTime& nowUtc) const
{
    if (!nowUtc.isValid())
        return invalidInput(QStringLiteral("now is not a valid instant"));
    if (const Status valid = checkVisits(visits); !valid)
        return std::unexpected(valid.error());
    const auto earlierById = indexEarlier(earlier);
    if (!earlierById)
        return std::unexpected(earlierById.error());

    // Sorted first, so that nothing below depends on the order the visits were read in.
    QList<const VisitInput*> ordered;
    for (const VisitInput& visit : visits)
        ordered.append(&visit);
    std::ranges::sort(ordered, [](const VisitInput* left, const VisitInput* right) {
        return appointmentIdLess(left->appointmentId, right->appointmentId);
    });

    QList<DischargeDecision> decisions;
    QList<StaggerRequest> requests;
    QSet<QString> readIds;
    for (const VisitInput* visit : std::as_const(ordered)) {
        readIds.insert(visit->appointmentId);
        const auto found = earlierById->constFind(visit->appointmentId);
        const DischargeDecision* before = found == earlierById->cend() ? nullptr : &found.value();
        auto decision = decideVisit(m_rules, *visit, before, nowUtc);
        if (!decision)
            continue;
        if (decision->kind == DecisionKind::Planned && !decision->scheduledFor.isValid())
            requests.append(StaggerRequest{visit->appointmentId,
                                           m_calendar.proposedCallTime(visit->start.date, nowUtc),
                                           visitEndUtc(*visit, m_calendar.zone())});
        decisions.append(std::move(*decision));
    }

    // Every planned call not yet passed holds its minute: those kept in this run and those of
    // appointments not read in this run alike.
    QList<QDateTime> held;
    for (const DischargeDecision& decision : std::as_const(decisions)) {
        if (isLivePlannedCall(decision, nowUtc))
            held.append(decision.scheduledFor);
    }
    for (const DischargeDecision& decision : earlier) {
        if (!readIds.contains(decision.appointmentId) && isLivePlannedCall(decision, nowUtc))
            held.append(decision.scheduledFor);
    }
    const auto placed = staggerCalls(requests, held, policy().discharge.staggerMinutes, m_calendar);
    if (!placed)
        return std::unexpected(placed.error());
    QHash<QString, QDateTime> times;
    for (const StaggeredCall& call : *placed)
        times.insert(call.appointmentId, call.scheduledFor);

    QList<DecisionUpdate> updates;
    updates.reserve(decisions.size());
    for (DischargeDecision& decision : decisions) {
        if (decision.kind == DecisionKind::Planned && !decision.scheduledFor.isValid())
            decision.scheduledFor = times.value(decision.appointmentId);
        const auto found = earlierById->constFind(decision.appointmentId);
        const bool changed = found == earlierById->cend() || found.value() != decision;
        updates.append(DecisionUpdate{std::move(decision), changed});
    }
    return updates;
}

} // namespace odis::sync
