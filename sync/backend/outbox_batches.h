#pragma once

// The outbox's batches: pending items are frozen into a batch (id, clinic, run, sent_at and item set
// stored) before the batch is first sent, so every send of it, after a time-out or a crash and restart,
// is the identical body under the same Idempotency-Key and the backend answers a repeat with its first
// answer. A batch only changes by being answered (200), refused as a whole (400/422) or split (413).

#include "storage/codes/backend_codes.h"
#include "storage/result.h"
#include "sync/core/batch_plan.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <optional>
#include <utility>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::sync {

struct FrozenBatch
{
    QString batchId; // also the Idempotency-Key
    QString runId;
    int itemCount = 0;
    QDateTime notBefore; // the latest next_attempt_at of its items; invalid when none
};

// What a 200 answer did to a batch's items.
struct AppliedResults
{
    int acknowledged = 0; // stored or unchanged: deleted
    int rejected = 0;     // now in the failed queue
    int missing = 0;      // not in the answer: pending again, in a later batch
};

// What one run's uploads did, over every process that worked on the run (a run killed in the middle of
// its upload is resumed under the same id).
struct UploadTally
{
    qint64 acknowledged = 0; // stored or unchanged: deleted from the outbox
    qint64 rejected = 0;     // moved to the failed queue
};

// Error codes: outbox_batch_not_found, backend_bad_response (an answer that is not about this batch),
// gzip_failed, and the store's.
class OutboxBatches
{
public:
    static inline const QString kItemTooLarge = codes::kOutboxItemTooLarge;

    OutboxBatches(storage::Database& db, const Clock& clock, BatchLimits limits = {});

    // The oldest frozen batch that is not in `skip`; nullopt when there is none.
    [[nodiscard]] Result<std::optional<FrozenBatch>> nextFrozen(const QSet<QString>& skip = {});
    // Freezes the oldest pending items into a new batch of at most limits.maxItems items and
    // limits.maxWireBytes on the wire (measured by compressing the real body). An item too large to go
    // even alone goes to the failed queue (outbox_item_too_large, counted in `runId`'s tally). nullopt
    // when nothing is pending.
    [[nodiscard]] Result<std::optional<FrozenBatch>> formBatch(const QString& runId, const QString& clinicId);
    // The request body of every send of the batch, byte for byte the same each time:
    // {batch_id, clinic_id, items: [{key, kind, observed_at, payload, version}], run_id, sent_at}.
    [[nodiscard]] Result<QByteArray> body(const QString& batchId);

    // A 200 answer {batch_id, results: [{key, version, status, error?}]}: stored and unchanged items are
    // deleted, rejected ones go to the failed queue, the ones the answer does not name become pending
    // again; the batch is gone afterwards. One transaction, which also adds to `runId`'s tally.
    [[nodiscard]] Result<AppliedResults> applyResults(const QString& batchId, const QJsonObject& answer,
                                                      const QString& runId);
    // A 413: the batch becomes two new batches (new ids: their bodies differ) of half the items each,
    // returned in send order. A single item cannot be split: it goes to the failed queue (counted in
    // `runId`'s tally) and nullopt is returned.
    [[nodiscard]] Result<std::optional<std::pair<QString, QString>>> splitTooLarge(const QString& batchId,
                                                                                   const QString& runId);
    // A 400/422 for the whole batch: its items go to the failed queue with `errorCode`, counted as
    // rejected in `runId`'s tally.
    [[nodiscard]] Status failBatch(const QString& batchId, const QString& errorCode, const QString& runId);
    // A failed send: attempts + 1, the error and when to try again, on every item of the batch.
    [[nodiscard]] Status recordAttempt(const QString& batchId, const QString& errorCode,
                                       const QDateTime& nextAttemptAt);

    // `runId`'s tally; zeros for a run that uploaded nothing.
    [[nodiscard]] Result<UploadTally> tally(const QString& runId);

    [[nodiscard]] const BatchLimits& limits() const { return m_limits; }

private:
    // The number of items moved to the failed queue.
    [[nodiscard]] Result<qint64> markDead(const QString& whereSql, const QVariantList& params,
                                          const QString& error);
    // Inside the caller's transaction, so a count is never lost to or repeated after a crash.
    [[nodiscard]] Status addToTally(const QString& runId, qint64 acknowledged, qint64 rejected);
    [[nodiscard]] Result<QString> insertBatch(const QString& runId, const QString& clinicId);

    storage::Database& m_db;
    const Clock& m_clock;
    BatchLimits m_limits;
};

} // namespace odis::sync
