#include "sync/core/call_grouping.h"

#include "sync/core/local_time.h"
#include "sync/core/visit_input.h"

#include <QHash>

#include <algorithm>

namespace odis::sync {

namespace {

// The trace of a call ends with its outcome: replaces a "planned:" or "grouped:" last entry, else appends.
void setOutcome(QStringList& trace, const QString& entry)
{
    const QString planned = reasonCode(DecisionReason::Planned) + QLatin1Char(':');
    const QString grouped = reasonCode(DecisionReason::Grouped) + QLatin1Char(':');
    if (!trace.isEmpty() && (trace.last().startsWith(planned) || trace.last().startsWith(grouped)))
        trace.removeLast();
    trace.append(entry);
}

bool carrierBefore(const LiveCall& left, const LiveCall& right)
{
    const QDateTime leftEnd = left.visitEnd.isValid() ? left.visitEnd : left.decision.scheduledFor;
    const QDateTime rightEnd = right.visitEnd.isValid() ? right.visitEnd : right.decision.scheduledFor;
    if (left.decision.scheduledFor != right.decision.scheduledFor)
        return left.decision.scheduledFor < right.decision.scheduledFor;
    if (left.plannedBefore != right.plannedBefore)
        return left.plannedBefore;
    if (leftEnd != rightEnd)
        return leftEnd < rightEnd;
    return appointmentIdLess(left.decision.appointmentId, right.decision.appointmentId);
}

void makeAlone(LiveCall& call)
{
    DischargeDecision& decision = call.decision;
    decision.kind = DecisionKind::Planned;
    decision.reason = DecisionReason::Planned;
    decision.group.clear();
    decision.groupedInto.clear();
    setOutcome(decision.ruleTrace, traceEntry(DecisionReason::Planned, true));
}

} // namespace

void groupCalls(QList<LiveCall>& calls, const QTimeZone& zone)
{
    QHash<QString, QList<qsizetype>> byOwnerDay;
    QList<QString> order; // first appearance, for a deterministic walk
    for (qsizetype index = 0; index < calls.size(); ++index) {
        const DischargeDecision& decision = calls.at(index).decision;
        if (decision.customerPhone.isEmpty()) {
            makeAlone(calls[index]);
            continue;
        }
        const QString key = decision.customerPhone + QLatin1Char(' ') +
                            toClinicLocal(decision.scheduledFor, zone).date().toString(Qt::ISODate);
        if (!byOwnerDay.contains(key))
            order.append(key);
        byOwnerDay[key].append(index);
    }
    for (const QString& key : std::as_const(order)) {
        QList<qsizetype> members = byOwnerDay.value(key);
        std::ranges::sort(members, [&](qsizetype left, qsizetype right) {
            return carrierBefore(calls.at(left), calls.at(right));
        });
        LiveCall& carrier = calls[members.first()];
        makeAlone(carrier);
        if (members.size() == 1)
            continue;
        for (const qsizetype index : std::as_const(members))
            carrier.decision.group.append(calls.at(index).decision.appointmentId);
        std::ranges::sort(carrier.decision.group, appointmentIdLess);
        for (qsizetype position = 1; position < members.size(); ++position) {
            DischargeDecision& member = calls[members.at(position)].decision;
            member.kind = DecisionKind::Grouped;
            member.reason = DecisionReason::Grouped;
            member.scheduledFor = carrier.decision.scheduledFor;
            member.group.clear();
            member.groupedInto = carrier.decision.appointmentId;
            setOutcome(member.ruleTrace,
                       traceEntry(DecisionReason::Grouped,
                                  QStringLiteral("into ") + carrier.decision.appointmentId));
        }
    }
}

} // namespace odis::sync
