#include "agent/telemetry/telemetry.h"

#include "storage/codes/agent_codes.h"

#include <QLoggingCategory>
#include <QTimer>

namespace odis::agent {

namespace {

Q_LOGGING_CATEGORY(lcTelemetry, "odis.agent.telemetry")

} // namespace

Result<std::unique_ptr<Telemetry>> Telemetry::create(storage::Database& db, const Clock& clock,
                                                     TelemetrySettings settings, QObject* parent)
{
    const bool enabled = settings.enabled;
    auto telemetry = std::unique_ptr<Telemetry>(new Telemetry(db, clock, std::move(settings), parent));
    if (auto set = telemetry->setEnabled(enabled); !set)
        return propagate(set);
    return telemetry;
}

Telemetry::Telemetry(storage::Database& db, const Clock& clock, TelemetrySettings settings, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
    , m_settings(std::move(settings))
    , m_queue(db, m_settings.capacity)
{}

Telemetry::~Telemetry() = default;

Status Telemetry::setEnabled(bool enabled)
{
    if (enabled) {
        if (auto ready = ensureSender(); !ready)
            return ready;
        m_enabled = true;
        return ok();
    }
    m_enabled = false;
    if (m_sender)
        m_sender->abort();
    return m_queue.clear();
}

Status Telemetry::record(const Result<TelemetryEvent>& event)
{
    if (!event) {
        qCWarning(lcTelemetry) << "telemetry event not built:" << event.error().code;
        return propagate(event);
    }
    if (!m_enabled)
        return ok();
    if (auto queued = m_queue.enqueue(*event); !queued) {
        qCWarning(lcTelemetry) << "telemetry event not queued:" << queued.error().code;
        return queued;
    }
    return ok();
}

void Telemetry::flush(PostHogSender::Done done)
{
    if (!m_enabled || !m_sender) {
        QTimer::singleShot(0, this, [done = std::move(done)] {
            TelemetryFlushResult result;
            result.error = Error{codes::kTelemetryDisabled, QStringLiteral("telemetry is switched off")};
            if (done)
                done(result);
        });
        return;
    }
    m_sender->flush(std::move(done));
}

void Telemetry::setDistinctId(const QString& agentId)
{
    m_distinctId = agentId;
    if (m_sender)
        m_sender->setDistinctId(agentId);
}

Status Telemetry::ensureSender()
{
    if (m_sender)
        return ok();
    auto sender = PostHogSender::create(m_settings.posthog, m_queue, m_clock);
    if (!sender)
        return propagate(sender);
    m_sender = std::move(*sender);
    m_sender->setDistinctId(m_distinctId);
    return ok();
}

} // namespace odis::agent
