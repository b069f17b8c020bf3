// ResidentAgent (resident_agent.h): the scheduler wired to timers, the runs, stopping.

#include "agent/resident/resident_agent.h"

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/audit/audit_shipper.h"
#include "agent/heartbeat/command_journal.h"
#include "agent/heartbeat/heartbeat_client.h"
#include "agent/resident/agent_status.h"
#include "agent/resident/outbox_delivery.h"
#include "agent/resident/pause_spec.h"
#include "agent/resident/schedule_store.h"
#include "agent/resident/sleep_watch.h"
#include "agent/resident/time_source.h"
#include "agent/run/clock_seam.h"
#include "agent/test_hooks.h"
#include "storage/codes/agent_codes.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/clinic_profile.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/install_wipe.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QMetaObject>
#include <QNetworkInformation>
#include <QProcessEnvironment>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

// A wake-up timer never sleeps longer than this: a clock that changes under it is looked at again soon.
constexpr qint64 kMaxWakeMs = 6LL * 3600 * 1000;

[[nodiscard]] Result<std::chrono::milliseconds> seam(const char* variable, std::chrono::milliseconds fallback)
{
    const QString text = testHook(variable);
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (!ok || ms < 10 || ms > 3'600'000)
        return fail(
            codes::kTestSeamInvalid,
            QStringLiteral("%1 must be milliseconds from 10 to 3600000").arg(QLatin1StringView(variable)));
    return std::chrono::milliseconds(ms);
}

} // namespace

Result<ResidentOptions> ResidentOptions::fromEnvironment(QString program)
{
    ResidentOptions options;
    options.program = std::move(program);
    auto tick = seam("ODIS_TEST_TICK_MS", options.tick);
    auto settle = seam("ODIS_TEST_SETTLE_MS", options.settle);
    auto heartbeat = seam("ODIS_TEST_HEARTBEAT_MS", options.heartbeatInterval);
    for (const auto* r : {&tick, &settle, &heartbeat}) {
        if (!*r)
            return std::unexpected(r->error());
    }
    options.tick = *tick;
    options.settle = *settle;
    options.heartbeatInterval = *heartbeat;
    return options;
}

ResidentAgent::ResidentAgent(AgentContext& context, const AgentConfig& config, TimeSource& time,
                             ResidentOptions options, QObject* parent)
    : QObject(parent)
    , m_ctx(context)
    , m_config(config)
    , m_time(time)
    , m_options(std::move(options))
{
    m_wakeTimer.setSingleShot(true);
    m_wakeTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_wakeTimer, &QTimer::timeout, this, &ResidentAgent::evaluate);
    m_settleTimer.setSingleShot(true);
    connect(&m_settleTimer, &QTimer::timeout, this, [this] {
        m_settled = true;
        evaluate();
    });
}

ResidentAgent::~ResidentAgent() = default;

