#pragma once

// Drains the outbox to `POST /v1/sync/batches`, one frozen batch at a time, and reacts to every answer
// as docs/backend-api.md says: 200 applies the per-item results; 401 stops (re-enrollment needed); 403
// agent_deprovisioned wipes the install; 409 alerts and keeps the batch; 413 splits it; 429 waits
// Retry-After; 5xx and network failures back off (capped, full jitter) and resend the same batch under
// the same Idempotency-Key; 400/422 for a whole batch puts its items in the failed queue. Whatever is
// not acknowledged stays in the outbox. Waiting uses timers, never a nested event loop.

#include "storage/result.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/outbox.h"
#include "sync/backend/outbox_batches.h"
#include "sync/core/backoff.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::sync {

class BackendClient;
class DeprovisionHandler;

struct UploadSettings
{
    BatchLimits limits;
    BackoffPolicy backoff; // 5xx, network failures, and 429 without a usable Retry-After
};

struct UploadReport
{
    enum class Outcome
    {
        Drained,       // nothing left to send in this run
        Deferred,      // the backend kept failing (or asked to wait) past this run's budget: data kept
        Stopped,       // an answer that retrying cannot fix (401, 409, unexpected): data kept, see error
        Deprovisioned, // 403 agent_deprovisioned: the install was wiped
    };

    Outcome outcome = Outcome::Drained;
    int uploaded = 0;    // acknowledged (stored or unchanged) and deleted during this upload
    int rejected = 0;    // put in the failed queue during this upload
    int batchesSent = 0; // sends, resends included
    qint64 pending = 0;  // still waiting at the end (Outbox::depth)
    qint64 failed = 0;   // in the failed queue at the end
    // Why it did not drain: the failing answer's code (backend_reply.h), outbox_waiting (Deferred: the
    // next batch is held back past this run's budget), or a store error.
    std::optional<Error> error;
    QDateTime nextAttemptAt; // Deferred: not before this
    // backend_auth_revoked, agent_deprovisioned, backend_idempotency_conflict, outbox_stale
    QStringList alerts;
};

[[nodiscard]] QString uploadOutcomeName(UploadReport::Outcome outcome);

class OutboxUploader : public QObject
{
    Q_OBJECT

public:
    OutboxUploader(BackendClient& client, storage::Database& db, DeprovisionHandler& deprovision,
                   const Clock& clock, RandomSource& random, UploadSettings settings = {},
                   QObject* parent = nullptr);
    ~OutboxUploader() override;

    // Starts draining (asynchronously: finished() comes later). Batches formed now carry `runId`;
    // `clinicId` is the enrolled clinic. Error codes: upload_running, agent_not_enrolled.
    [[nodiscard]] Status start(const QString& runId, const QString& clinicId);
    [[nodiscard]] bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const odis::sync::UploadReport& report);

private:
    void next();
    void send();
    void onReply(const BackendReply& reply);
    void onApplied(const BackendReply& reply);
    void retryLater(const BackendReply& reply, std::chrono::milliseconds wait);
    void waitThenSend(std::chrono::milliseconds wait);
    void finish(UploadReport::Outcome outcome, std::optional<Error> error = std::nullopt);
    [[nodiscard]] std::chrono::milliseconds elapsed() const;

    BackendClient& m_client;
    DeprovisionHandler& m_deprovision;
    const Clock& m_clock;
    RandomSource& m_random;
    UploadSettings m_settings;
    Outbox m_outbox;
    OutboxBatches m_batches;
    QTimer m_wait;

    bool m_running = false;
    QString m_runId;
    QString m_clinicId;
    QDateTime m_startedAt;
    std::optional<FrozenBatch> m_batch; // the batch being sent, until its answer is applied
    int m_failures = 0;                 // consecutive failed sends of m_batch
    QSet<QString> m_skipped;            // batches answered 409: kept, not resent in this run
    UploadReport m_report;
};

} // namespace odis::sync
