#include "sync/backend/outbox.h"

#include "storage/clock.h"
#include "storage/codes/backend_codes.h"
#include "storage/database.h"
#include "sync/backend/utc_text.h"
#include "sync/core/canonical_json.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QVariant>

namespace odis::sync {

namespace {

std::unexpected<Error> invalidItem(const QString& message)
{
    return fail(codes::kOutboxItemInvalid, message);
}

[[nodiscard]] Status validate(const OutboxItem& item)
{
    static const QRegularExpression sha256(QStringLiteral("^[0-9a-f]{64}$"));
    if (item.kind.isEmpty() || item.key.isEmpty())
        return invalidItem(QStringLiteral("an outbox item needs a kind and a key"));
    if (!item.key.startsWith(item.kind + u':'))
        return invalidItem(QStringLiteral("key %1 is not of kind %2").arg(item.key, item.kind));
    if (!item.observedAt.isValid())
        return invalidItem(QStringLiteral("item %1 has no observation time").arg(item.key));
    if (!sha256.match(item.version).hasMatch() || item.version != sha256Hex(item.payload))
        return invalidItem(
            QStringLiteral("item %1: version is not the SHA-256 of its payload").arg(item.key));
    QJsonParseError error{};
    if (!QJsonDocument::fromJson(item.payload, &error).isObject() || error.error != QJsonParseError::NoError)
        return invalidItem(QStringLiteral("item %1: payload is not a JSON object").arg(item.key));
    return ok();
}

} // namespace

Outbox::Outbox(storage::Database& db, const Clock& clock)
    : m_db(db)
    , m_clock(clock)
{}

Status Outbox::enqueue(const OutboxItem& item)
{
    if (!m_db.inTransaction())
        return fail(
            codes::kOutboxNotInTransaction,
            QStringLiteral("outbox items are queued in the run's transaction, with what they belong to"));
    if (auto valid = validate(item); !valid)
        return valid;
    auto newest = m_db.query(
        QStringLiteral("SELECT version FROM outbox WHERE key = ? ORDER BY id DESC LIMIT 1"), {item.key});
    if (!newest)
        return propagate(newest);
    if (!newest->isEmpty() && newest->first().at(0).toString() == item.version)
        return ok();
    if (auto superseded =
            m_db.execute(QStringLiteral("DELETE FROM outbox WHERE key = ? AND batch_id IS NULL"), {item.key});
        !superseded)
        return propagate(superseded);
    auto inserted = m_db.execute(
        QStringLiteral("INSERT INTO outbox (key, kind, version, observed_at, payload, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)"),
        {item.key, item.kind, item.version, utcText(item.observedAt), QString::fromUtf8(item.payload),
         utcText(m_clock.nowUtc())});
    if (!inserted)
        return propagate(inserted);
    return ok();
}

Result<qint64> Outbox::depth()
{
    auto count = m_db.scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE dead = 0"));
    if (!count)
        return propagate(count);
    return count->toLongLong();
}

Result<qint64> Outbox::failedCount()
{
    auto count = m_db.scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE dead = 1"));
    if (!count)
        return propagate(count);
    return count->toLongLong();
}

Result<QList<FailedItem>> Outbox::failedItems(int limit)
{
    auto rows = m_db.query(
        QStringLiteral("SELECT id, kind, key, version, observed_at, failed_at, attempts, last_error "
                       "FROM outbox WHERE dead = 1 ORDER BY id LIMIT ?"),
        {limit});
    if (!rows)
        return propagate(rows);
    QList<FailedItem> out;
    out.reserve(rows->size());
    for (const QVariantList& row : std::as_const(*rows)) {
        out.append(FailedItem{row.at(0).toLongLong(), row.at(1).toString(), row.at(2).toString(),
                              row.at(3).toString(), fromUtcText(row.at(4).toString()),
                              fromUtcText(row.at(5).toString()), row.at(6).toInt(), row.at(7).toString()});
    }
    return out;
}

Result<bool> Outbox::revive(qint64 id, const QString& key)
{
    auto newer =
        m_db.scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE key = ? AND id > ?"), {key, id});
    if (!newer)
        return propagate(newer);
    const bool superseded = newer->toLongLong() > 0;
    const QString sql =
        superseded
            ? QStringLiteral("DELETE FROM outbox WHERE id = ? AND dead = 1")
            : QStringLiteral("UPDATE outbox SET dead = 0, batch_id = NULL, failed_at = NULL, attempts = 0, "
                             "next_attempt_at = NULL, last_error = NULL WHERE id = ? AND dead = 1");
    auto changed = m_db.execute(sql, {id});
    if (!changed)
        return propagate(changed);
    return !superseded;
}

Status Outbox::retryFailed(qint64 id)
{
    return m_db.transaction([&]() -> Status {
        auto key = m_db.scalar(QStringLiteral("SELECT key FROM outbox WHERE id = ? AND dead = 1"), {id});
        if (!key)
            return propagate(key);
        if (!key->isValid())
            return fail(codes::kOutboxItemNotFound, QStringLiteral("no failed item %1").arg(id));
        auto revived = revive(id, key->toString());
        if (!revived)
            return propagate(revived);
        return ok();
    });
}

Result<qint64> Outbox::retryAllFailed()
{
    qint64 revivedCount = 0;
    auto done = m_db.transaction([&]() -> Status {
        revivedCount = 0;
        auto rows = m_db.query(QStringLiteral("SELECT id, key FROM outbox WHERE dead = 1 ORDER BY id"));
        if (!rows)
            return propagate(rows);
        for (const QVariantList& row : std::as_const(*rows)) {
            auto revived = revive(row.at(0).toLongLong(), row.at(1).toString());
            if (!revived)
                return propagate(revived);
            revivedCount += *revived ? 1 : 0;
        }
        return ok();
    });
    if (!done)
        return propagate(done);
    return revivedCount;
}

Result<std::optional<QDateTime>> Outbox::oldestWaitingSince()
{
    auto oldest = m_db.scalar(QStringLiteral("SELECT MIN(created_at) FROM outbox WHERE dead = 0"));
    if (!oldest)
        return propagate(oldest);
    if (!oldest->isValid() || oldest->isNull())
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(fromUtcText(oldest->toString()));
}

Result<bool> Outbox::isStale()
{
    auto oldest = oldestWaitingSince();
    if (!oldest)
        return propagate(oldest);
    if (!*oldest || !(*oldest)->isValid())
        return false;
    const qint64 ageSeconds = (*oldest)->secsTo(m_clock.nowUtc());
    return ageSeconds > std::chrono::duration_cast<std::chrono::seconds>(kStaleAfter).count();
}

} // namespace odis::sync
