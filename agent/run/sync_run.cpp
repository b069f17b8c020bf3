#include "agent/run/sync_run.h"

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/run/neo_login_step.h"
#include "agent/run/process_memory.h"
#include "agent/run/run_log.h"
#include "agent/run/run_wrapup.h"
#include "agent/telemetry/telemetry.h"
#include "storage/codes/agent_codes.h"
#include "storage/redactor.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/clinic_profile.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/install_wipe.h"
#include "sync/backend/outbox.h"
#include "sync/neo/neo_session.h"

#include <QLockFile>
#include <QMetaObject>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

constexpr qsizetype kRunErrorMaxChars = 1000;

TelemetrySettings telemetrySettings(const AgentConfig& config)
{
    TelemetrySettings settings;
    settings.enabled = config.telemetryActive();
    settings.posthog.host = config.posthogHost;
    settings.posthog.apiKey = config.posthogApiKey;
    // The extra CA of the backend is trusted for analytics too (a clinic's TLS-inspecting proxy).
    settings.posthog.caFile = config.backendCaFile;
    settings.posthog.proxy = config.networkProxy;
    return settings;
}

} // namespace

SyncRun::SyncRun(AgentContext& context, const AgentConfig& config, const Clock& clock,
                 std::unique_ptr<ClinicReader> reader, SyncRunOptions options, QObject* parent)
    : QObject(parent)
    , m_ctx(context)
    , m_config(config)
    , m_clock(clock)
    , m_options(std::move(options))
    , m_reader(std::move(reader))
{}

SyncRun::~SyncRun()
{
    if (m_session)
        m_session->close();
}

void SyncRun::start(std::function<void(SyncRunResult)> done)
{
    m_done = std::move(done);
    QMetaObject::invokeMethod(this, &SyncRun::begin, Qt::QueuedConnection);
}

void SyncRun::begin()
{
    const QString lockPath = m_options.lockFile.isEmpty() ? m_ctx.paths.syncLockFile() : m_options.lockFile;
    m_lock = std::make_unique<QLockFile>(lockPath);
    // Never stale by age (a long run keeps its lock); a lock whose process is gone is taken over.
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        m_result.error =
            Error{codes::kSyncAlreadyRunning,
                  QStringLiteral("another sync of this install is running (lock %1)").arg(lockPath)};
        deliver();
        return;
    }
    m_elapsed.start();
    if (auto reset = resetPeakRss(); !reset)
        spdlog::debug("peak memory is the process's: {}", reset.error().code.toStdString());

    m_log = std::make_unique<RunLog>(m_ctx.db(), m_clock);
    if (auto telemetry = Telemetry::create(m_ctx.db(), m_clock, telemetrySettings(m_config)); telemetry)
        m_telemetry = std::move(*telemetry);
    else // analytics never stop a sync
        spdlog::warn("telemetry is off for this run: {}", telemetry.error().toString().toStdString());

    auto unfinished = m_log->findUnfinished();
    if (!unfinished) {
        m_result.error = unfinished.error();
        deliver();
        return;
    }
    if (*unfinished) {
        m_run = **unfinished;
        m_result.resumed = true;
        m_result.resumedAtStep = m_run.step;
        m_counts = m_run.counts;
        m_driftWarnings = m_run.driftWarnings;
        m_warnings = m_run.warnings;
        // `upload` is stored by the commit itself: from there on the run's data is in the store.
        m_resumeAtUpload = m_run.step == run_step::kUpload || m_run.step == run_step::kClose;
        spdlog::info("resuming run {} found unfinished at step {}", m_run.runId.toStdString(),
                     m_run.step.toStdString());
    } else {
        auto started = m_log->start(m_options.trigger);
        if (!started) {
            m_result.error = started.error();
            deliver();
            return;
        }
        m_run = *started;
        if (m_telemetry)
            (void)m_telemetry->record(syncStartedEvent(m_run));
        spdlog::info("run {} started ({})", m_run.runId.toStdString(),
                     runTriggerName(m_run.trigger).toStdString());
    }
    m_result.run = m_run;
    enterStep(run_step::kPreconditions, &SyncRun::checkPreconditions);
}

Status SyncRun::storeStep(QLatin1StringView step)
{
    if (auto stored = m_log->setStep(m_run.runId, QString(step)); !stored)
        return stored;
    m_run.step = QString(step);
    spdlog::info("run {}: step {}", m_run.runId.toStdString(), QString(step).toStdString());
    if (m_options.stepStored)
        m_options.stepStored(m_run.runId, m_run.step);
    if (m_options.hold.holdAfterStoring(step))
        StepHold::holdForever();
    return ok();
}

void SyncRun::enterStep(QLatin1StringView step, void (SyncRun::*next)())
{
    if (m_finishing)
        return;
    if (auto stored = storeStep(step); !stored) {
        failRun(stored.error());
        return;
    }
    (this->*next)();
}

RunCounts SyncRun::counts() const
{
    return m_counts;
}

