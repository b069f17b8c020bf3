#pragma once

// Multi-run planning scenarios on hand-made visits: each run plans the visits it reads against what the
// earlier runs decided and found, as the agent's store would carry it, and the test reads the decisions
// back in a compact form ("482913 grouped 2026-03-11 16:00 into 482912").

#include "sync/core/discharge_planner.h"
#include "tests/unit/discharge_fixtures.h"

#include <QHash>
#include <QMetaType>
#include <QStringList>

namespace odis::test {

struct PlanRun
{
    QDateTime now;
    QList<sync::VisitInput> visits;
    QList<sync::VisitInput> unread;
};

// What the store holds between runs.
struct PlanWorld
{
    QHash<QString, sync::DischargeDecision> decisions;
    QList<sync::PatientFinding> findings;
};

// A completed visit of `patient` seen by `phone` (10 digits), on `date` at `start` for 30 minutes.
inline sync::VisitInput patientVisit(const QString& id, const QString& patient, const QString& phone,
                                     QDate date, QTime start)
{
    sync::VisitInput visit = finishedVisit(id, date, start, start.addSecs(30 * 60));
    visit.patientId = patient;
    visit.phones.mobile = phone;
    return visit;
}

// "<id> <wire reason>[ <clinic wall time>][ group=<ids>][ into <carrier>]"
inline QString describeDecision(const sync::DischargeDecision& decision, const QTimeZone& zone)
{
    QString text = decision.appointmentId + QLatin1Char(' ') + decision.wireReason();
    if (decision.scheduledFor.isValid())
        text += QLatin1Char(' ') + wall(decision.scheduledFor, zone);
    if (!decision.group.isEmpty())
        text += QStringLiteral(" group=") + decision.group.join(QLatin1Char(','));
    if (!decision.groupedInto.isEmpty())
        text += QStringLiteral(" into ") + decision.groupedInto;
    return text;
}

// Runs every run in order; fails the current test on a planner error. Returns the last run's result.
inline sync::PlanResult runAll(const sync::DischargePlanner& planner, const QList<PlanRun>& runs,
                               PlanWorld& world)
{
    sync::PlanResult last;
    for (const PlanRun& run : runs) {
        const auto result = planner.plan(
            sync::PlanInput{run.visits, run.unread, world.decisions.values(), world.findings, run.now});
        if (!result)
            qFatal("planner: %s", qPrintable(result.error().toString()));
        for (const sync::DecisionUpdate& update : result->updates)
            world.decisions.insert(update.decision.appointmentId, update.decision);
        world.findings += result->newFindings;
        last = *result;
    }
    return last;
}

// The decisions of `ids`, described, in the given order.
inline QStringList describeAll(const PlanWorld& world, const QStringList& ids, const QTimeZone& zone)
{
    QStringList lines;
    for (const QString& id : ids)
        lines.append(world.decisions.contains(id) ? describeDecision(world.decisions.value(id), zone)
                                                  : id + QStringLiteral(" none"));
    return lines;
}

} // namespace odis::test

Q_DECLARE_METATYPE(odis::test::PlanRun)
