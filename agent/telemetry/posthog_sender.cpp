#include "agent/telemetry/posthog_sender.h"

#include "storage/clock.h"
#include "storage/codes/agent_codes.h"
#include "sync/backend/backend_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

namespace odis::agent {

namespace {

Q_LOGGING_CATEGORY(lcPostHog, "odis.agent.telemetry.posthog")

const QString kBatchPath = QStringLiteral("/batch/");

sync::BackendConfig transportConfig(const PostHogConfig& config)
{
    sync::BackendConfig transport;
    transport.baseUrl = config.host;
    transport.caFile = config.caFile;
    transport.transferTimeout = config.transferTimeout;
    transport.totalTimeout = config.totalTimeout;
    transport.proxy = config.proxy;
    return transport;
}

std::unexpected<Error> configInvalid(const QString& why)
{
    return fail(codes::kTelemetryConfigInvalid, why);
}

// PostHog's answer in the telemetry's own words: the transport names it a backend, which it is not.
Error replyError(const sync::BackendReply& reply)
{
    const QString detail = reply.status != 0
                               ? QStringLiteral("PostHog answered HTTP %1").arg(reply.status)
                               : QStringLiteral("PostHog could not be reached (%1)").arg(reply.error.code);
    switch (reply.outcome) {
    case sync::BackendOutcome::Transient:
        return {QStringLiteral("posthog_unavailable"), detail};
    case sync::BackendOutcome::RateLimited:
        return {QStringLiteral("posthog_rate_limited"), detail};
    case sync::BackendOutcome::Invalid:
    case sync::BackendOutcome::TooLarge:
        return {QStringLiteral("posthog_rejected"), detail};
    case sync::BackendOutcome::AuthRevoked:
        return {QStringLiteral("posthog_api_key_rejected"), detail};
    case sync::BackendOutcome::Ok:
    case sync::BackendOutcome::Deprovisioned:
    case sync::BackendOutcome::Conflict:
    case sync::BackendOutcome::Unexpected:
        break;
    }
    return {QStringLiteral("posthog_unexpected"), detail};
}

} // namespace

QJsonObject posthogBatchBody(const QString& apiKey, const QString& distinctId,
                             const QList<QueuedTelemetryEvent>& events)
{
    QJsonArray batch;
    for (const QueuedTelemetryEvent& queued : events) {
        const TelemetryEvent& e = queued.event;
        batch.append(QJsonObject{
            {QStringLiteral("event"), e.name},
            {QStringLiteral("distinct_id"), distinctId},
            {QStringLiteral("timestamp"), e.timestamp.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("uuid"), e.uuid.toString(QUuid::WithoutBraces)},
            {QStringLiteral("properties"), e.properties},
        });
    }
    return QJsonObject{{QStringLiteral("api_key"), apiKey}, {QStringLiteral("batch"), batch}};
}

Result<std::unique_ptr<PostHogSender>>
PostHogSender::create(const PostHogConfig& config, TelemetryQueue& queue, const Clock& clock, QObject* parent)
{
    if (config.apiKey.trimmed().isEmpty())
        return configInvalid(QStringLiteral("no PostHog project API key"));
    if (config.batchSize < 1 || config.maxBatchesPerFlush < 1)
        return configInvalid(QStringLiteral("the PostHog batch size and batch limit must be positive"));
    auto client = sync::BackendClient::create(transportConfig(config), clock);
    if (!client)
        return configInvalid(QStringLiteral("PostHog transport: ") + client.error().message);
    return std::unique_ptr<PostHogSender>(
        new PostHogSender(config, queue, clock, std::move(*client), parent));
}

PostHogSender::PostHogSender(const PostHogConfig& config, TelemetryQueue& queue, const Clock& clock,
                             std::unique_ptr<sync::BackendClient> client, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_queue(queue)
    , m_clock(clock)
    , m_client(std::move(client))
{}

PostHogSender::~PostHogSender() = default;

void PostHogSender::flush(Done done)
{
    if (m_busy) {
        finishLater(std::move(done), {QStringLiteral("telemetry_flush_busy"),
                                      QStringLiteral("a telemetry flush is already running")});
        return;
    }
    if (m_distinctId.isEmpty()) {
        finishLater(std::move(done), {QStringLiteral("telemetry_not_enrolled"),
                                      QStringLiteral("no agent id yet: telemetry waits for enrollment")});
        return;
    }
    m_busy = true;
    m_done = std::move(done);
    m_result = {};
    const quint64 flush = ++m_flushSeq;
    // From the event loop, so that `done` never runs inside flush() even when there is nothing to send.
    QTimer::singleShot(0, this, [this, flush] {
        if (m_busy && flush == m_flushSeq)
            sendNext();
    });
}

void PostHogSender::abort()
{
    if (!m_busy)
        return;
    // Destroying the transport aborts its request without calling back; a fresh one takes its place.
    m_client.reset();
    if (auto client = sync::BackendClient::create(transportConfig(m_config), m_clock))
        m_client = std::move(*client);
    finish(Error{codes::kTelemetryFlushAborted, QStringLiteral("the telemetry flush was stopped")});
}

void PostHogSender::sendNext()
{
    if (m_result.batches >= m_config.maxBatchesPerFlush) {
        finish(std::nullopt);
        return;
    }
    auto events = m_queue.oldest(m_config.batchSize);
    if (!events) {
        finish(events.error());
        return;
    }
    if (events->isEmpty()) {
        finish(std::nullopt);
        return;
    }
    if (!m_client) {
        finish(Error{codes::kTelemetryConfigInvalid, QStringLiteral("no PostHog transport")});
        return;
    }
    QList<qint64> ids;
    for (const QueuedTelemetryEvent& queued : *events)
        ids.append(queued.id);
    sync::BackendRequest request;
    request.method = QByteArrayLiteral("POST");
    request.path = kBatchPath;
    request.body = QJsonDocument(posthogBatchBody(m_config.apiKey, m_distinctId, *events))
                       .toJson(QJsonDocument::Compact);
    request.authenticated = false; // PostHog: the api_key in the body authenticates, no bearer token
    m_client->send(request,
                   [this, ids = std::move(ids)](const sync::BackendReply& reply) { onReply(ids, reply); });
}

void PostHogSender::onReply(const QList<qint64>& ids, const sync::BackendReply& reply)
{
    if (!m_busy)
        return;
    if (!reply.ok()) {
        const Error error = replyError(reply);
        qCInfo(lcPostHog) << "telemetry batch not accepted:" << error.code << "status" << reply.status
                          << "events kept" << ids.size();
        finish(error);
        return;
    }
    if (auto removed = m_queue.remove(ids); !removed) {
        // PostHog has them; they would be sent again, and PostHog deduplicates by uuid.
        finish(removed.error());
        return;
    }
    m_result.sent += static_cast<int>(ids.size());
    ++m_result.batches;
    sendNext();
}

void PostHogSender::finish(std::optional<Error> error)
{
    m_busy = false;
    m_result.error = std::move(error);
    const TelemetryFlushResult result = m_result;
    const Done done = std::exchange(m_done, {});
    qCDebug(lcPostHog) << "telemetry flush: sent" << result.sent << "in" << result.batches << "batch(es)"
                       << (result.error ? result.error->code : QString());
    Q_EMIT flushFinished(result);
    if (done)
        done(result);
}

void PostHogSender::finishLater(Done done, Error error)
{
    QTimer::singleShot(0, this, [this, done = std::move(done), error = std::move(error)] {
        TelemetryFlushResult result;
        result.error = error;
        Q_EMIT flushFinished(result);
        if (done)
            done(result);
    });
}

} // namespace odis::agent
