#pragma once

// Product analytics as the rest of the agent sees it: record one of the five events (telemetry_events.h),
// flush now and then, switch it all off. Off means off: nothing is queued, the queue is emptied, nothing
// is sent. Whatever PostHog does, a sync never waits for it or fails because of it.
//
//   auto telemetry = Telemetry::create(db, clock, settings);      // settings from the configuration
//   (*telemetry)->setDistinctId(agentId);                          // after enrollment
//   (void)(*telemetry)->record(syncStartedEvent(run));              // a refusal is a bug: logged, run goes
//   on
//   (*telemetry)->flush();                                           // after the run; returns at once

#include "agent/telemetry/posthog_sender.h"
#include "agent/telemetry/telemetry_events.h"
#include "agent/telemetry/telemetry_queue.h"
#include "storage/result.h"

#include <QObject>
#include <QString>

#include <memory>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::agent {

struct TelemetrySettings
{
    bool enabled = true;
    int capacity = TelemetryQueue::kDefaultCapacity;
    PostHogConfig posthog; // checked only while telemetry is on
};

class Telemetry : public QObject
{
    Q_OBJECT

public:
    // Switched off, the queue is emptied at once (events queued while it was on are never sent). Switched
    // on, the PostHog configuration must be valid (telemetry_config_invalid).
    [[nodiscard]] static Result<std::unique_ptr<Telemetry>>
    create(storage::Database& db, const Clock& clock, TelemetrySettings settings, QObject* parent = nullptr);
    ~Telemetry() override;
    Telemetry(const Telemetry&) = delete;
    Telemetry& operator=(const Telemetry&) = delete;

    // Off: stops a flush, empties the queue. On: needs a valid PostHog configuration.
    [[nodiscard]] Status setEnabled(bool enabled);
    [[nodiscard]] bool enabled() const { return m_enabled; }

    // On: checks the event and queues it. Off: drops it and succeeds. An event that could not be built or
    // is refused by the allow-list comes back as its error and is logged by code: a bug in the caller, which
    // must not stop a sync.
    [[nodiscard]] Status record(const Result<TelemetryEvent>& event);

    // Sends what is queued (PostHogSender::flush). Off: `done` gets telemetry_disabled, later.
    void flush(PostHogSender::Done done = {});
    void setDistinctId(const QString& agentId);

    [[nodiscard]] TelemetryQueue& queue() { return m_queue; }

private:
    Telemetry(storage::Database& db, const Clock& clock, TelemetrySettings settings, QObject* parent);
    [[nodiscard]] Status ensureSender();

    const Clock& m_clock;
    TelemetrySettings m_settings;
    TelemetryQueue m_queue;
    std::unique_ptr<PostHogSender> m_sender; // made when telemetry is first on
    QString m_distinctId;
    bool m_enabled = false;
};

} // namespace odis::agent
