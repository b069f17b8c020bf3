#pragma once

// The telemetry_queue table: analytics events waiting for PostHog. Capped (the oldest are dropped when it
// is full: analytics may be lost, clinic data never goes through here), and every event is checked
// against the allow-list again before it is written, so nothing else can reach the disk or the network.

#include "agent/telemetry/telemetry_events.h"
#include "storage/result.h"

#include <QList>

namespace odis::storage {
class Database;
}

namespace odis::agent {

struct QueuedTelemetryEvent
{
    qint64 id = 0;
    TelemetryEvent event;
};

// One owner thread, like the Database.
class TelemetryQueue
{
public:
    static constexpr int kDefaultCapacity = 1000;

    // `capacity` below 1 is taken as 1.
    explicit TelemetryQueue(storage::Database& db, int capacity = kDefaultCapacity);

    // Checks the event (telemetry_allow_list.h errors) and appends it, then drops the oldest beyond the
    // capacity. Joins the caller's transaction when there is one.
    [[nodiscard]] Status enqueue(const TelemetryEvent& event);
    // The oldest `limit` events, oldest first. A row that no longer passes the allow-list (written by an
    // older version with a looser one) is deleted rather than sent.
    [[nodiscard]] Result<QList<QueuedTelemetryEvent>> oldest(int limit);
    // After PostHog accepted them. Ids already gone (dropped by the cap meanwhile) are fine.
    [[nodiscard]] Status remove(const QList<qint64>& ids);
    [[nodiscard]] Status clear();
    [[nodiscard]] Result<qint64> size();

    [[nodiscard]] int capacity() const { return m_capacity; }
    // Events dropped by the cap since this object was made (for the logs).
    [[nodiscard]] qint64 droppedCount() const { return m_dropped; }

private:
    [[nodiscard]] Status insertAndTrim(const TelemetryEvent& event);

    storage::Database& m_db;
    int m_capacity;
    qint64 m_dropped = 0;
};

} // namespace odis::agent
