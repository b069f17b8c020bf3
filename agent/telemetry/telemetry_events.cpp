#include "agent/telemetry/telemetry_events.h"

#include "agent/telemetry/telemetry_allow_list.h"
#include "storage/codes/agent_codes.h"

namespace odis::agent {

namespace {

QJsonObject runIdentity(const RunRecord& run)
{
    return QJsonObject{{QStringLiteral("run_id"), run.runId},
                       {QStringLiteral("trigger"), runTriggerName(run.trigger)},
                       {QStringLiteral("status"), runStatusName(run.status)}};
}

qint64 durationOf(const RunRecord& run)
{
    return run.durationMs.value_or(std::max<qint64>(0, run.startedAt.msecsTo(run.finishedAt)));
}

std::unexpected<Error> wrongRun(const RunRecord& run, const QString& event)
{
    return fail(codes::kTelemetryRunNotFinished,
                QStringLiteral("run %1 is %2: no %3 event").arg(run.runId, runStatusName(run.status), event));
}

} // namespace

Result<TelemetryEvent> makeTelemetryEvent(const QString& name, QJsonObject properties, const QDateTime& at)
{
    if (auto allowed = checkTelemetryEvent(name, properties); !allowed)
        return propagate(allowed);
    if (!at.isValid())
        return fail(codes::kTelemetryTimeInvalid, QStringLiteral("%1 has no time").arg(name));
    return TelemetryEvent{name, QUuid::createUuid(), at.toUTC(), std::move(properties)};
}

Result<TelemetryEvent> syncStartedEvent(const RunRecord& run)
{
    return makeTelemetryEvent(QString(telemetry_event::kSyncStarted),
                              QJsonObject{{QStringLiteral("run_id"), run.runId},
                                          {QStringLiteral("trigger"), runTriggerName(run.trigger)}},
                              run.startedAt);
}

Result<TelemetryEvent> syncCompletedEvent(const RunRecord& run)
{
    const QString name(telemetry_event::kSyncCompleted);
    if (!run.succeeded() || !run.finishedAt.isValid())
        return wrongRun(run, name);
    QJsonObject p = runIdentity(run);
    const RunCounts& c = run.counts;
    p.insert(QStringLiteral("appointments_seen"), c.appointmentsSeen);
    p.insert(QStringLiteral("consultations_fetched"), c.consultationsFetched);
    p.insert(QStringLiteral("notes_found"), c.notesFound);
    p.insert(QStringLiteral("items_queued"), c.itemsQueued);
    p.insert(QStringLiteral("items_uploaded"), c.itemsUploaded);
    p.insert(QStringLiteral("calls_planned"), c.callsPlanned);
    p.insert(QStringLiteral("calls_excluded"), c.callsExcluded);
    p.insert(QStringLiteral("failed"), c.failed);
    p.insert(QStringLiteral("duration_ms"), durationOf(run));
    p.insert(QStringLiteral("drift_warnings"), run.driftWarnings);
    if (run.peakRssMb)
        p.insert(QStringLiteral("peak_rss_mb"), *run.peakRssMb);
    return makeTelemetryEvent(name, std::move(p), run.finishedAt);
}

Result<TelemetryEvent> syncFailedEvent(const RunRecord& run)
{
    const QString name(telemetry_event::kSyncFailed);
    if (!run.failedOrInterrupted() || !run.finishedAt.isValid())
        return wrongRun(run, name);
    QJsonObject p = runIdentity(run);
    // Only the code: it is a fixed machine word. The message may name things and stays out.
    p.insert(QStringLiteral("error_code"), run.error ? run.error->code : QString());
    if (!run.step.isEmpty())
        p.insert(QStringLiteral("step"), run.step);
    p.insert(QStringLiteral("duration_ms"), durationOf(run));
    return makeTelemetryEvent(name, std::move(p), run.finishedAt);
}

Result<TelemetryEvent> syncEndedEvent(const RunRecord& run)
{
    if (run.succeeded())
        return syncCompletedEvent(run);
    if (run.failedOrInterrupted())
        return syncFailedEvent(run);
    return wrongRun(run, QStringLiteral("end"));
}

Result<TelemetryEvent> dischargeScheduledEvent(const QString& runId, qint64 count, const QDateTime& at)
{
    QJsonObject p{{QStringLiteral("count"), count}};
    if (!runId.isEmpty())
        p.insert(QStringLiteral("run_id"), runId);
    return makeTelemetryEvent(QString(telemetry_event::kDischargeScheduled), std::move(p), at);
}

Result<TelemetryEvent> credentialValidatedEvent(bool valid, const QString& reason, const QDateTime& at)
{
    QJsonObject p{{QStringLiteral("valid"), valid}};
    if (!reason.isEmpty())
        p.insert(QStringLiteral("reason"), reason);
    return makeTelemetryEvent(QString(telemetry_event::kCredentialValidated), std::move(p), at);
}

} // namespace odis::agent
