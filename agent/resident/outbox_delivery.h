#pragma once

// A delivery-only attempt of the resident agent (scheduler.h, "Delivery"): what waits in the outbox goes to
// the backend from this process, without a sync run: no Neo login, no web engine, no run row or report of
// its own. Once the outbox drained, the run reports still owed (the ones a run could not send while the
// backend was away) go too, so the backend's view of the runs catches up with its data.
// Frozen batches keep their ids (the Idempotency-Key), so an attempt stopped anywhere (the agent quitting,
// a crash) is resent by the next attempt or run without duplicates; batches formed now carry the id of the
// run whose upload left the items waiting. The attempt holds the sync lock (the file a run takes), so it
// never overlaps a sync run, this agent's or another process's.

#include "storage/result.h"
#include "sync/backend/outbox_uploader.h"
#include "sync/core/backoff.h"

#include <QObject>
#include <QString>

#include <memory>

class QLockFile;

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}
namespace odis::sync {
class BackendClient;
class DeprovisionHandler;
} // namespace odis::sync

namespace odis::agent {

class RunLog;
class RunReporter;

class OutboxDelivery : public QObject
{
    Q_OBJECT

public:
    // Everything outlives the delivery. `lockFile`: the sync lock (syncLockFile(), agent_context.h).
    OutboxDelivery(storage::Database& db, sync::BackendClient& client, sync::DeprovisionHandler& deprovision,
                   const Clock& clock, QString lockFile, QObject* parent = nullptr);
    ~OutboxDelivery() override;

    // Starts an attempt; finished() follows unless it is aborted. Errors, at once: sync_already_running
    // (a run holds the lock), the uploader's (upload_running, agent_not_enrolled).
    [[nodiscard]] Status start(const QString& runId, const QString& clinicId);
    [[nodiscard]] bool running() const { return m_running; }
    // Stops the attempt in progress without finished(): the batch in flight is resent under its key later.
    void abort();

    // One attempt sends a batch at most twice, within 30 s: the scheduler's ladder (1, 5, 15, 60 minutes)
    // is the retry between attempts, so a backend still away costs seconds, not a run's 5-minute budget.
    [[nodiscard]] static sync::UploadSettings settings();

Q_SIGNALS:
    // `reportsSent`: owed run reports the backend took in this attempt.
    void finished(const odis::sync::UploadReport& report, int reportsSent);

private:
    void onUploaded(const sync::UploadReport& report);
    void finish(const sync::UploadReport& report, int reportsSent);

    storage::Database& m_db;
    sync::BackendClient& m_client;
    sync::DeprovisionHandler& m_deprovision;
    const Clock& m_clock;
    QString m_lockFile;
    sync::SystemRandom m_random;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<sync::OutboxUploader> m_uploader;
    std::unique_ptr<RunLog> m_runLog;
    std::unique_ptr<RunReporter> m_reporter;
    bool m_running = false;
};

} // namespace odis::agent
