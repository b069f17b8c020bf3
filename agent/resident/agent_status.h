#pragma once

// What `odis-agent status` shows, the heartbeat sends and a diagnostics bundle keeps: read from the store
// (outbox, failed queue, credential state, runs, alerts, the scheduler's kv state, the clinic's zone) and,
// when the resident agent runs, completed by it (its state and the run in progress with its progress).
// Ids, counts, codes and times only.

#include "agent/alerts/alert_rules.h"
#include "agent/resident/scheduler.h"
#include "agent/run/run_record.h"
#include "storage/credential_state.h"
#include "storage/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
class IdexxCredentials;
} // namespace odis::storage

namespace odis::agent {

struct StoreStatus
{
    bool enrolled = false;
    QString agentId;
    storage::CredentialState credentials = storage::CredentialState::NotConfigured;
    bool secondFactorRequested = false; // the newest finished run stopped at a second factor
    bool loginUnreadable = false; // suspended after unreadable login answers (neo_login_unknown_outcome)
    QString neoOriginPending;     // another Neo origin waits for a person (neo_origin_binding.h)
    qint64 outboxDepth = 0;
    qint64 failedItems = 0;
    std::optional<QDateTime> lastSuccessUtc;   // the newest completed or partial run (runs table)
    std::optional<RunRecord> lastSucceededRun; // that run, when it is among the newest 20 finished
    std::optional<RunRecord> lastFinishedRun;  // the newest finished run, whatever its outcome
    bool unfinishedRun = false;                // a run still `running` in the store (an earlier process's)
    QList<Alert> alerts;                       // the seed's rules evaluated now
    ScheduleState schedule;
    int intervalMinutes = Scheduler::kDefaultIntervalMinutes; // the cached clinic profile's
    QTimeZone clinicZone;                                     // invalid: no profile cached yet
};

// Errors: the store's.
[[nodiscard]] Result<StoreStatus> readStoreStatus(storage::Database& db,
                                                  storage::IdexxCredentials& credentials, const Clock& clock);

// Whether automatic runs may start (scheduler.h).
[[nodiscard]] RunGate runGateFor(const StoreStatus& status);

// {version, enrolled, agent_id, credentials, credential_state, outbox_depth, failed_items, last_success_at,
// next_run_at, paused_until, consecutive_failures, interval_minutes, jitter, alerts, clinic_timezone,
// last_finished_run}: the store's part of `status --json` (instants as UTC text, null when unknown).
[[nodiscard]] QJsonObject storeStatusJson(const StoreStatus& status);

// {run_id, trigger, status, finished_at, error_code|null, warnings}: a finished run as the heartbeat's
// `last_run` carries it (docs/backend-api.md), so operations see what a run could not trust in Neo's
// answers between run reports. Codes, field paths and counts only.
[[nodiscard]] QJsonObject finishedRunJson(const RunRecord& run);

// The lines `odis-agent status` prints from a status object (the agent's or storeStatusJson's), times in
// the clinic's zone when it is known.
[[nodiscard]] QString statusText(const QJsonObject& status, bool withHeader = true);

} // namespace odis::agent
