#include "sync/backend/outbox_batches.h"

#include "storage/clock.h"
#include "storage/codes/backend_codes.h"
#include "storage/database.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/batch_body.h"
#include "sync/backend/gzip_body.h"
#include "sync/backend/utc_text.h"

#include <QHash>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUuid>
#include <QVariant>

#include <limits>

namespace odis::sync {

namespace {

Q_LOGGING_CATEGORY(lcOutbox, "odis.sync.outbox")

const QString kItemColumns = QStringLiteral("id, key, kind, observed_at, payload, version");

QByteArray itemJson(const QVariantList& row)
{
    return batchItemJson(row.at(1).toString(), row.at(2).toString(), row.at(3).toString(),
                         row.at(4).toString().toUtf8(), row.at(5).toString());
}

std::unexpected<Error> notFound(const QString& batchId)
{
    return fail(codes::kOutboxBatchNotFound, QStringLiteral("no outbox batch %1").arg(batchId));
}

// What the failed queue shows for a rejected item: the backend's code and, when it names one, the field.
// Nothing else of the answer is kept: details may quote values.
// What the failed queue keeps of a rejection: the backend's code and the field it names, each only in the
// contract's form (a hostile backend's megabytes or markup never reach the store or `odis-agent failed`).
QString rejectionText(const QJsonObject& result)
{
    QString code = serverErrorCode(result.value(QStringLiteral("error")));
    if (code.isEmpty())
        code = QStringLiteral("rejected");
    static const QRegularExpression kFieldPath(QStringLiteral("^[A-Za-z0-9_.\\[\\]]{1,128}$"));
    const QString field =
        result.value(QStringLiteral("details")).toObject().value(QStringLiteral("field")).toString();
    return kFieldPath.match(field).hasMatch() ? code + QStringLiteral(" (") + field + u')' : code;
}

} // namespace

OutboxBatches::OutboxBatches(storage::Database& db, const Clock& clock, BatchLimits limits)
    : m_db(db)
    , m_clock(clock)
    , m_limits(limits)
{}

Result<std::optional<FrozenBatch>> OutboxBatches::nextFrozen(const QSet<QString>& skip)
{
    auto rows =
        m_db.query(QStringLiteral("SELECT b.batch_id, b.run_id, COUNT(o.id), MAX(o.next_attempt_at) "
                                  "FROM outbox_batches b LEFT JOIN outbox o ON o.batch_id = b.batch_id "
                                  "GROUP BY b.batch_id ORDER BY b.rowid"));
    if (!rows)
        return propagate(rows);
    for (const QVariantList& row : std::as_const(*rows)) {
        const QString batchId = row.at(0).toString();
        if (skip.contains(batchId))
            continue;
        if (row.at(2).toInt() == 0) {
            // A batch whose items all left it (cannot happen through this class); drop the empty shell.
            if (auto removed =
                    m_db.execute(QStringLiteral("DELETE FROM outbox_batches WHERE batch_id = ?"), {batchId});
                !removed)
                return propagate(removed);
            continue;
        }
        return std::optional<FrozenBatch>(
            FrozenBatch{batchId, row.at(1).toString(), row.at(2).toInt(), fromUtcText(row.at(3).toString())});
    }
    return std::optional<FrozenBatch>();
}

Result<QString> OutboxBatches::insertBatch(const QString& runId, const QString& clinicId)
{
    const QString batchId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString now = utcText(m_clock.nowUtc());
    auto inserted =
        m_db.execute(QStringLiteral("INSERT INTO outbox_batches (batch_id, run_id, clinic_id, created_at, "
                                    "sent_at) VALUES (?, ?, ?, ?, ?)"),
                     {batchId, runId, clinicId, now, now});
    if (!inserted)
        return propagate(inserted);
    return batchId;
}

Result<std::optional<FrozenBatch>> OutboxBatches::formBatch(const QString& runId, const QString& clinicId)
{
    std::optional<FrozenBatch> formed;
    auto done = m_db.transaction([&]() -> Status {
        for (;;) {
            auto rows = m_db.query(
                QStringLiteral("SELECT ") + kItemColumns +
                    QStringLiteral(" FROM outbox WHERE dead = 0 AND batch_id IS NULL ORDER BY id LIMIT ?"),
                {m_limits.maxItems});
            if (!rows)
                return propagate(rows);
            if (rows->isEmpty())
                return ok();
            QList<QByteArray> items;
            items.reserve(rows->size());
            for (const QVariantList& row : std::as_const(*rows))
                items.append(itemJson(row));
            // The size is measured on a body with this batch's real envelope (the id and time only differ
            // in their digits, so the measurement holds for the body sent).
            const BatchEnvelope envelope{QUuid::createUuid().toString(QUuid::WithoutBraces), clinicId, runId,
                                         utcText(m_clock.nowUtc())};
            Error measureError;
            const int count =
                largestFittingCount(static_cast<int>(items.size()), m_limits, [&](int n) -> qint64 {
                    auto wire = wireBody(batchJson(envelope, items, n));
                    if (!wire) {
                        measureError = wire.error();
                        return std::numeric_limits<qint64>::max();
                    }
                    return wire->bytes.size();
                });
            if (!measureError.code.isEmpty())
                return std::unexpected(measureError);
            if (count == 0) {
                const qint64 id = rows->first().at(0).toLongLong();
                qCWarning(lcOutbox).noquote() << "outbox item" << id << "is too large to upload even alone";
                auto dead = markDead(QStringLiteral("id = ?"), {id}, kItemTooLarge);
                if (!dead)
                    return propagate(dead);
                if (auto counted = addToTally(runId, 0, *dead); !counted)
                    return counted;
                continue;
            }
            auto inserted =
                m_db.execute(QStringLiteral("INSERT INTO outbox_batches (batch_id, run_id, clinic_id, "
                                            "created_at, sent_at) VALUES (?, ?, ?, ?, ?)"),
                             {envelope.batchId, runId, clinicId, envelope.sentAt, envelope.sentAt});
            if (!inserted)
                return propagate(inserted);
            // The first `count` pending rows by id are exactly the pending rows up to the last one's id.
            const qint64 lastId = rows->at(count - 1).at(0).toLongLong();
            auto frozen = m_db.execute(
                QStringLiteral("UPDATE outbox SET batch_id = ? WHERE dead = 0 AND batch_id IS NULL "
                               "AND id <= ?"),
                {envelope.batchId, lastId});
            if (!frozen)
                return propagate(frozen);
            if (*frozen != count)
                return fail(codes::kOutboxBatchInconsistent,
                            QStringLiteral("froze %1 items instead of %2").arg(*frozen).arg(count));
            formed = FrozenBatch{envelope.batchId, runId, count, QDateTime()};
            return ok();
        }
    });
    if (!done)
        return propagate(done);
    return formed;
}

Result<QByteArray> OutboxBatches::body(const QString& batchId)
{
    auto batch =
        m_db.query(QStringLiteral("SELECT clinic_id, run_id, sent_at FROM outbox_batches WHERE batch_id = ?"),
                   {batchId});
    if (!batch)
        return propagate(batch);
    if (batch->isEmpty())
        return notFound(batchId);
    auto rows = m_db.query(QStringLiteral("SELECT ") + kItemColumns +
                               QStringLiteral(" FROM outbox WHERE batch_id = ? ORDER BY id"),
                           {batchId});
    if (!rows)
        return propagate(rows);
    QList<QByteArray> items;
    items.reserve(rows->size());
    for (const QVariantList& row : std::as_const(*rows))
        items.append(itemJson(row));
    const QVariantList& b = batch->first();
    return batchJson(BatchEnvelope{batchId, b.at(0).toString(), b.at(1).toString(), b.at(2).toString()},
                     items, items.size());
}

Result<AppliedResults> OutboxBatches::applyResults(const QString& batchId, const QJsonObject& answer,
                                                   const QString& runId)
{
    if (answer.value(QStringLiteral("batch_id")).toString().compare(batchId, Qt::CaseInsensitive) != 0 ||
        !answer.value(QStringLiteral("results")).isArray())
        return fail(
            codes::kBackendBadResponse,
            QStringLiteral("the answer to batch %1 is not a result list for that batch").arg(batchId));
    // (key, version) -> result
    QHash<QString, QJsonObject> results;
    for (const QJsonValue value : answer.value(QStringLiteral("results")).toArray()) {
        const QJsonObject result = value.toObject();
        results.insert(result.value(QStringLiteral("key")).toString() + u'\n' +
                           result.value(QStringLiteral("version")).toString(),
                       result);
    }
    AppliedResults applied;
    auto done = m_db.transaction([&]() -> Status {
        applied = {};
        auto rows = m_db.query(
            QStringLiteral("SELECT id, key, version FROM outbox WHERE batch_id = ? ORDER BY id"), {batchId});
        if (!rows)
            return propagate(rows);
        if (rows->isEmpty())
            return notFound(batchId);
        const QString now = utcText(m_clock.nowUtc());
        for (const QVariantList& row : std::as_const(*rows)) {
            const qint64 id = row.at(0).toLongLong();
            const QJsonObject result = results.value(row.at(1).toString() + u'\n' + row.at(2).toString());
            const QString status = result.value(QStringLiteral("status")).toString();
            Result<qint64> changed = 0;
            if (status == QStringLiteral("stored") || status == QStringLiteral("unchanged")) {
                changed = m_db.execute(QStringLiteral("DELETE FROM outbox WHERE id = ?"), {id});
                ++applied.acknowledged;
            } else if (status == QStringLiteral("rejected")) {
                changed =
                    m_db.execute(QStringLiteral("UPDATE outbox SET dead = 1, batch_id = NULL, failed_at = ?, "
                                                "attempts = attempts + 1, last_error = ? WHERE id = ?"),
                                 {now, rejectionText(result), id});
                ++applied.rejected;
            } else {
                // Not answered (or answered with a status this agent does not know): it goes again later.
                changed =
                    m_db.execute(QStringLiteral("UPDATE outbox SET batch_id = NULL WHERE id = ?"), {id});
                ++applied.missing;
            }
            if (!changed)
                return propagate(changed);
        }
        auto removed =
            m_db.execute(QStringLiteral("DELETE FROM outbox_batches WHERE batch_id = ?"), {batchId});
        if (!removed)
            return propagate(removed);
        return addToTally(runId, applied.acknowledged, applied.rejected);
    });
    if (!done)
        return propagate(done);
    if (applied.missing > 0)
        qCWarning(lcOutbox).noquote()
            << "batch" << batchId << ":" << applied.missing << "item(s) missing from the answer stay queued";
    return applied;
}

Result<std::optional<std::pair<QString, QString>>> OutboxBatches::splitTooLarge(const QString& batchId,
                                                                                const QString& runId)
{
    std::optional<std::pair<QString, QString>> halves;
    auto done = m_db.transaction([&]() -> Status {
        halves.reset();
        auto batch =
            m_db.scalar(QStringLiteral("SELECT clinic_id FROM outbox_batches WHERE batch_id = ?"), {batchId});
        if (!batch)
            return propagate(batch);
        if (!batch->isValid())
            return notFound(batchId);
        auto ids =
            m_db.query(QStringLiteral("SELECT id FROM outbox WHERE batch_id = ? ORDER BY id"), {batchId});
        if (!ids)
            return propagate(ids);
        const auto sizes = splitForTooLarge(static_cast<int>(ids->size()));
        if (!sizes) {
            auto dead = markDead(QStringLiteral("batch_id = ?"), {batchId}, kItemTooLarge);
            if (!dead)
                return propagate(dead);
            if (auto counted = addToTally(runId, 0, *dead); !counted)
                return counted;
        } else {
            auto first = insertBatch(runId, batch->toString());
            if (!first)
                return propagate(first);
            auto second = insertBatch(runId, batch->toString());
            if (!second)
                return propagate(second);
            const qint64 lastOfFirst = ids->at(sizes->first - 1).at(0).toLongLong();
            auto moved =
                m_db.execute(QStringLiteral("UPDATE outbox SET batch_id = ? WHERE batch_id = ? AND id <= ?"),
                             {*first, batchId, lastOfFirst});
            if (!moved)
                return propagate(moved);
            moved = m_db.execute(QStringLiteral("UPDATE outbox SET batch_id = ? WHERE batch_id = ?"),
                                 {*second, batchId});
            if (!moved)
                return propagate(moved);
            halves = std::pair{*first, *second};
        }
        auto removed =
            m_db.execute(QStringLiteral("DELETE FROM outbox_batches WHERE batch_id = ?"), {batchId});
        if (!removed)
            return propagate(removed);
        return ok();
    });
    if (!done)
        return propagate(done);
    return halves;
}

Status OutboxBatches::failBatch(const QString& batchId, const QString& errorCode, const QString& runId)
{
    return m_db.transaction([&]() -> Status {
        auto dead = markDead(QStringLiteral("batch_id = ?"), {batchId}, errorCode);
        if (!dead)
            return propagate(dead);
        auto removed =
            m_db.execute(QStringLiteral("DELETE FROM outbox_batches WHERE batch_id = ?"), {batchId});
        if (!removed)
            return propagate(removed);
        return addToTally(runId, 0, *dead);
    });
}

Status OutboxBatches::recordAttempt(const QString& batchId, const QString& errorCode,
                                    const QDateTime& nextAttemptAt)
{
    auto changed = m_db.execute(
        QStringLiteral("UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
                       "next_attempt_at = ? WHERE batch_id = ?"),
        {errorCode, nextAttemptAt.isValid() ? QVariant(utcText(nextAttemptAt)) : QVariant(), batchId});
    if (!changed)
        return propagate(changed);
    return ok();
}

Result<qint64> OutboxBatches::markDead(const QString& whereSql, const QVariantList& params,
                                       const QString& error)
{
    QVariantList all{utcText(m_clock.nowUtc()), error};
    all.append(params);
    auto changed = m_db.execute(QStringLiteral("UPDATE outbox SET dead = 1, batch_id = NULL, failed_at = ?, "
                                               "attempts = attempts + 1, last_error = ? WHERE ") +
                                    whereSql,
                                all);
    return changed;
}

Status OutboxBatches::addToTally(const QString& runId, qint64 acknowledged, qint64 rejected)
{
    if (acknowledged == 0 && rejected == 0)
        return ok();
    // SQLite 3.15 has no UPSERT: make sure the row exists, then add.
    auto row =
        m_db.execute(QStringLiteral("INSERT OR IGNORE INTO upload_tallies(run_id) VALUES (?)"), {runId});
    if (!row)
        return propagate(row);
    auto added = m_db.execute(QStringLiteral("UPDATE upload_tallies SET acknowledged = acknowledged + ?, "
                                             "rejected = rejected + ? WHERE run_id = ?"),
                              {acknowledged, rejected, runId});
    if (!added)
        return propagate(added);
    return ok();
}

Result<UploadTally> OutboxBatches::tally(const QString& runId)
{
    auto rows = m_db.query(
        QStringLiteral("SELECT acknowledged, rejected FROM upload_tallies WHERE run_id = ?"), {runId});
    if (!rows)
        return propagate(rows);
    if (rows->isEmpty())
        return UploadTally{};
    return UploadTally{rows->first().at(0).toLongLong(), rows->first().at(1).toLongLong()};
}

} // namespace odis::sync
