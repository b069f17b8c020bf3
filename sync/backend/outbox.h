#pragma once

// The outbox's items: what a run queues for the backend (inside the run's own transaction, next to the
// observations and decisions it belongs with), the failed queue staff can see and retry, and the numbers
// the heartbeat and the alerts read. Batching and upload results are outbox_batches.h's.

#include "storage/codes/agent_codes.h"
#include "storage/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::sync {

// One item as docs/backend-api.md sends it: payload is its canonical JSON (a JSON object) and version
// the lower-case hex SHA-256 of exactly those bytes.
struct OutboxItem
{
    QString kind; // appointment, consultation, discharge_call
    QString key;  // "<kind>:<id>"
    QString version;
    QDateTime observedAt;
    QByteArray payload;
};

// A rejected item waiting for a person: ids, kinds and codes only (the payload stays in the store).
struct FailedItem
{
    qint64 id = 0;
    QString kind;
    QString key;
    QString version;
    QDateTime observedAt;
    QDateTime failedAt;
    int attempts = 0;
    QString lastError; // "<code>" or "<code> (<field>)"
};

// Error codes: outbox_not_in_transaction, outbox_item_invalid, outbox_item_not_found, and the store's.
class Outbox
{
public:
    // "outbox older than 24 hours" (docs/architecture.md, Alerts).
    static constexpr std::chrono::hours kStaleAfter{24};
    static inline const QString kStaleAlert = codes::kOutboxStale;

    Outbox(storage::Database& db, const Clock& clock);

    // Queues an item. Must run inside the caller's open transaction (observations, decisions and outbox
    // items are written together or not at all). When the key's newest queued row already holds this
    // version, nothing changes. Otherwise the key's rows that are not frozen in a batch (pending or
    // failed) are superseded by the new one; rows already frozen in a batch stay and are resent as
    // they are.
    [[nodiscard]] Status enqueue(const OutboxItem& item);

    // Items still to be acknowledged (pending or frozen in a batch; failed ones not counted).
    [[nodiscard]] Result<qint64> depth();
    [[nodiscard]] Result<qint64> failedCount();
    // Oldest first.
    [[nodiscard]] Result<QList<FailedItem>> failedItems(int limit = 1000);
    // Puts a failed item back in the queue (it joins the next batch). A failed item whose key has a newer
    // row is removed instead: the newer version is what the backend must get.
    [[nodiscard]] Status retryFailed(qint64 id);
    // Same for every failed item; returns how many went back to the queue.
    [[nodiscard]] Result<qint64> retryAllFailed();

    // When the oldest item still to be acknowledged was queued; nullopt when there is none.
    [[nodiscard]] Result<std::optional<QDateTime>> oldestWaitingSince();
    // True when that item has waited longer than kStaleAfter.
    [[nodiscard]] Result<bool> isStale();

private:
    // true: back in the queue; false: removed, a newer row of the key exists.
    [[nodiscard]] Result<bool> revive(qint64 id, const QString& key);

    storage::Database& m_db;
    const Clock& m_clock;
};

} // namespace odis::sync
