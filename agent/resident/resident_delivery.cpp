// ResidentAgent (resident_agent.h): delivery-only attempts. When a run (or an attempt) leaves items in the
// outbox, the scheduler makes an attempt due on its failure ladder (scheduler.h, "Delivery"); the agent
// flushes the outbox from its own process (outbox_delivery.h): no Neo, no web engine, no run.

#include "agent/agent_context.h"
#include "agent/resident/agent_status.h"
#include "agent/resident/outbox_delivery.h"
#include "agent/resident/resident_agent.h"
#include "agent/resident/time_source.h"
#include "storage/codes/agent_codes.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/install_wipe.h"
#include "sync/backend/outbox.h"
#include "sync/backend/utc_text.h"

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

// The uploader's deprovisioning (403 agent_deprovisioned) goes through the agent's own wipe, which also
// audits it and keeps the heartbeat and timers from touching the store meanwhile.
class ResidentWipe final : public sync::DeprovisionHandler
{
public:
    explicit ResidentWipe(std::function<void(std::function<void(Status)>)> wipe)
        : m_wipe(std::move(wipe))
    {}
    void deprovision(std::function<void(Status)> done) override { m_wipe(std::move(done)); }

private:
    std::function<void(std::function<void(Status)>)> m_wipe;
};

} // namespace

bool ResidentAgent::delivering() const
{
    return m_delivery && m_delivery->running();
}

bool ResidentAgent::outboxUndelivered()
{
    auto depth = sync::Outbox(m_ctx.db(), m_time).depth();
    if (!depth) {
        // Unknown is treated as waiting: an attempt on an empty outbox costs one look at the store.
        spdlog::warn("outbox depth unknown ({})", depth.error().code.toStdString());
        return true;
    }
    return *depth > 0;
}

void ResidentAgent::startDelivery()
{
    m_scheduler->deliveryStarted();
    auto refused = [this](const QString& code) {
        spdlog::info("delivery not started: {}", code.toStdString());
        m_lastDelivery = QJsonObject{{QStringLiteral("at"), sync::utcText(m_time.nowUtc())},
                                     {QStringLiteral("outcome"), QStringLiteral("not_started")},
                                     {QStringLiteral("error_code"), code}};
        m_scheduler->deliveryFinished(true); // the ladder goes on: no loop on a cause that stays
        save();
    };
    if (!m_backend || !m_identityLoaded || m_clinicId.isEmpty()) {
        loadIdentity();
        refused(codes::kAgentNotEnrolled);
        return;
    }
    // Batches formed now belong to the run whose upload left the items waiting (its tally counts them).
    QString runId = m_lastResult ? m_lastResult->runId : QString();
    if (runId.isEmpty()) {
        if (auto store = readStoreStatus(m_ctx.db(), *m_ctx.credentials, m_time);
            store && store->lastFinishedRun)
            runId = store->lastFinishedRun->runId;
    }
    if (runId.isEmpty()) {
        refused(codes::kNoRun);
        return;
    }
    if (!m_delivery) {
        m_deliveryWipe = std::make_unique<ResidentWipe>([this](std::function<void(Status)> done) {
            m_deliveryWiping = true;
            wipeAndStop("a delivery was answered 403 agent_deprovisioned", std::move(done));
        });
        m_delivery = std::make_unique<OutboxDelivery>(m_ctx.db(), *m_backend, *m_deliveryWipe, m_time,
                                                      m_ctx.paths.syncLockFile());
        connect(m_delivery.get(), &OutboxDelivery::finished, this, &ResidentAgent::onDeliveryFinished);
    }
    if (auto started = m_delivery->start(runId, m_clinicId); !started) {
        refused(started.error().code);
        return;
    }
    spdlog::info("delivery starting: the outbox to the backend, no Neo (attempt {})",
                 m_scheduler->state().deliveryFailures);
    save();
    Q_EMIT changed();
}

void ResidentAgent::abortDelivery()
{
    if (!delivering())
        return;
    m_delivery->abort();
    spdlog::info("delivery stopped with the agent: the next attempt or run resends it");
}

void ResidentAgent::onDeliveryFinished(const sync::UploadReport& report, int reportsSent)
{
    if (report.outcome == sync::UploadReport::Outcome::Deprovisioned) {
        // The wipe ran already (ResidentWipe): nothing is left to sync, and nothing may be written to the
        // store any more (not even the scheduler's state).
        spdlog::warn("this install was deprovisioned by Odis: the agent stops");
        stop(QStringLiteral("deprovisioned"));
        return;
    }
    const bool undelivered = report.outcome != sync::UploadReport::Outcome::Drained || report.pending > 0;
    m_scheduler->deliveryFinished(undelivered);
    save();
    m_lastDelivery = QJsonObject{
        {QStringLiteral("at"), sync::utcText(m_time.nowUtc())},
        {QStringLiteral("outcome"), sync::uploadOutcomeName(report.outcome)},
        {QStringLiteral("uploaded"), report.uploaded},
        {QStringLiteral("pending"), report.pending},
        {QStringLiteral("reports_sent"), reportsSent},
        {QStringLiteral("error_code"), report.error ? QJsonValue(report.error->code) : QJsonValue()}};
    spdlog::info("delivery {}: {} uploaded, {} rejected, {} pending, {} run report(s) sent {}",
                 sync::uploadOutcomeName(report.outcome).toStdString(), report.uploaded, report.rejected,
                 report.pending, reportsSent,
                 report.error ? report.error->code.toStdString() : std::string());
    beat(); // the backend learns the new outbox depth now
    evaluate();
}

QJsonObject ResidentAgent::deliveryStatus() const
{
    QJsonObject s = m_lastDelivery;
    s.insert(QStringLiteral("running"), delivering());
    return s;
}

} // namespace odis::agent
