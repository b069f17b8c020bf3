#include "agent/resident/agent_status.h"

#include "agent/alerts/alert_inputs.h"
#include "agent/resident/schedule_store.h"
#include "agent/run/run_log.h"
#include "agent/run/sync_settings.h"
#include "storage/clock.h"
#include "storage/codes/neo_codes.h"
#include "storage/database.h"
#include "storage/idexx_credentials.h"
#include "storage/neo_origin_binding.h"
#include "sync/backend/clinic_profile.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/outbox.h"
#include "sync/backend/utc_text.h"

#include <QJsonArray>
#include <QTextStream>

namespace odis::agent {

namespace {

QJsonValue instant(const std::optional<QDateTime>& t)
{
    return t && t->isValid() ? QJsonValue(sync::utcText(*t)) : QJsonValue(QJsonValue::Null);
}

} // namespace

Result<StoreStatus> readStoreStatus(storage::Database& db, storage::IdexxCredentials& credentials,
                                    const Clock& clock)
{
    StoreStatus s;
    auto agentId =
        db.scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {sync::enrollment_kv::kAgentId});
    if (!agentId)
        return propagate(agentId);
    s.agentId = agentId->toString();
    s.enrolled = !s.agentId.isEmpty();

    auto credential = credentials.status();
    if (!credential)
        return propagate(credential);
    s.credentials = credential->state;
    s.loginUnreadable = credential->suspendedForUnknownOutcomes();
    auto originPending = storage::NeoOriginBinding(db, clock).pending();
    if (!originPending)
        return propagate(originPending);
    s.neoOriginPending = *originPending;

    RunLog runs(db, clock);
    auto newest = runs.lastFinished(alert_threshold::kFailureWindowRuns);
    if (!newest)
        return propagate(newest);
    s.secondFactorRequested = !newest->isEmpty() && newest->first().error &&
                              newest->first().error->code == codes::kNeoSecondFactorRequired;
    if (!newest->isEmpty())
        s.lastFinishedRun = newest->first();
    for (const RunRecord& run : std::as_const(*newest)) {
        if (run.succeeded()) {
            s.lastSucceededRun = run;
            break;
        }
    }
    auto unfinished = runs.findUnfinished();
    if (!unfinished)
        return propagate(unfinished);
    s.unfinishedRun = unfinished->has_value();
    auto lastSuccess = runs.lastSuccessAt();
    if (!lastSuccess)
        return propagate(lastSuccess);
    s.lastSuccessUtc = *lastSuccess;

    sync::Outbox outbox(db, clock);
    auto depth = outbox.depth();
    auto failed = outbox.failedCount();
    if (!depth || !failed)
        return std::unexpected(!depth ? depth.error() : failed.error());
    s.outboxDepth = *depth;
    s.failedItems = *failed;

    // The store opened, so the keychain answered.
    auto inputs = gatherAlertInputs(
        runs, outbox, clock.nowUtc(),
        credentialConditionFor(s.credentials, s.secondFactorRequested, s.loginUnreadable), true);
    if (!inputs)
        return propagate(inputs);
    inputs->neoOriginPending = s.neoOriginPending;
    s.alerts = evaluateAlerts(*inputs);

    auto schedule = ScheduleStore(db).load();
    if (!schedule)
        return propagate(schedule);
    s.schedule = *schedule;

    auto profile = sync::ClinicProfileCache(db).load();
    if (!profile)
        return propagate(profile);
    if (*profile) {
        if (auto settings = syncSettingsFromProfile((*profile)->json); settings)
            s.intervalMinutes = settings->intervalMinutes;
        if (auto policy = (*profile)->policy(); policy)
            s.clinicZone = policy->zone;
    }
    return s;
}

RunGate runGateFor(const StoreStatus& status)
{
    if (!status.enrolled)
        return RunGate::NotEnrolled;
    // Nothing is typed at another origin until a person confirms it (agent/run/neo_origin_gate.h).
    if (!status.neoOriginPending.isEmpty())
        return RunGate::NeoOriginChanged;
    switch (
        credentialConditionFor(status.credentials, status.secondFactorRequested, status.loginUnreadable)) {
    case CredentialCondition::Usable:
        return RunGate::Open;
    case CredentialCondition::Rejected:
    case CredentialCondition::UnreadableLogin: // suspended: a person saves the login again
        return RunGate::CredentialsRejected;
    case CredentialCondition::NeedsSecondFactor:
        return RunGate::SecondFactorNeeded;
    case CredentialCondition::NotConfigured:
        return status.credentials == storage::CredentialState::Configured ? RunGate::CredentialsUnvalidated
                                                                          : RunGate::CredentialsMissing;
    }
    Q_UNREACHABLE();
    return RunGate::NotEnrolled;
}

