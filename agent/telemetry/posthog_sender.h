#pragma once

// Sends the telemetry queue to PostHog's capture API: POST <host>/batch/ with
// {api_key, batch: [{event, distinct_id, timestamp, uuid, properties}]} (docs/backend-api.md), batch after
// batch, deleting events only once PostHog answered 2xx. Transport is sync::BackendClient unauthenticated
// (no bearer token, no agent id header: PostHog is another host), so TLS follows the backend's rules:
// verified certificates, the system store plus an optional CA file, errors never ignored.
//
// Never in a sync's way: flush() returns at once, one request at a time, short time-outs, and a failure
// only leaves the events queued for the next flush.

#include "agent/telemetry/telemetry_queue.h"
#include "storage/result.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace odis {
class Clock;
}
namespace odis::sync {
class BackendClient;
struct BackendReply;
} // namespace odis::sync

namespace odis::agent {

struct PostHogConfig
{
    QUrl host;      // https://eu.i.posthog.com; https only
    QString apiKey; // the project API key (write-only by PostHog's design, but still kept out of logs)
    QString caFile; // extra trusted CAs (PEM), as for the backend; empty: the system store only
    std::optional<QNetworkProxy> proxy; // as for the backend (sync/backend/backend_config.h)
    int batchSize = 100;
    int maxBatchesPerFlush = 10; // a long backlog goes over several flushes
    std::chrono::milliseconds transferTimeout{10'000};
    std::chrono::milliseconds totalTimeout{20'000};
};

struct TelemetryFlushResult
{
    int sent = 0;    // events PostHog accepted (and that are now deleted)
    int batches = 0; // accepted batches
    // Why the flush stopped before the queue was empty or the batch limit was reached; the events not
    // sent stay queued. posthog_unavailable (5xx, time-out, TLS, network), posthog_rate_limited,
    // posthog_rejected (400), posthog_api_key_rejected (401), posthog_unexpected, telemetry_not_enrolled,
    // telemetry_flush_busy, telemetry_flush_aborted, or the store's db_*.
    std::optional<Error> error;
};

// The request body for these events.
[[nodiscard]] QJsonObject posthogBatchBody(const QString& apiKey, const QString& distinctId,
                                           const QList<QueuedTelemetryEvent>& events);

class PostHogSender : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(TelemetryFlushResult)>;

    // Checks the configuration: an https host, an API key, a positive batch size, a readable CA file when
    // one is named. Error: telemetry_config_invalid.
    [[nodiscard]] static Result<std::unique_ptr<PostHogSender>>
    create(const PostHogConfig& config, TelemetryQueue& queue, const Clock& clock, QObject* parent = nullptr);
    ~PostHogSender() override;
    PostHogSender(const PostHogSender&) = delete;
    PostHogSender& operator=(const PostHogSender&) = delete;

    // The agent id from enrollment: PostHog's distinct_id. Until it is known nothing is sent.
    void setDistinctId(const QString& agentId) { m_distinctId = agentId; }
    [[nodiscard]] const QString& distinctId() const { return m_distinctId; }

    // Sends queued events until the queue is empty, a batch fails or maxBatchesPerFlush batches went.
    // Returns at once; `done` is called exactly once, later, from the event loop (unless this sender is
    // destroyed first). A flush while one is running is refused with telemetry_flush_busy.
    void flush(Done done = {});
    // Abandons the request in flight (its events stay queued) and ends the running flush with
    // telemetry_flush_aborted: its `done` is called before abort() returns.
    void abort();
    [[nodiscard]] bool busy() const { return m_busy; }

Q_SIGNALS:
    void flushFinished(const odis::agent::TelemetryFlushResult& result);

private:
    PostHogSender(const PostHogConfig& config, TelemetryQueue& queue, const Clock& clock,
                  std::unique_ptr<sync::BackendClient> client, QObject* parent);

    void sendNext();
    void onReply(const QList<qint64>& ids, const sync::BackendReply& reply);
    void finish(std::optional<Error> error);
    void finishLater(Done done, Error error);

    PostHogConfig m_config;
    TelemetryQueue& m_queue;
    const Clock& m_clock;
    std::unique_ptr<sync::BackendClient> m_client;
    QString m_distinctId;
    bool m_busy = false;
    quint64 m_flushSeq = 0; // a flush aborted before it began must not begin later
    Done m_done;
    TelemetryFlushResult m_result;
};

} // namespace odis::agent
