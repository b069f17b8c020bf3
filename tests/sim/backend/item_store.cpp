#include "tests/sim/backend/item_store.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"
#include "tests/sim/backend/item_validator.h"

namespace odis::sim::backend {

namespace {

const QString kStored = QStringLiteral("stored");
const QString kUnchanged = QStringLiteral("unchanged");
const QString kSuperseded = QStringLiteral("superseded"); // older than the latest: kept, never applied

} // namespace

ItemStore::ItemStore(BackendDatabase& db)
    : m_db(db)
{}

Result<QString> ItemStore::apply(const QString& clinicId, const QString& batchId, const CheckedItem& item)
{
    auto latest =
        m_db.rows(QStringLiteral("SELECT version, observed_at_ms FROM items WHERE clinic_id = ? AND key = ?"),
                  {clinicId, item.key});
    if (!latest)
        return std::unexpected(latest.error());
    const QString now = BackendDatabase::nowText();
    const QString payload = QString::fromUtf8(canonicalJson(item.payload));
    QString outcome;
    Status written = ok();
    if (latest->isEmpty()) {
        outcome = kStored;
        written = m_db.exec(
            QStringLiteral("INSERT INTO items(clinic_id, key, kind, version, observed_at, observed_at_ms, "
                           "batch_id, updated_at, payload_json) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {clinicId, item.key, item.kind, item.version, item.observedAt, item.observedAtMs, batchId, now,
             payload});
    } else {
        const QJsonObject row = latest->first().toObject();
        const bool sameVersion = row.value(QStringLiteral("version")).toString() == item.version;
        if (item.observedAtMs < row.value(QStringLiteral("observed_at_ms")).toInteger()) {
            outcome = kSuperseded;
        } else if (sameVersion) {
            // Same content seen later: only the observation time moves, so a later stale upload stays stale.
            outcome = kUnchanged;
            written = m_db.exec(
                QStringLiteral("UPDATE items SET observed_at = ?, observed_at_ms = ? WHERE clinic_id = ? "
                               "AND key = ?"),
                {item.observedAt, item.observedAtMs, clinicId, item.key});
        } else {
            outcome = kStored;
            written = m_db.exec(
                QStringLiteral(
                    "UPDATE items SET kind = ?, version = ?, observed_at = ?, observed_at_ms = ?, "
                    "batch_id = ?, updated_at = ?, payload_json = ? WHERE clinic_id = ? AND key = ?"),
                {item.kind, item.version, item.observedAt, item.observedAtMs, batchId, now, payload, clinicId,
                 item.key});
        }
    }
    if (!written)
        return std::unexpected(written.error());
    if (auto observed =
            m_db.exec(QStringLiteral("INSERT INTO observations(clinic_id, key, kind, version, observed_at, "
                                     "observed_at_ms, batch_id, received_at, outcome, payload_json) "
                                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      {clinicId, item.key, item.kind, item.version, item.observedAt, item.observedAtMs,
                       batchId, now, outcome, payload});
        !observed)
        return std::unexpected(observed.error());
    return outcome == kStored ? kStored : kUnchanged;
}

Status ItemStore::recordRejection(const QString& batchId, const CheckedItem& item, const Rejection& rejection)
{
    return m_db.exec(
        QStringLiteral("INSERT INTO rejected_items(batch_id, key, version, error, details_json, received_at) "
                       "VALUES(?, ?, ?, ?, ?, ?)"),
        {batchId, item.key, item.version, rejection.code, QString::fromUtf8(canonicalJson(rejection.details)),
         BackendDatabase::nowText()});
}

Status ItemStore::recordBatch(const BatchRecord& b)
{
    return m_db.exec(
        QStringLiteral("INSERT INTO batches(batch_id, agent_id, clinic_id, run_id, sent_at, received_at, "
                       "item_count, wire_bytes, gzip, stored, unchanged, rejected) "
                       "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {b.batchId, b.agentId, b.clinicId, b.runId, b.sentAt, BackendDatabase::nowText(), b.itemCount,
         b.wireBytes, b.gzip ? 1 : 0, b.stored, b.unchanged, b.rejected});
}

Result<QJsonArray> ItemStore::latest(const QString& kind, const QString& key)
{
    return m_db.rows(
        QStringLiteral(
            "SELECT clinic_id, key, kind, version, observed_at, batch_id, updated_at, payload_json "
            "FROM items WHERE (IFNULL(?, '') = '' OR kind = ?) AND (IFNULL(?, '') = '' OR key = ?) ORDER BY "
            "clinic_id, key"),
        {kind, kind, key, key});
}

Result<QJsonArray> ItemStore::observations(const QString& key)
{
    return m_db.rows(
        QStringLiteral(
            "SELECT id, clinic_id, key, kind, version, observed_at, batch_id, received_at, outcome, "
            "payload_json FROM observations WHERE (IFNULL(?, '') = '' OR key = ?) ORDER BY id"),
        {key, key});
}

Result<QJsonArray> ItemStore::batches()
{
    return m_db.rows(QStringLiteral(
        "SELECT b.batch_id, b.agent_id, b.clinic_id, b.run_id, b.sent_at, b.received_at, b.item_count, "
        "b.wire_bytes, "
        "b.gzip, b.stored, b.unchanged, b.rejected, COALESCE(i.replays, 0) AS replays, i.body AS answer_json "
        "FROM batches b LEFT JOIN idempotency i ON i.scope = b.agent_id AND i.key = b.batch_id "
        "ORDER BY b.received_at, b.batch_id"));
}

Result<QJsonArray> ItemStore::rejected()
{
    return m_db.rows(QStringLiteral("SELECT id, batch_id, key, version, error, details_json, received_at "
                                    "FROM rejected_items ORDER BY id"));
}

Result<QJsonObject> ItemStore::duplicates()
{
    auto keys = m_db.rows(
        QStringLiteral("SELECT clinic_id, key, version, COUNT(*) AS count FROM observations "
                       "GROUP BY clinic_id, key, version HAVING COUNT(*) > 1 ORDER BY clinic_id, key"));
    if (!keys)
        return std::unexpected(keys.error());
    qint64 total = 0;
    for (const QJsonValue row : std::as_const(*keys))
        total += row.toObject().value(QStringLiteral("count")).toInteger() - 1;
    return QJsonObject{{QStringLiteral("duplicates"), total}, {QStringLiteral("keys"), *keys}};
}

} // namespace odis::sim::backend
