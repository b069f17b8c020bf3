#include "agent/run/run_wrapup.h"

#include "agent/alerts/alert_inputs.h"
#include "agent/alerts/alert_memory.h"
#include "agent/run/run_log.h"
#include "agent/telemetry/telemetry.h"
#include "storage/clock.h"
#include "storage/codes/storage_codes.h"
#include "storage/idexx_credentials.h"
#include "storage/neo_origin_binding.h"
#include "sync/backend/outbox.h"
#include "sync/neo/neo_session_errors.h"

#include <QPointer>

#include <spdlog/spdlog.h>

namespace odis::agent {

Result<QList<Alert>> evaluateAlertsAfter(const RunRecord& run, RunLog& log, sync::Outbox& outbox,
                                         storage::IdexxCredentials& credentials, storage::Database& db,
                                         const Clock& clock)
{
    auto status = credentials.status();
    if (!status)
        return propagate(status);
    const bool secondFactor = run.error && run.error->code == sync::neo_session_error::kSecondFactorRequired;
    // The keychain answered when the store was opened; a run that stopped because it no longer did (a
    // keyring locked since, a prompt nobody answers) says so.
    const bool keychainAvailable = !(run.error && run.error->code == codes::kKeychainUnavailable);
    auto inputs = gatherAlertInputs(
        log, outbox, clock.nowUtc(),
        credentialConditionFor(status->state, secondFactor, status->suspendedForUnknownOutcomes()),
        keychainAvailable);
    if (!inputs)
        return propagate(inputs);
    auto pending = storage::NeoOriginBinding(db, clock).pending();
    if (!pending)
        return propagate(pending);
    inputs->neoOriginPending = *pending;
    return evaluateAlerts(*inputs);
}

RunWrapUp::RunWrapUp(RunLog& log, storage::Database& db, storage::IdexxCredentials& credentials,
                     RunReporter* reporter, Telemetry* telemetry, const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_log(log)
    , m_db(db)
    , m_credentials(credentials)
    , m_reporter(reporter)
    , m_telemetry(telemetry)
    , m_clock(clock)
{}

void RunWrapUp::run(const RunRecord& finished, std::function<void(WrapUpResult)> done)
{
    m_done = std::move(done);
    m_result = {};
    if (m_telemetry) {
        if (auto recorded = m_telemetry->record(syncEndedEvent(finished)); !recorded)
            spdlog::warn("telemetry: the run's end event was refused: {}",
                         recorded.error().code.toStdString());
    }

    // Older history than this is no input to any alert rule; the backend holds its reports.
    if (auto purged = m_log.purgeReportedBefore(m_clock.nowUtc().addDays(-kRunHistoryDays)); !purged)
        spdlog::warn("old runs were not purged: {}", purged.error().code.toStdString());
    else if (*purged > 0)
        spdlog::info("{} reported run(s) older than {} days purged", *purged, kRunHistoryDays);

    sync::Outbox outbox(m_db, m_clock);
    auto alerts = evaluateAlertsAfter(finished, m_log, outbox, m_credentials, m_db, m_clock);
    if (alerts) {
        m_result.alerts = *alerts;
        AlertMemory memory(m_db, m_clock);
        auto changes = memory.update(*alerts);
        if (changes)
            m_result.changes = *changes;
        else
            m_result.alertsError = changes.error();
    } else {
        m_result.alertsError = alerts.error();
    }
    for (const Alert& raised : std::as_const(m_result.changes.raised))
        spdlog::warn("alert raised: {}", raised.name().toStdString());
    for (const AlertCode cleared : std::as_const(m_result.changes.cleared))
        spdlog::info("alert cleared: {}", alertCodeName(cleared).toStdString());

    // Reports first, then telemetry: both are short, bounded by their clients' time-outs.
    m_waiting = 1;
    QPointer<RunWrapUp> self(this);
    if (m_reporter) {
        ++m_waiting;
        m_reporter->sendPending([self](RunReportsSent sent) {
            if (!self)
                return;
            if (sent.error)
                spdlog::warn("run reports: {} sent, the rest stay owed ({})", sent.sent,
                             sent.error->code.toStdString());
            self->m_result.reports = std::move(sent);
            self->settleOne();
        });
    }
    if (m_telemetry && m_telemetry->enabled()) {
        ++m_waiting;
        m_telemetry->flush([self](TelemetryFlushResult flushed) {
            if (!self)
                return;
            if (flushed.error)
                spdlog::info("telemetry: {} event(s) sent, the rest stay queued ({})", flushed.sent,
                             flushed.error->code.toStdString());
            self->m_result.telemetry = std::move(flushed);
            self->settleOne();
        });
    }
    // Always answered later, like every asynchronous step of the run.
    QMetaObject::invokeMethod(this, &RunWrapUp::settleOne, Qt::QueuedConnection);
}

void RunWrapUp::settleOne()
{
    if (--m_waiting > 0 || !m_done)
        return;
    auto done = std::move(m_done);
    m_done = nullptr;
    done(std::move(m_result));
}

} // namespace odis::agent