Status ResidentAgent::start()
{
    auto state = ScheduleStore(m_ctx.db()).load();
    if (!state)
        return propagate(state);
    m_scheduler = std::make_unique<Scheduler>(m_time, *state, m_random);
    m_saved = *state;

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    m_supervisor = new RunSupervisor(m_options.program, environment, this);
    connect(m_supervisor, &RunSupervisor::finished, this, &ResidentAgent::onRunFinished);
    // Requests made from now on need another run (scheduler.h).
    connect(m_supervisor, &RunSupervisor::readStarted, this, [this] { m_scheduler->runReadStarted(); });
    connect(m_supervisor, &RunSupervisor::progressChanged, this, &ResidentAgent::changed);

    m_sleepWatch = new SleepWatch(m_time, m_options.tick, this);
    connect(m_sleepWatch, &SleepWatch::resumed, this, [this](const QString& how) {
        if (m_scheduler) {
            spdlog::info("resumed ({}): an overdue sync is caught up", how.toStdString());
            m_scheduler->wokeUp();
        }
    });
    // A tick is not news: what other processes wrote to the store (a run, a CLI command) is read at most
    // once a second on ticks. Reading it on every tick kept the event loop busy whenever the tick was
    // short (the test clock's 100 ms) and the machine slow (one read took about a tick).
    connect(m_sleepWatch, &SleepWatch::checked, this, [this] {
        if (m_storeReadAt.isValid() && !m_storeReadAt.hasExpired(kStoreReadOnTickMs))
            m_storeReadDue = false;
        evaluate();
    });
#ifdef Q_OS_LINUX
    if (!m_sleepWatch->listenToLogind(QDBusConnection::systemBus()))
        spdlog::info("logind is not reachable: sleep is noticed by the clocks alone");
#endif
    watchNetwork();

    refreshFromStore();
    auto store = readStoreStatus(m_ctx.db(), *m_ctx.credentials, m_time);
    m_scheduler->started(store && store->unfinishedRun);
    m_started = true;
    spdlog::info("resident agent started: interval {} min (jitter {:.4f}), {}",
                 m_scheduler->intervalMinutes(), m_scheduler->state().jitter.value_or(0.0),
                 runGateName(m_scheduler->gate()).toStdString());
    startHeartbeat();
    QMetaObject::invokeMethod(this, &ResidentAgent::evaluate, Qt::QueuedConnection);
    return ok();
}

void ResidentAgent::watchNetwork()
{
    if (!QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        spdlog::info(
            "no network reachability information on this system: catch-up after start and wake only");
        return;
    }
    QNetworkInformation* info = QNetworkInformation::instance();
    connect(info, &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                if (reachability != QNetworkInformation::Reachability::Online || !m_scheduler)
                    return;
                spdlog::info("the network is back");
                m_scheduler->networkUp();
                evaluate();
            });
}

void ResidentAgent::refreshFromStore()
{
    m_storeReadAt.start();
    auto status = readStoreStatus(m_ctx.db(), *m_ctx.credentials, m_time);
    if (!status) {
        spdlog::warn("scheduler: the store could not be read ({}); keeping what is known",
                     status.error().code.toStdString());
        return;
    }
    const RunGate gate = runGateFor(*status);
    if (gate != m_scheduler->gate())
        spdlog::info("automatic runs: {}", runGateName(gate).toStdString());
    m_scheduler->setGate(gate);
    m_scheduler->setIntervalMinutes(status->intervalMinutes);
    m_zone = status->clinicZone;
    if (status->lastSucceededRun && !m_ownRunIds.contains(status->lastSucceededRun->runId))
        m_scheduler->recordRunElsewhere(status->lastSucceededRun->startedAt,
                                        status->lastSucceededRun->finishedAt);
}

void ResidentAgent::save()
{
    if (!m_scheduler || m_scheduler->state() == m_saved)
        return;
    if (auto saved = ScheduleStore(m_ctx.db()).save(m_scheduler->state(), m_time.nowUtc()); !saved) {
        spdlog::error("scheduler state not saved: {}", saved.error().code.toStdString());
        return;
    }
    m_saved = m_scheduler->state();
}

void ResidentAgent::evaluate()
{
    if (!m_started || m_stopping || m_deprovisioning)
        return;
    if (!m_supervisor->running() && m_storeReadDue)
        refreshFromStore();
    m_storeReadDue = true;
    const SchedulerDecision decision = m_scheduler->decide();
    m_decision = decision;
    save();
    if (decision.start && !m_supervisor->running() && !delivering()) {
        if (decision.soon && !m_settled) {
            if (!m_settleTimer.isActive()) {
                spdlog::info("a {} run starts in {} s", runTriggerName(*decision.start).toStdString(),
                             m_options.settle.count() / 1000);
                m_settleTimer.start(m_options.settle);
            }
        } else {
            m_settleTimer.stop();
            m_settled = false;
            startRun(*decision.start);
            return;
        }
    } else if (!decision.start) {
        m_settleTimer.stop();
        m_settled = false;
        if (decision.deliver && !m_supervisor->running() && !delivering())
            startDelivery();
    }
    armWake(decision.wakeAtUtc);
    Q_EMIT changed();
}