void SyncRun::audit(const QString& action, const QString& outcome)
{
    if (auto appended =
            m_ctx.audit->append(QStringLiteral("agent"), action, QStringLiteral("install"), outcome);
        !appended)
        spdlog::error("audit entry {} could not be written: {}", action.toStdString(),
                      appended.error().code.toStdString());
}

void SyncRun::failRun(const Error& error)
{
    if (m_finishing)
        return;
    spdlog::error("run {} failed at step {}: {}", m_run.runId.toStdString(), m_run.step.toStdString(),
                  error.code.toStdString());
    if (error.code == sync::backend_error::kDeprovisioned && !m_deprovisioned) {
        // The backend retired this install (answered at the profile): its clinic data and keychain entries
        // leave this machine, as the uploader does when a batch gets this answer.
        m_deprovisioned = true;
        m_finishing = true;
        m_wipe = std::make_unique<sync::InstallWipe>(m_ctx.db(), *m_ctx.secrets, installFootprint(m_ctx));
        m_wipe->deprovision([this, error](Status wiped) {
            if (!wiped)
                spdlog::critical("deprovisioning: the install could not be wiped: {}",
                                 wiped.error().code.toStdString());
            audit(QStringLiteral("install.deprovisioned"),
                  wiped ? QStringLiteral("wiped") : wiped.error().code);
            m_finishing = false;
            finishRun(RunStatus::Failed, error);
        });
        return;
    }
    finishRun(RunStatus::Failed, error);
}

void SyncRun::finishRun(RunStatus status, std::optional<Error> error)
{
    if (m_finishing)
        return;
    m_finishing = true;
    // The message is stored, reported to the backend and printed: redacted once, here, with the values this
    // run registered, so that every later resend of the report is the same body.
    if (error)
        error->message = m_ctx.logging->redactor().redactTruncated(error->message, kRunErrorMaxChars);
    // The Neo page and its renderer go now; the objects themselves when the run is destroyed (this may be
    // running inside one of their callbacks).
    if (m_session)
        m_session->close();

    RunOutcome outcome;
    outcome.status = status;
    outcome.counts = counts();
    if (error)
        outcome.error = RunError{error->code, error->message};
    outcome.driftWarnings = m_driftWarnings;
    outcome.warnings = m_warnings;
    if (status == RunStatus::Completed &&
        std::ranges::any_of(m_warnings, [](const sync::RunWarning& w) { return w.makesPartial(); }))
        outcome.status = status = RunStatus::Partial; // never completed with something refused or held
    // A resumed run's time spent in the earlier process is not known to this one's timer.
    if (!m_result.resumed)
        outcome.durationMs = m_elapsed.elapsed();
    if (auto peak = peakRssMb(); peak)
        outcome.peakRssMb = *peak;
    auto finished = m_log->finish(m_run.runId, outcome);
    if (finished) {
        m_run = *finished;
    } else {
        // After a deprovisioning wipe the runs table is empty: the result still says what happened.
        spdlog::warn("run {} could not be recorded as finished: {}", m_run.runId.toStdString(),
                     finished.error().code.toStdString());
        m_run.status = status;
        m_run.counts = outcome.counts;
        m_run.error = outcome.error;
        m_run.durationMs = outcome.durationMs;
        m_run.peakRssMb = outcome.peakRssMb;
        m_run.finishedAt = m_clock.nowUtc();
    }
    m_result.run = m_run;
    m_result.error = error;
    spdlog::info("run {} {}: {} appointment(s), {} consultation(s), {} item(s) queued, {} uploaded",
                 m_run.runId.toStdString(), runStatusName(status).toStdString(),
                 outcome.counts.appointmentsSeen, outcome.counts.consultationsFetched,
                 outcome.counts.itemsQueued, outcome.counts.itemsUploaded);

    sync::Outbox outbox(m_ctx.db(), m_clock);
    m_result.outboxPending = outbox.depth().value_or(0);
    m_result.outboxFailed = outbox.failedCount().value_or(0);

    if (m_deprovisioned) { // nothing is left to report from, nobody to report to
        deliver();
        return;
    }
    if (m_startReportInFlight) {
        m_finishWaitsForStartReport = true; // complete() follows its answer: start before end
        return;
    }
    complete();
}

void SyncRun::complete()
{
    m_wrapUp = std::make_unique<RunWrapUp>(*m_log, m_ctx.db(), *m_ctx.credentials, m_reporter.get(),
                                           m_telemetry.get(), m_clock);
    m_wrapUp->run(m_run, [this](WrapUpResult wrapped) {
        m_result.alerts = std::move(wrapped.alerts);
        m_result.alertChanges = std::move(wrapped.changes);
        m_result.reportsSent = wrapped.reports.sent;
        deliver();
    });
}

void SyncRun::deliver()
{
    if (m_lock)
        m_lock->unlock();
    if (!m_done)
        return;
    auto done = std::move(m_done);
    m_done = nullptr;
    // Always from the event loop, never from inside start().
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result = m_result]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
}

} // namespace odis::agent
