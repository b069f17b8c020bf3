#pragma once

// The scheduler's state in the store's kv table (docs/architecture.md, "Storage"): the keys below, UTC
// instants as text (sync/backend/utc_text.h), so that a restart or a sleep finds the cadence where it was.

#include "agent/resident/scheduler.h"
#include "storage/result.h"

#include <QString>

namespace odis::storage {
class Database;
}

namespace odis::agent {

namespace schedule_kv {
inline const QString kLastSuccess = QStringLiteral("scheduler.last_success_utc");
inline const QString kLastRunStarted = QStringLiteral("scheduler.last_run_started_utc");
inline const QString kNextDue = QStringLiteral("scheduler.next_due_utc");
inline const QString kConsecutiveFailures = QStringLiteral("scheduler.consecutive_failures");
inline const QString kPausedUntil = QStringLiteral("scheduler.paused_until");
inline const QString kJitter = QStringLiteral("scheduler.jitter");
inline const QString kNextDelivery = QStringLiteral("scheduler.next_delivery_utc");
inline const QString kDeliveryFailures = QStringLiteral("scheduler.delivery_failures");
} // namespace schedule_kv

// Error codes: schedule_state_corrupt (a value that does not parse: named, never guessed), the store's.
class ScheduleStore
{
public:
    explicit ScheduleStore(storage::Database& db);

    // Absent keys are absent members (a fresh install).
    [[nodiscard]] Result<ScheduleState> load();
    // Writes every key in one transaction (absent members delete theirs); `now` stamps updated_at.
    [[nodiscard]] Status save(const ScheduleState& state, const QDateTime& now);

private:
    storage::Database& m_db;
};

} // namespace odis::agent