void ResidentAgent::armWake(const std::optional<QDateTime>& atUtc)
{
    // A clock that only moves when told (the test seam) says so through SleepWatch::checked.
    if (!atUtc || !m_time.runsByItself()) {
        m_wakeTimer.stop();
        return;
    }
    const qint64 ms = std::clamp<qint64>(m_time.nowUtc().msecsTo(*atUtc), 0, kMaxWakeMs);
    m_wakeTimer.start(std::chrono::milliseconds(ms + 250)); // a little after, never a little before
}

void ResidentAgent::startRun(RunTrigger trigger)
{
    m_scheduler->runStarted(trigger);
    save();
    m_waitCurrent.append(m_waitNext);
    m_waitNext.clear();
    m_lastResult.reset();
    QProcessEnvironment extra;
    if (m_options.passClockToRuns)
        extra.insert(QString::fromLatin1(kTestNowVariable), m_time.nowUtc().toString(Qt::ISODateWithMs));
    spdlog::info("run starting ({})", runTriggerName(trigger).toStdString());
    if (!m_supervisor->start(trigger, extra, std::exchange(m_sessionHandover, {})))
        spdlog::error("a run is in progress already: not started");
    Q_EMIT changed();
}

RunResultLine ResidentAgent::errorResult(const QString& code, const QString& message)
{
    RunResultLine r;
    r.exitCode = 3;
    r.errorCode = code;
    r.errorMessage = message;
    r.summary = QStringLiteral("no run: %1 [%2]\n").arg(message, code);
    return r;
}

void ResidentAgent::onRunFinished(const ChildRunEnd& end)
{
    RunResultLine result = end.result.value_or(errorResult(
        end.errorCode(),
        end.terminated
            ? QStringLiteral("the run was stopped with the agent; the next start "
                             "resumes it")
            : QStringLiteral("the sync process ended without a result (exit %1)").arg(end.exitCode)));
    if (!end.result && !end.terminated)
        result.exitCode = 1;
    if (!result.runId.isEmpty()) {
        m_ownRunIds.insert(result.runId);
        if (m_ownRunIds.size() > 50)
            m_ownRunIds.erase(m_ownRunIds.begin());
    }
    m_lastResult = result;
    m_scheduler->runFinished(SchedulerRunEnd{end.succeeded(), end.errorCode(), end.terminated && m_stopping,
                                             !m_stopping && outboxUndelivered()});
    save();
    spdlog::info("run ended: {} {}", result.status.isEmpty() ? "no run" : result.status.toStdString(),
                 result.errorCode.toStdString());

    const QList<RunWaiter> waiting = m_waitCurrent;
    m_waitCurrent.clear();
    // The follow-up run (requests made after this one read Neo) is the next one now.
    m_waitNext.append(m_waitFollowUp);
    m_waitFollowUp.clear();
    for (const RunWaiter& waiter : waiting)
        waiter(result);

    if (m_stopping) {
        finishStop();
        return;
    }
    if (end.errorCode() == sync::backend_error::kDeprovisioned) {
        // The run found the install retired by the backend and wiped it: nothing is left to run.
        spdlog::warn("this install was deprovisioned by Odis: the agent stops");
        stop(QStringLiteral("deprovisioned"));
        return;
    }
    beat(); // the backend learns the new state now, not in up to 2 minutes
    evaluate();
}

