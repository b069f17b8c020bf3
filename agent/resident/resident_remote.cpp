// ResidentAgent (resident_agent.h): the heartbeat, the backend's commands, the clinic profile's ETag, the
// audit log's shipping, and the status.

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/audit/audit_shipper.h"
#include "agent/diagnostics/diagnostics_bundle.h"
#include "agent/heartbeat/command_journal.h"
#include "agent/heartbeat/heartbeat_client.h"
#include "agent/resident/agent_status.h"
#include "agent/resident/resident_agent.h"
#include "agent/resident/time_source.h"
#include "storage/audit_log.h"
#include "storage/codes/agent_codes.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/clinic_profile.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/install_wipe.h"
#include "sync/backend/utc_text.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QPointer>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

constexpr int kCommandHistoryDays = 90;

QJsonValue instant(const std::optional<QDateTime>& t)
{
    return t && t->isValid() ? QJsonValue(sync::utcText(*t)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QString ResidentAgent::stateName() const
{
    if (m_stopping)
        return QStringLiteral("stopping");
    if (m_supervisor && m_supervisor->running())
        return QStringLiteral("running");
    if (delivering())
        return schedulerModeName(SchedulerMode::Delivering);
    if (!m_decision)
        return QStringLiteral("starting");
    return schedulerModeName(m_decision->mode);
}

QJsonObject ResidentAgent::status()
{
    QJsonObject s;
    if (auto store = readStoreStatus(m_ctx.db(), *m_ctx.credentials, m_time); store) {
        s = storeStatusJson(*store);
    } else {
        s.insert(QStringLiteral("version"), QStringLiteral(ODIS_VERSION));
        s.insert(QStringLiteral("store_error"), store.error().code);
    }
    s.insert(QStringLiteral("agent"), QStringLiteral("running"));
    s.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    s.insert(QStringLiteral("state"), stateName());
    s.insert(QStringLiteral("now"), sync::utcText(m_time.nowUtc()));
    if (m_scheduler) {
        const ScheduleState& st = m_scheduler->state();
        s.insert(QStringLiteral("gate"), runGateName(m_scheduler->gate()));
        s.insert(QStringLiteral("next_run_at"), instant(m_decision ? m_decision->nextRunUtc : st.nextDueUtc));
        s.insert(QStringLiteral("paused_until"), instant(st.pausedUntilUtc));
        s.insert(QStringLiteral("consecutive_failures"), st.consecutiveFailures);
        s.insert(QStringLiteral("interval_minutes"), m_scheduler->intervalMinutes());
        s.insert(QStringLiteral("jitter"), st.jitter.value_or(0.0));
        s.insert(QStringLiteral("scheduled_last_success_at"), instant(st.lastSuccessUtc));
        s.insert(QStringLiteral("next_delivery_at"), instant(st.nextDeliveryUtc));
        s.insert(QStringLiteral("delivery_failures"), st.deliveryFailures);
    }
    s.insert(QStringLiteral("last_delivery"), deliveryStatus());
    if (m_supervisor && m_supervisor->running()) {
        const RunProgress& p = m_supervisor->progress();
        s.insert(
            QStringLiteral("run"),
            QJsonObject{
                {QStringLiteral("run_id"), p.runId.isEmpty() ? QJsonValue() : QJsonValue(p.runId)},
                {QStringLiteral("trigger"),
                 m_scheduler->runningTrigger() ? runTriggerName(*m_scheduler->runningTrigger()) : QString()},
                {QStringLiteral("step"), p.step.isEmpty() ? QJsonValue() : QJsonValue(p.step)},
                {QStringLiteral("done"), p.done},
                {QStringLiteral("total"), p.total},
                {QStringLiteral("progress"), p.step.isEmpty() ? QStringLiteral("starting") : p.text()},
                {QStringLiteral("pid"), m_supervisor->childPid()}});
    } else {
        s.insert(QStringLiteral("run"), QJsonValue::Null);
    }
    if (m_lastResult)
        s.insert(QStringLiteral("last_run"), m_lastResult->toJson());
    return s;
}

void ResidentAgent::startHeartbeat()
{
    auto client = sync::BackendClient::create(m_config.backend(), m_time);
    if (!client) {
        spdlog::error("heartbeat: the backend configuration cannot be used ({}): no heartbeat",
                      client.error().code.toStdString());
        return;
    }
    m_backend = std::move(*client);
    m_enrollment = std::make_unique<sync::Enrollment>(*m_backend, m_ctx.db(), *m_ctx.secrets,
                                                      m_ctx.logging->redactor(), m_time);
    m_heartbeat = std::make_unique<HeartbeatClient>(*m_backend);
    m_journal = std::make_unique<CommandJournal>(m_ctx.db(), m_time);
    m_commands = std::make_unique<RemoteCommands>(*m_journal, *m_heartbeat, *m_ctx.audit,
                                                  static_cast<CommandActions&>(*this));
    // After a deprovision command the agent stops, once its acknowledgement went out (or failed to).
    connect(m_commands.get(), &RemoteCommands::commandFinished, this,
            [this](const QString& id, const QString& type, const QJsonObject&) {
                if (type == QLatin1String("deprovision"))
                    m_stopAfterAck = id;
            });
    connect(m_commands.get(), &RemoteCommands::acknowledged, this, [this](const QString& id, bool) {
        if (!m_stopAfterAck.isEmpty() && id == m_stopAfterAck)
            stop(QStringLiteral("deprovisioned by a remote command"));
    });
    m_auditShipper = std::make_unique<AuditShipper>(*m_backend, *m_ctx.audit);
    if (auto purged = m_journal->purgeAcknowledgedBefore(m_time.nowUtc().addDays(-kCommandHistoryDays));
        !purged)
        spdlog::warn("old remote commands were not purged: {}", purged.error().code.toStdString());

    m_heartbeatTimer.setTimerType(Qt::CoarseTimer);
    m_heartbeatTimer.setInterval(m_options.heartbeatInterval);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ResidentAgent::beat);
    m_heartbeatTimer.start();
    beat();
}

void ResidentAgent::loadIdentity()
{
    if (m_identityLoading || !m_enrollment)
        return;
    auto stored = m_enrollment->storedIdentity();
    if (!stored || !*stored)
        return; // not enrolled (yet): looked at again at the next beat
    m_identityLoading = true;
    QPointer<ResidentAgent> self(this);
    m_enrollment->load([self](Result<sync::AgentIdentity> loaded) {
        if (!self)
            return;
        self->m_identityLoading = false;
        if (!loaded) {
            spdlog::warn("heartbeat: this install's identity cannot be loaded ({})",
                         loaded.error().code.toStdString());
            return;
        }
        self->m_identityLoaded = true;
        self->m_clinicId = loaded->clinicId;
        self->beat();
    });
}

QJsonObject ResidentAgent::heartbeatBody()
{
    QJsonObject body{{QStringLiteral("state"), stateName()},
                     {QStringLiteral("version"), QStringLiteral(ODIS_VERSION)},
                     {QStringLiteral("last_success_at"), QJsonValue::Null},
                     {QStringLiteral("next_sync_at"), QJsonValue::Null},
                     {QStringLiteral("outbox_depth"), 0},
                     {QStringLiteral("failed_items"), 0},
                     {QStringLiteral("credential_state"), QStringLiteral("not_configured")},
                     {QStringLiteral("paused_until"), QJsonValue::Null},
                     {QStringLiteral("alerts"), QJsonArray()}};
    const QJsonObject s = status();
    for (const char* key :
         {"last_success_at", "outbox_depth", "failed_items", "credential_state", "paused_until", "alerts"}) {
        const QJsonValue value = s.value(QLatin1StringView(key));
        if (!value.isUndefined())
            body.insert(QLatin1StringView(key), value);
    }
    body.insert(QStringLiteral("next_sync_at"), s.value(QStringLiteral("next_run_at")));
    // Null before the first run ends, and when the store could not be read.
    const QJsonValue lastRun = s.value(QStringLiteral("last_finished_run"));
    body.insert(QStringLiteral("last_run"), lastRun.isObject() ? lastRun : QJsonValue(QJsonValue::Null));
    return body;
}

void ResidentAgent::beat()
{
    if (!m_heartbeat || m_stopping || m_deprovisioning || m_beating)
        return;
    if (!m_identityLoaded) {
        loadIdentity();
        return;
    }
    m_beating = true;
    QPointer<ResidentAgent> self(this);
    m_heartbeat->beat(heartbeatBody(), [self](Result<HeartbeatAnswer> answer) {
        if (!self)
            return;
        self->m_beating = false;
        if (!answer) {
            const QString code = answer.error().code;
            if (code == sync::backend_error::kDeprovisioned) {
                self->wipeAndStop("the heartbeat was answered 403 agent_deprovisioned", {});
                return;
            }
            spdlog::warn("heartbeat: {}", code.toStdString());
            return;
        }
        if (answer->malformedCommands > 0)
            spdlog::warn("heartbeat: {} malformed command(s) skipped", answer->malformedCommands);
        if (!answer->commands.isEmpty())
            self->m_commands->handle(answer->commands);
        self->refreshProfileIfChanged(answer->clinicEtag);
        auto behind = self->m_auditShipper->behind();
        if (behind && *behind)
            self->shipAudit("the backend is behind the local audit log");
    });
}

void ResidentAgent::refreshProfileIfChanged(const std::optional<QString>& etag)
{
    if (!etag || m_profileFetching || m_stopping)
        return;
    auto cached = sync::ClinicProfileCache(m_ctx.db()).load();
    if (cached && *cached && (*cached)->etag == *etag)
        return;
    m_profileFetching = true;
    spdlog::info("the clinic profile changed on the backend: fetching it");
    m_profileFetcher = std::make_unique<sync::ClinicProfileFetcher>(*m_backend, m_ctx.db(), m_time);
    QPointer<ResidentAgent> self(this);
    m_profileFetcher->fetch([self](Result<sync::ClinicProfile> profile) {
        if (!self)
            return;
        self->m_profileFetching = false;
        if (!profile) {
            spdlog::warn("clinic profile: {}", profile.error().code.toStdString());
            return;
        }
        self->evaluate(); // a new interval applies now
    });
}

void ResidentAgent::shipAudit(const char* why)
{
    if (!m_auditShipper || !m_identityLoaded)
        return;
    spdlog::debug("audit: shipping ({})", why);
    m_auditShipper->ship([](Result<AuditShipResult> shipped) {
        if (!shipped) {
            spdlog::warn("audit: not shipped ({})", shipped.error().code.toStdString());
            return;
        }
        spdlog::info("audit: {} entries shipped, the backend holds the chain through {}",
                     shipped->entriesSent, shipped->ackedThroughSeq);
    });
}

void ResidentAgent::wipeAndStop(const char* why, std::function<void(Status)> done)
{
    if (m_deprovisioning)
        return;
    m_deprovisioning = true;
    spdlog::warn("deprovisioning: {}", why);
    auto wipe = [this, done = std::move(done)]() {
        // Everything, as a sync run's deprovisioning does: logs, install id, earlier installs' entries.
        m_wipe = std::make_unique<sync::InstallWipe>(m_ctx.db(), *m_ctx.secrets, installFootprint(m_ctx));
        m_wipe->deprovision([this, done](Status wiped) {
            if (!wiped)
                spdlog::critical("deprovisioning: the install could not be wiped: {}",
                                 wiped.error().code.toStdString());
            if (auto appended = m_ctx.audit->append(
                    QStringLiteral("agent"), QStringLiteral("install.deprovisioned"),
                    QStringLiteral("install"), wiped ? QStringLiteral("wiped") : wiped.error().code);
                !appended)
                spdlog::error("deprovisioning: audit entry not written ({})",
                              appended.error().code.toStdString());
            if (done)
                done(wiped);
            else
                stop(QStringLiteral("deprovisioned"));
        });
    };
    m_heartbeatTimer.stop();
    m_wakeTimer.stop();
    m_settleTimer.stop();
    // A delivery stops first too, unless its own upload asked for this wipe (it waits for it to end).
    if (delivering() && !m_deliveryWiping)
        abortDelivery();
    if (m_supervisor && m_supervisor->running()) {
        // The run stops first: nothing may write the store while it is emptied.
        connect(m_supervisor, &RunSupervisor::finished, this, wipe, Qt::SingleShotConnection);
        m_supervisor->terminate(m_options.stopGrace);
        return;
    }
    wipe();
}

void ResidentAgent::commandSyncNow(Done done)
{
    const SyncNowAnswer answer = syncNow(RunTrigger::Remote, [done](const RunResultLine& result) {
        if (result.status.isEmpty()) {
            done(QJsonObject{{QStringLiteral("outcome"), QStringLiteral("failed")},
                             {QStringLiteral("error_code"), result.errorCode}});
            return;
        }
        done(QJsonObject{{QStringLiteral("outcome"), QStringLiteral("done")},
                         {QStringLiteral("run_id"), result.runId},
                         {QStringLiteral("status"), result.status},
                         {QStringLiteral("error_code"),
                          result.errorCode.isEmpty() ? QJsonValue() : QJsonValue(result.errorCode)}});
    });
    Q_UNUSED(answer);
}

QJsonObject ResidentAgent::commandPause(const QJsonObject& args)
{
    Result<QDateTime> end = fail(
        codes::kPauseInvalid, QStringLiteral("pause needs {\"until\": <UTC instant>} or {\"for\": \"30m\"}"));
    if (args.value(QStringLiteral("until")).isString()) {
        const QDateTime until = sync::fromUtcText(args.value(QStringLiteral("until")).toString());
        end = until.isValid() ? pauseUntil(until) : end;
    } else if (args.value(QStringLiteral("for")).isString()) {
        end = pauseFor(args.value(QStringLiteral("for")).toString());
    } else if (args.value(QStringLiteral("minutes")).isDouble()) {
        end = pauseFor(QStringLiteral("%1m").arg(args.value(QStringLiteral("minutes")).toInteger()));
    }
    if (!end)
        return QJsonObject{{QStringLiteral("outcome"), QStringLiteral("invalid_args")},
                           {QStringLiteral("message"), end.error().message}};
    return QJsonObject{{QStringLiteral("outcome"), QStringLiteral("done")},
                       {QStringLiteral("paused_until"), sync::utcText(*end)}};
}

QJsonObject ResidentAgent::commandResume()
{
    resume();
    return QJsonObject{{QStringLiteral("outcome"), QStringLiteral("done")}};
}

void ResidentAgent::commandDeprovision(Done done)
{
    if (m_deprovisioning) {
        done(QJsonObject{{QStringLiteral("outcome"), QStringLiteral("failed")},
                         {QStringLiteral("error_code"), codes::kDeprovisioningInProgress}});
        return;
    }
    // The acknowledgement goes out with the token the client still holds in memory; then the agent stops.
    wipeAndStop("the backend's deprovision command", [done](Status wiped) {
        QJsonObject result{
            {QStringLiteral("outcome"), wiped ? QStringLiteral("done") : QStringLiteral("failed")}};
        if (!wiped)
            result.insert(QStringLiteral("error_code"), wiped.error().code);
        done(result);
    });
}

void ResidentAgent::commandCollectDiagnostics(Done done)
{
    const QString directory =
        QFileInfo(m_ctx.paths.databaseFile).absolutePath() + QStringLiteral("/diagnostics");
    const QString file = directory + QStringLiteral("/odis-diagnostics-") +
                         m_time.nowUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")) + QStringLiteral(".zip");
    DiagnosticsSources sources{m_ctx, m_config, m_time, status()};
    auto written = writeDiagnosticsBundle(sources, file);
    if (!written) {
        done(QJsonObject{{QStringLiteral("outcome"), QStringLiteral("failed")},
                         {QStringLiteral("error_code"), written.error().code}});
        return;
    }
    done(QJsonObject{{QStringLiteral("outcome"), QStringLiteral("done")},
                     {QStringLiteral("bundle"), QFileInfo(file).fileName()},
                     {QStringLiteral("bytes"), written->bytes},
                     {QStringLiteral("files"), written->manifestJson()}});
}

} // namespace odis::agent