QJsonObject storeStatusJson(const StoreStatus& s)
{
    QJsonArray alerts;
    for (const Alert& alert : s.alerts)
        alerts.append(
            QJsonObject{{QStringLiteral("code"), alert.name()}, {QStringLiteral("message"), alert.message}});
    const ScheduleState& sched = s.schedule;
    return QJsonObject{
        {QStringLiteral("version"), QStringLiteral(ODIS_VERSION)},
        {QStringLiteral("enrolled"), s.enrolled},
        {QStringLiteral("agent_id"), s.enrolled ? QJsonValue(s.agentId) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("gate"), runGateName(runGateFor(s))},
        {QStringLiteral("credentials"), storage::credentialStateName(s.credentials)},
        {QStringLiteral("credential_state"), storage::credentialStateOnWire(s.credentials)},
        {QStringLiteral("outbox_depth"), s.outboxDepth},
        {QStringLiteral("failed_items"), s.failedItems},
        {QStringLiteral("last_success_at"),
         instant(sched.lastSuccessUtc && (!s.lastSuccessUtc || *sched.lastSuccessUtc > *s.lastSuccessUtc)
                     ? sched.lastSuccessUtc
                     : s.lastSuccessUtc)},
        {QStringLiteral("next_run_at"), instant(sched.nextDueUtc)},
        {QStringLiteral("paused_until"), instant(sched.pausedUntilUtc)},
        {QStringLiteral("consecutive_failures"), sched.consecutiveFailures},
        {QStringLiteral("interval_minutes"), s.intervalMinutes},
        {QStringLiteral("jitter"), sched.jitter ? QJsonValue(*sched.jitter) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("alerts"), alerts},
        {QStringLiteral("clinic_timezone"), s.clinicZone.isValid()
                                                ? QJsonValue(QString::fromUtf8(s.clinicZone.id()))
                                                : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("last_finished_run"),
         s.lastFinishedRun ? QJsonValue(finishedRunJson(*s.lastFinishedRun)) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject finishedRunJson(const RunRecord& run)
{
    return QJsonObject{
        {QStringLiteral("run_id"), run.runId},
        {QStringLiteral("trigger"), runTriggerName(run.trigger)},
        {QStringLiteral("status"), runStatusName(run.status)},
        {QStringLiteral("finished_at"), instant(run.finishedAt)},
        {QStringLiteral("error_code"),
         run.error ? QJsonValue(run.error->code) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("warnings"), sync::warningsJson(run.warnings)},
    };
}

QString statusText(const QJsonObject& status, bool withHeader)
{
    const QTimeZone zone(status.value(QStringLiteral("clinic_timezone")).toString().toUtf8());
    auto when = [&](const char* key) {
        const QJsonValue v = status.value(QLatin1StringView(key));
        if (!v.isString())
            return QStringLiteral("-");
        const QDateTime t = sync::fromUtcText(v.toString());
        if (!t.isValid())
            return QStringLiteral("-");
        if (!zone.isValid())
            return t.toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
        return t.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm t"));
    };
    QString text;
    QTextStream out(&text);
    auto line = [&out](const char* label, const QString& value) {
        out << "  " << QString::fromLatin1(label).leftJustified(13) << value << "\n";
    };
    const bool running = status.value(QStringLiteral("agent")).toString() == QLatin1String("running");
    if (withHeader)
        out << "Odis Clinic Agent " << status.value(QStringLiteral("version")).toString() << "\n";
    line("agent",
         running ? QStringLiteral("running (pid %1)").arg(status.value(QStringLiteral("pid")).toInteger())
                 : QStringLiteral("not running"));
    if (running) {
        QString state = status.value(QStringLiteral("state")).toString();
        const QJsonObject run = status.value(QStringLiteral("run")).toObject();
        if (!run.isEmpty())
            state += QStringLiteral(": %1 run, %2")
                         .arg(run.value(QStringLiteral("trigger")).toString(),
                              run.value(QStringLiteral("progress")).toString(QStringLiteral("starting")));
        line("state", state);
    }
    const QString gate = status.value(QStringLiteral("gate")).toString();
    if (!gate.isEmpty() && gate != QLatin1String("open"))
        line("automatic runs", QStringLiteral("stopped: %1").arg(gate));
    line("last success", when("last_success_at"));
    line("next run", when("next_run_at"));
    if (status.value(QStringLiteral("paused_until")).isString())
        line("paused until", when("paused_until"));
    line("outbox", QStringLiteral("%1 item(s) waiting, %2 failed")
                       .arg(status.value(QStringLiteral("outbox_depth")).toInteger())
                       .arg(status.value(QStringLiteral("failed_items")).toInteger()));
    line("credentials", status.value(QStringLiteral("credentials")).toString());
    const QJsonArray alerts = status.value(QStringLiteral("alerts")).toArray();
    if (alerts.isEmpty())
        line("alerts", QStringLiteral("none"));
    for (const QJsonValue alert : alerts)
        line("alert",
             QStringLiteral("%1: %2").arg(alert.toObject().value(QStringLiteral("code")).toString(),
                                          alert.toObject().value(QStringLiteral("message")).toString()));
    return text;
}

} // namespace odis::agent
