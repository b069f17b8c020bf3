#include "sync/core/planning_run.h"

#include "sync/core/call_stagger.h"
#include "sync/core/local_time.h"

#include <algorithm>
#include <utility>

namespace odis::sync {

namespace {

bool isLiveCall(const DischargeDecision& decision, const QDateTime& nowUtc)
{
    return decision.isCall() && decision.scheduledFor > nowUtc;
}

DischargeDecision fromVerdict(const VisitInput& visit, const RuleVerdict& verdict)
{
    return DischargeDecision{visit.appointmentId,
                             visit.consultationId,
                             verdict.kind,
                             verdict.reason,
                             QDateTime(),
                             verdict.customerPhone,
                             verdict.ruleTrace,
                             {},
                             {}};
}

// A cancelled call keeps the consultation it was about when the visit no longer names one.
DischargeDecision cancelled(const VisitInput& visit, const DischargeDecision& earlier,
                            const RuleVerdict& check)
{
    DischargeDecision decision = fromVerdict(visit, check);
    if (decision.consultationId.isEmpty())
        decision.consultationId = earlier.consultationId;
    return decision;
}

// A call the rules would plan, from data that is not complete: it waits for a complete read.
DischargeDecision waitingForCompleteData(const VisitInput& visit, const RuleVerdict& planned)
{
    DischargeDecision decision = fromVerdict(visit, planned);
    decision.kind = DecisionKind::WaitingForNotes;
    decision.reason = DecisionReason::WaitingForNotes;
    decision.ruleTrace.removeLast(); // "planned:hit"
    decision.ruleTrace.removeLast(); // "waiting_for_notes:pass"
    decision.ruleTrace.append(traceEntry(DecisionReason::WaitingForNotes, QStringLiteral("incomplete data")));
    return decision;
}

QList<const VisitInput*> sortedById(const QList<VisitInput>& visits)
{
    QList<const VisitInput*> ordered;
    for (const VisitInput& visit : visits)
        ordered.append(&visit);
    std::ranges::sort(ordered, [](const VisitInput* left, const VisitInput* right) {
        return appointmentIdLess(left->appointmentId, right->appointmentId);
    });
    return ordered;
}

bool hasPatient(const VisitInput& visit)
{
    return !visit.isBlock && !visit.isRoster && !visit.patientId.isEmpty();
}

} // namespace

PlanningRun::PlanningRun(const DischargeRules& rules, const PlanInput& input,
                         const QHash<QString, DischargeDecision>& earlier)
    : m_rules(rules)
    , m_input(input)
    , m_earlier(earlier)
    , m_now(input.nowUtc)
{}

void PlanningRun::findPatients()
{
    for (const PatientFinding& finding : m_input.findings) {
        if (!finding.patientId.isEmpty() && !m_findings.contains(finding.patientId))
            m_findings.insert(finding.patientId, finding);
    }
    QList<VisitInput> all = m_input.visits + m_input.unread;
    for (const VisitInput* visit : sortedById(all)) {
        if (!hasPatient(*visit) || m_findings.contains(visit->patientId))
            continue;
        if (const auto mention = m_rules.endOfLifeIn(*visit)) {
            const PatientFinding finding{visit->patientId, visit->appointmentId, mention->rule,
                                         mention->words};
            m_findings.insert(finding.patientId, finding);
            m_newFindings.append(finding);
        }
    }
    std::ranges::sort(m_newFindings, [](const PatientFinding& left, const PatientFinding& right) {
        return appointmentIdLess(left.patientId, right.patientId);
    });
}

void PlanningRun::decideRead()
{
    for (const VisitInput* visit : sortedById(m_input.visits)) {
        m_handled.insert(visit->appointmentId);
        decideVisit(*visit, earlierOf(visit->appointmentId));
    }
}

void PlanningRun::recheckUnread()
{
    for (const VisitInput* visit : sortedById(m_input.unread)) {
        m_handled.insert(visit->appointmentId);
        const DischargeDecision* earlier = earlierOf(visit->appointmentId);
        if (!earlier || !isLiveCall(*earlier, m_now))
            continue; // only there for its findings
        const RuleVerdict check = m_rules.recheckUnreadCall(*visit, earlier->scheduledFor, findingOf(*visit));
        if (check.kind == DecisionKind::Cancelled)
            m_settled.append(cancelled(*visit, *earlier, check));
        else
            keep(*earlier, visit);
    }
    for (const DischargeDecision& earlier : m_input.earlier) {
        if (!m_handled.contains(earlier.appointmentId) && isLiveCall(earlier, m_now))
            keep(earlier, nullptr);
    }
}

void PlanningRun::releaseKeptCalls()
{
    const QTimeZone& zone = m_rules.policy().zone;
    const auto ownerDay = [&zone](const DischargeDecision& decision) -> QString {
        return decision.customerPhone + QLatin1Char(' ') +
               toClinicLocal(decision.scheduledFor, zone).date().toString(Qt::ISODate);
    };
    QList<KeptCall> stay;
    QList<KeptCall> grouped;
    QHash<QString, QString> carriers; // appointment id of a call kept in place -> its owner and day
    for (const KeptCall& kept : std::as_const(m_kept)) {
        const DischargeDecision& decision = kept.call.decision;
        if (kept.visit && !m_rules.calendar().isCallSlot(decision.scheduledFor)) {
            place(kept, m_rules.calendar().proposedCallTime(kept.visit->start.date, m_now));
        } else if (decision.kind == DecisionKind::Grouped) {
            grouped.append(kept);
        } else {
            stay.append(kept);
            carriers.insert(decision.appointmentId, ownerDay(decision));
        }
    }
    for (const KeptCall& member : std::as_const(grouped)) {
        const DischargeDecision& decision = member.call.decision;
        const bool together = carriers.value(decision.groupedInto) == ownerDay(decision);
        if (together || !member.visit)
            stay.append(member); // without a visit there is nothing to place it by: it keeps its time
        else
            place(member, decision.scheduledFor);
    }
    m_kept = stay;
}

Status PlanningRun::placeRequests()
{
    QList<QDateTime> held;
    for (const KeptCall& kept : std::as_const(m_kept)) {
        if (kept.call.decision.kind == DecisionKind::Planned)
            held.append(kept.call.decision.scheduledFor);
    }
    QList<StaggerRequest> staggered;
    QHash<QString, const Request*> byId;
    for (const Request& request : std::as_const(m_requests)) {
        staggered.append(StaggerRequest{request.decision.appointmentId, request.proposed,
                                        visitEndUtc(*request.visit, m_rules.policy().zone),
                                        m_rules.latestCallTime(*request.visit)});
        byId.insert(request.decision.appointmentId, &request);
    }
    const auto placed =
        staggerCalls(staggered, held, m_rules.policy().discharge.staggerMinutes, m_rules.calendar());
    if (!placed)
        return propagate(placed);
    for (const StaggeredCall& call : *placed) {
        const Request& request = *byId.value(call.appointmentId);
        if (call.tooLate) {
            m_settled.append(tooLate(request, call.scheduledFor));
            continue;
        }
        DischargeDecision decision = request.decision;
        decision.scheduledFor = call.scheduledFor;
        m_calls.append(LiveCall{decision, visitEndUtc(*request.visit, m_rules.policy().zone), false});
    }
    return ok();
}

QList<DecisionUpdate> PlanningRun::result()
{
    for (const KeptCall& kept : std::as_const(m_kept))
        m_calls.append(kept.call);
    groupCalls(m_calls, m_rules.policy().zone);
    QList<DischargeDecision> decisions = m_settled;
    for (const LiveCall& call : std::as_const(m_calls))
        decisions.append(call.decision);
    std::ranges::sort(decisions, [](const DischargeDecision& left, const DischargeDecision& right) {
        return appointmentIdLess(left.appointmentId, right.appointmentId);
    });
    QList<DecisionUpdate> updates;
    updates.reserve(decisions.size());
    for (DischargeDecision& decision : decisions) {
        const DischargeDecision* earlier = earlierOf(decision.appointmentId);
        const bool changed = !earlier || *earlier != decision;
        updates.append(DecisionUpdate{std::move(decision), changed});
    }
    return updates;
}

const DischargeDecision* PlanningRun::earlierOf(const QString& appointmentId) const
{
    const auto found = m_earlier.constFind(appointmentId);
    return found == m_earlier.cend() ? nullptr : &found.value();
}

const PatientFinding* PlanningRun::findingOf(const VisitInput& visit) const
{
    if (!hasPatient(visit))
        return nullptr;
    const auto found = m_findings.constFind(visit.patientId);
    return found == m_findings.cend() ? nullptr : &found.value();
}

void PlanningRun::keep(const DischargeDecision& decision, const VisitInput* visit)
{
    const QDateTime end = visit ? visitEndUtc(*visit, m_rules.policy().zone) : QDateTime();
    m_kept.append(KeptCall{LiveCall{decision, end, decision.kind == DecisionKind::Planned}, visit});
}

void PlanningRun::place(const KeptCall& kept, const QDateTime& proposed)
{
    DischargeDecision decision = kept.call.decision;
    decision.kind = DecisionKind::Planned;
    decision.reason = DecisionReason::Planned;
    decision.groupedInto.clear();
    decision.group.clear();
    m_requests.append(Request{kept.visit, decision, proposed, WhenTooLate::Cancel, {}});
}

DischargeDecision PlanningRun::tooLate(const Request& request, const QDateTime& placedAt) const
{
    const VisitInput& visit = *request.visit;
    switch (request.tooLate) {
    case WhenTooLate::Exclude:
        return fromVerdict(visit, m_rules.decide(visit, m_now, findingOf(visit), placedAt));
    case WhenTooLate::Cancel:
        return cancelled(visit, request.decision, m_rules.recheckCall(visit, placedAt, findingOf(visit)));
    case WhenTooLate::Keep:
        break;
    }
    return request.kept;
}

void PlanningRun::decideVisit(const VisitInput& visit, const DischargeDecision* earlier)
{
    if (earlier && earlier->isCall() && !isLiveCall(*earlier, m_now)) {
        m_settled.append(*earlier); // final: the call was made
        return;
    }
    if (earlier && earlier->kind == DecisionKind::Cancelled) {
        replanRemoved(visit, *earlier);
        return;
    }
    if (earlier && earlier->isCall()) {
        const RuleVerdict check = m_rules.recheckCall(visit, earlier->scheduledFor, findingOf(visit));
        if (check.kind == DecisionKind::Cancelled) {
            m_settled.append(cancelled(visit, *earlier, check));
            return;
        }
        DischargeDecision kept = *earlier;
        kept.customerPhone = check.customerPhone;
        if (!visit.consultationId.isEmpty())
            kept.consultationId = visit.consultationId;
        keep(kept, &visit);
        return;
    }
    if (visit.removedFromNeo) {
        if (earlier)
            m_settled.append(*earlier); // no appointment left to decide about
        return;
    }
    const RuleVerdict verdict = m_rules.decide(visit, m_now, findingOf(visit));
    if (verdict.kind != DecisionKind::Planned) {
        m_settled.append(fromVerdict(visit, verdict));
        return;
    }
    if (!visit.complete) {
        // When in doubt, no call, and no change from what could not be read whole: an earlier decision
        // (an exclusion, a wait) stands until a complete read; a visit first seen so waits for one.
        m_settled.append(earlier ? *earlier : waitingForCompleteData(visit, verdict));
        return;
    }
    m_requests.append(Request{&visit,
                              fromVerdict(visit, verdict),
                              m_rules.calendar().proposedCallTime(visit.start.date, m_now),
                              WhenTooLate::Exclude,
                              {}});
}

void PlanningRun::replanRemoved(const VisitInput& visit, const DischargeDecision& earlier)
{
    if (earlier.reason != DecisionReason::Removed || visit.removedFromNeo || !visit.complete) {
        m_settled.append(earlier);
        return;
    }
    const RuleVerdict verdict = m_rules.decide(visit, m_now, findingOf(visit));
    const QDateTime scheduled = m_rules.calendar().scheduledCallTime(visit.start.date);
    const QDateTime earliest = ceilToMinute(m_now.addSecs(qint64(kLateNotesLeadMinutes) * 60));
    if (verdict.kind != DecisionKind::Planned || !scheduled.isValid() || scheduled < earliest) {
        m_settled.append(earlier);
        return;
    }
    m_requests.append(Request{&visit, fromVerdict(visit, verdict), scheduled, WhenTooLate::Keep, earlier});
}

} // namespace odis::sync
