// The steps of SyncRun (sync_run.h), in the order they run. Each is entered through enterStep(), which
// stores it first; each ends by entering the next one or by failRun().

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/run/neo_login_step.h"
#include "agent/run/neo_origin_gate.h"
#include "agent/run/run_commit.h"
#include "agent/run/run_log.h"
#include "agent/run/sync_run.h"
#include "agent/telemetry/telemetry.h"
#include "storage/codes/agent_codes.h"
#include "storage/codes/backend_codes.h"
#include "storage/neo_origin_binding.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/clinic_profile.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/install_wipe.h"
#include "sync/backend/outbox.h"
#include "sync/backend/outbox_batches.h"
#include "sync/core/neo_origin_allow_list.h"
#include "sync/neo/neo_session.h"

#include <QStringList>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

// The error message of a run its warnings made partial: the first few, field paths and counts only.
QString warningsSummary(const QList<sync::RunWarning>& warnings)
{
    QStringList parts;
    for (const sync::RunWarning& w : warnings) {
        if (!w.makesPartial())
            continue;
        if (parts.size() == 3) {
            parts << QStringLiteral("...");
            break;
        }
        parts << w.toString();
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

void SyncRun::checkPreconditions()
{
    auto client = sync::BackendClient::create(m_config.backend(), m_clock);
    if (!client) {
        failRun(client.error());
        return;
    }
    m_backend = std::move(*client);
    m_enrollment = std::make_unique<sync::Enrollment>(*m_backend, m_ctx.db(), *m_ctx.secrets,
                                                      m_ctx.logging->redactor(), m_clock);
    auto identity = m_enrollment->storedIdentity();
    if (!identity || !*identity) {
        failRun(identity ? Error{codes::kAgentNotEnrolled,
                                 QStringLiteral(
                                     "this install is not enrolled: run odis-agent enroll --code <code>")}
                         : identity.error());
        return;
    }
    // A run that only has its upload left does not use Neo, so it does not need the credentials.
    if (!m_resumeAtUpload) {
        auto credentials = m_ctx.credentials->status();
        if (!credentials) {
            failRun(credentials.error());
            return;
        }
        if (auto allowed = checkCredentialUse(credentials->state, m_run.trigger); !allowed) {
            failRun(allowed.error());
            return;
        }
    }
    m_enrollment->load([this](Result<sync::AgentIdentity> loaded) {
        if (m_finishing)
            return;
        if (!loaded) {
            failRun(loaded.error());
            return;
        }
        m_clinicId = loaded->clinicId;
        if (m_telemetry)
            m_telemetry->setDistinctId(loaded->agentId);
        m_reporter = std::make_unique<RunReporter>(*m_backend, *m_log);
        sendStartReport();
        if (m_resumeAtUpload)
            enterStep(run_step::kUpload, &SyncRun::upload);
        else
            enterStep(run_step::kClinicProfile, &SyncRun::fetchClinicProfile);
    });
}

// Sent alongside the run, not waited for: a backend that is slow to take a report must not hold the sync.
// finishRun() waits for it, so that the start report always precedes the end report.
void SyncRun::sendStartReport()
{
    m_startReportInFlight = true;
    m_reporter->send(m_run, RunReportKind::Start, [this](Status sent) {
        m_startReportInFlight = false;
        if (!sent)
            spdlog::warn("run {}: the start report stays owed ({})", m_run.runId.toStdString(),
                         sent.error().code.toStdString());
        if (m_finishWaitsForStartReport) {
            m_finishWaitsForStartReport = false;
            complete();
        }
    });
}

void SyncRun::fetchClinicProfile()
{
    m_profileFetcher = std::make_unique<sync::ClinicProfileFetcher>(*m_backend, m_ctx.db(), m_clock);
    m_profileFetcher->fetch([this](Result<sync::ClinicProfile> profile) {
        if (m_finishing)
            return;
        if (!profile) {
            failRun(profile.error());
            return;
        }
        if (profile->fromCacheOnly())
            spdlog::warn("clinic profile: using the cached one ({})",
                         profile->fallbackReason ? profile->fallbackReason->code.toStdString() : "offline");
        auto policy = profile->policy();
        auto settings = syncSettingsFromProfile(profile->json);
        if (!policy || !settings) {
            failRun(!policy ? policy.error() : settings.error());
            return;
        }
        m_policy = *policy;
        m_settings = *settings;
        m_profile = profile->json;
        enterStep(run_step::kNeoLogin, &SyncRun::loginToNeo);
    });
}

void SyncRun::loginToNeo()
{
    auto base = neoBaseUrl(m_profile, m_config.neoBaseUrl);
    if (!base) {
        failRun(base.error());
        return;
    }
    // Where the password may go is decided here, not by the profile (neo_origin_gate.h).
    auto allowed = sync::NeoOriginAllowList::create(m_config.neoAllowedOrigins);
    if (!allowed) {
        failRun(allowed.error());
        return;
    }
    storage::NeoOriginBinding binding(m_ctx.db(), m_ctx.clock);
    auto origin = NeoOriginGate(binding, *allowed, *m_ctx.audit).check(*base);
    if (!origin) {
        failRun(origin.error());
        return;
    }
    sync::NeoSessionConfig config = m_options.neo;
    config.baseUrl = *base;
    // The page goes through the configured proxy (Chromium's switches, agent/proxy/proxy_setup.h) with
    // its login when it asks.
    if (m_config.networkProxy && m_config.networkProxy->type() != QNetworkProxy::NoProxy) {
        config.proxyUser = m_config.networkProxy->user();
        config.proxyPassword = m_config.networkProxy->password();
    }
    auto session = sync::NeoSession::create(config, &m_ctx.logging->redactor());
    if (!session) {
        failRun(session.error());
        return;
    }
    m_session = std::move(*session);
    m_login = std::make_unique<NeoLoginStep>(*m_ctx.credentials, *m_ctx.audit, m_telemetry.get(), m_clock);
    m_login->run(*m_session, m_run.trigger, [this, origin = *origin, allowed = *allowed](Status loggedIn) {
        if (m_finishing)
            return;
        if (!loggedIn) {
            failRun(loggedIn.error());
            return;
        }
        storage::NeoOriginBinding bindingNow(m_ctx.db(), m_ctx.clock);
        if (auto bound = NeoOriginGate(bindingNow, allowed, *m_ctx.audit).accepted(origin); !bound) {
            failRun(bound.error());
            return;
        }
        enterStep(run_step::kSchedule, &SyncRun::readClinic);
    });
}

void SyncRun::readClinic()
{
    const ClinicReadRequest request{m_run.runId, m_policy->zone, m_policy->country, m_settings};
    m_reader->read(
        *m_session, request,
        [this] {
            // Stored, not entered: the reader goes on by itself.
            if (m_finishing)
                return;
            if (auto stored = storeStep(run_step::kConsultations); !stored)
                failRun(stored.error());
        },
        [this](Result<ClinicRead> read) {
            if (m_finishing)
                return;
            if (!read) {
                failRun(read.error());
                return;
            }
            m_read = std::move(*read);
            // Neo is not needed any more: its page and renderer go before the heavier work.
            m_session->close();
            enterStep(run_step::kValidate, &SyncRun::validateRead);
        });
}

// Shapes, types and volumes were checked answer by answer as the reader parsed them: a shape it does not
// know failed the read (neo_layout_changed), never gave empty data. What it tolerated are warnings, taken
// in here for the run's record and the drift alert.
void SyncRun::validateRead()
{
    m_driftWarnings = m_read->driftWarnings();
    for (const sync::DriftWarning& warning : std::as_const(m_read->neo.driftWarnings))
        spdlog::warn("Neo drift: {}", warning.toString().toStdString());
    enterStep(run_step::kReconcile, &SyncRun::reconcile);
}

void SyncRun::reconcile()
{
    auto stored = loadStoredState(m_ctx.db());
    if (!stored) {
        failRun(stored.error());
        return;
    }
    m_stored = std::move(*stored);
    auto plan = reconcileRead(*m_read, *m_stored, m_policy->zone, m_policy->country, m_run.runId);
    if (!plan) {
        failRun(plan.error());
        return;
    }
    m_plan = std::move(*plan);
    enterStep(run_step::kPlanCalls, &SyncRun::planDischargeCalls);
}

void SyncRun::planDischargeCalls()
{
    // Decisions are made as of the snapshot they rest on (the read's instant), not whenever planning
    // happens to run: the same clinic read gives the same plan however long the read took.
    auto plan = planCalls(std::move(*m_plan), *m_stored, *m_policy, m_read->readAt);
    if (!plan) {
        failRun(plan.error());
        return;
    }
    m_plan = std::move(*plan);
    const PlanCounts& c = m_plan->counts;
    m_counts.appointmentsSeen = c.appointmentsSeen;
    m_counts.consultationsFetched = c.consultationsFetched;
    m_counts.notesFound = c.notesFound;
    m_counts.callsPlanned = c.callsPlanned;
    m_counts.callsExcluded = c.callsExcluded;
    m_counts.itemsQueued = c.itemsToQueue;
    m_counts.failed = m_read->neo.failedVisits();
    m_warnings = m_plan->warnings;
    for (const sync::RunWarning& warning : std::as_const(m_warnings))
        spdlog::warn("run {}: {}", m_run.runId.toStdString(), warning.toString().toStdString());
    m_result.plan = c;
    enterStep(run_step::kStore, &SyncRun::storeRun);
}

void SyncRun::storeRun()
{
    sync::Outbox outbox(m_ctx.db(), m_clock);
    const RunCommit commit{m_run.runId, *m_read, *m_plan, m_policy->zone, m_counts, m_driftWarnings};
    if (auto committed = commitRun(m_ctx.db(), outbox, *m_log, commit); !committed) {
        failRun(committed.error());
        return;
    }
    m_run.step = QString(run_step::kUpload);
    if (m_telemetry && m_plan->counts.callsNewlyPlanned > 0)
        (void)m_telemetry->record(
            dischargeScheduledEvent(m_run.runId, m_plan->counts.callsNewlyPlanned, m_clock.nowUtc()));
    m_read.reset();
    m_stored.reset();
    m_plan->changes.clear();
    m_plan->visits.clear();
    // The commit stored `upload` as the step (run_commit.h); the test seam holds right after it.
    if (m_options.stepStored)
        m_options.stepStored(m_run.runId, m_run.step);
    if (m_options.hold.holdAfterStoring(run_step::kUpload))
        StepHold::holdForever();
    upload();
}

void SyncRun::upload()
{
    m_random = std::make_unique<sync::SystemRandom>();
    m_wipe = std::make_unique<sync::InstallWipe>(m_ctx.db(), *m_ctx.secrets, installFootprint(m_ctx));
    m_uploader = std::make_unique<sync::OutboxUploader>(*m_backend, m_ctx.db(), *m_wipe, m_clock, *m_random,
                                                        m_options.upload);
    connect(m_uploader.get(), &sync::OutboxUploader::finished, this, &SyncRun::onUploaded);
    // Items left by earlier runs go too: the uploader drains the whole outbox.
    if (auto started = m_uploader->start(m_run.runId, m_clinicId); !started)
        failRun(started.error());
}

void SyncRun::onUploaded(const sync::UploadReport& report)
{
    if (m_finishing)
        return;
    m_result.upload = report;
    // The run's tally, not this process's report: a run resumed after a kill in the middle of its upload
    // also counts the batches the killed process delivered.
    sync::OutboxBatches batches(m_ctx.db(), m_clock);
    auto tally = batches.tally(m_run.runId);
    if (!tally) {
        failRun(tally.error());
        return;
    }
    m_counts.itemsUploaded = tally->acknowledged;
    m_counts.failed += tally->rejected; // the read's failures, stored by the commit, plus these
    spdlog::info("upload {}: {} uploaded, {} rejected, {} pending",
                 uploadOutcomeName(report.outcome).toStdString(), report.uploaded, report.rejected,
                 report.pending);
    const Error unknown{QStringLiteral("upload_failed"), QStringLiteral("the upload stopped")};
    switch (report.outcome) {
    case sync::UploadReport::Outcome::Drained:
        if (const QString code = sync::leadingWarningCode(m_warnings); !code.isEmpty()) {
            // Something was refused or held back: never `completed` (docs/idexx-neo.md).
            m_endStatus = RunStatus::Partial;
            m_endError = Error{code, warningsSummary(m_warnings)};
        } else if (m_counts.failed > 0) {
            m_endStatus = RunStatus::Partial;
            m_endError =
                Error{codes::kItemsFailed,
                      QStringLiteral("%1 consultation read(s) or item(s) failed").arg(m_counts.failed)};
        } else {
            m_endStatus = RunStatus::Completed;
        }
        break;
    case sync::UploadReport::Outcome::Deferred:
        m_endStatus = RunStatus::Partial;
        m_endError = report.error.value_or(unknown);
        break;
    case sync::UploadReport::Outcome::Stopped:
        failRun(report.error.value_or(unknown));
        return;
    case sync::UploadReport::Outcome::Deprovisioned:
        // The uploader has wiped the install already.
        m_deprovisioned = true;
        audit(QStringLiteral("install.deprovisioned"), QStringLiteral("wiped"));
        failRun(report.error.value_or(
            Error{sync::backend_error::kDeprovisioned, QStringLiteral("the backend retired this install")}));
        return;
    }
    // Stored with the next step: a run killed before it closed still reports its uploads when resumed.
    if (auto progress = m_log->setProgress(m_run.runId, m_counts, m_driftWarnings); !progress) {
        failRun(progress.error());
        return;
    }
    enterStep(run_step::kClose, &SyncRun::closeRun);
}

void SyncRun::closeRun()
{
    finishRun(*m_endStatus, m_endError);
}

} // namespace odis::agent