SyncNowAnswer ResidentAgent::syncNow(RunTrigger trigger, RunWaiter waiter, QByteArray sessionHandover)
{
    if (m_stopping || m_deprovisioning || !m_scheduler) {
        sessionHandover.fill('\0');
        if (waiter)
            waiter(errorResult(QStringLiteral("agent_stopping"), QStringLiteral("the agent is stopping")));
        return SyncNowAnswer::RefusedGateClosed;
    }
    const SyncNowAnswer answer = m_scheduler->requestSyncNow(trigger);
    spdlog::info("sync now ({}): {}", runTriggerName(trigger).toStdString(),
                 syncNowAnswerName(answer).toStdString());
    // The run that will start next satisfies the request (a run in progress that joined it has its login
    // already): the session goes to that one.
    const bool nextRunServes = answer == SyncNowAnswer::Starting || answer == SyncNowAnswer::QueuedAfterRun ||
                               (answer == SyncNowAnswer::JoinedRun && !m_supervisor->running());
    if (!sessionHandover.isEmpty() && nextRunServes) {
        m_sessionHandover.fill('\0');
        m_sessionHandover = std::move(sessionHandover);
    } else {
        sessionHandover.fill('\0');
    }
    if (waiter) {
        switch (answer) {
        case SyncNowAnswer::Starting:
            m_waitNext.append(std::move(waiter));
            break;
        case SyncNowAnswer::JoinedRun:
            (m_supervisor->running() ? m_waitCurrent : m_waitNext).append(std::move(waiter));
            break;
        case SyncNowAnswer::QueuedAfterRun:
            m_waitFollowUp.append(std::move(waiter));
            break;
        case SyncNowAnswer::RefusedPaused:
            waiter(errorResult(QStringLiteral("agent_paused"), QStringLiteral("automatic syncs are paused")));
            break;
        case SyncNowAnswer::RefusedGateClosed:
            waiter(errorResult(
                runGateName(m_scheduler->gate()),
                QStringLiteral("automatic syncs are stopped (%1)").arg(runGateName(m_scheduler->gate()))));
            break;
        }
    }
    QMetaObject::invokeMethod(this, &ResidentAgent::evaluate, Qt::QueuedConnection);
    return answer;
}

Result<QDateTime> ResidentAgent::pauseFor(const QString& spec)
{
    auto end = pauseEndFor(spec, m_time.nowUtc(), m_zone);
    if (!end)
        return end;
    return pauseUntil(*end);
}

Result<QDateTime> ResidentAgent::pauseUntil(const QDateTime& untilUtc)
{
    if (!m_scheduler->pause(untilUtc))
        return fail(codes::kPauseInvalid, QStringLiteral("the end of a pause must be in the future"));
    spdlog::info("automatic syncs paused until {}", untilUtc.toUTC().toString(Qt::ISODate).toStdString());
    save();
    evaluate();
    return untilUtc.toUTC();
}

void ResidentAgent::resume()
{
    m_scheduler->resume();
    spdlog::info("automatic syncs resumed");
    save();
    evaluate();
}

void ResidentAgent::showRequested()
{
    // The tray opens its dashboard (ui/); a headless agent has nothing to show.
    spdlog::info("another start asked this agent to show itself");
    Q_EMIT showWanted();
}

void ResidentAgent::stop(const QString& why, int exitCode)
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_exitCode = exitCode;
    spdlog::info("resident agent stopping ({})", why.toStdString());
    m_wakeTimer.stop();
    m_settleTimer.stop();
    m_heartbeatTimer.stop();
    abortDelivery();
    if (m_supervisor && m_supervisor->running()) {
        m_supervisor->terminate(m_options.stopGrace);
        return; // onRunFinished() finishes the stop
    }
    QMetaObject::invokeMethod(this, &ResidentAgent::finishStop, Qt::QueuedConnection);
}

void ResidentAgent::finishStop()
{
    if (m_scheduler && !m_deprovisioning)
        save();
    const RunResultLine stopping =
        errorResult(QStringLiteral("agent_stopping"), QStringLiteral("the agent stopped"));
    const QList<RunWaiter> waiting = m_waitNext + m_waitCurrent + m_waitFollowUp;
    m_waitNext.clear();
    m_waitCurrent.clear();
    m_waitFollowUp.clear();
    for (const RunWaiter& waiter : waiting)
        waiter(stopping);
    spdlog::info("resident agent stopped");
    Q_EMIT stopped(m_exitCode);
}

} // namespace odis::agent
