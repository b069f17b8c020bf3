#include "tests/sim/backend/audit_store.h"

#include "tests/sim/backend/backend_database.h"

#include <QList>

#include <algorithm>

namespace odis::sim::backend {

namespace {

QString text(const QJsonObject& o, const char* name)
{
    return o.value(QLatin1StringView(name)).toString();
}

} // namespace

AuditStore::AuditStore(BackendDatabase& db)
    : m_db(db)
{}

Result<qint64> AuditStore::head(const QString& agentId)
{
    auto value = m_db.scalar(
        QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM audit_entries WHERE agent_id = ?"), {agentId});
    if (!value)
        return std::unexpected(value.error());
    return value->toLongLong();
}

Result<qint64> AuditStore::append(const QString& agentId, const QJsonArray& entries)
{
    QList<QJsonObject> sorted;
    for (const QJsonValue e : entries)
        sorted.append(e.toObject());
    std::sort(sorted.begin(), sorted.end(), [](const QJsonObject& a, const QJsonObject& b) {
        return a.value(QStringLiteral("seq")).toInteger() < b.value(QStringLiteral("seq")).toInteger();
    });
    Transaction tx(m_db);
    if (!tx.started())
        return std::unexpected(tx.started().error());
    auto current = head(agentId);
    if (!current)
        return current;
    qint64 headSeq = *current;
    for (const QJsonObject& entry : std::as_const(sorted)) {
        const qint64 seq = entry.value(QStringLiteral("seq")).toInteger();
        if (seq <= headSeq) {
            auto stored =
                m_db.scalar(QStringLiteral("SELECT hash FROM audit_entries WHERE agent_id = ? AND seq = ?"),
                            {agentId, seq});
            if (!stored)
                return std::unexpected(stored.error());
            // A seq before the first one this server saw cannot be compared: the chain starts where it
            // started.
            if (stored->isValid() && stored->toString() != text(entry, "hash"))
                return fail(QStringLiteral("audit_chain_conflict"),
                            QStringLiteral("entry %1 differs from the one stored").arg(seq));
            continue;
        }
        if (seq != headSeq + 1 && headSeq != 0)
            break; // a gap: nothing past it is acknowledged
        if (headSeq != 0) {
            auto previous =
                m_db.scalar(QStringLiteral("SELECT hash FROM audit_entries WHERE agent_id = ? AND seq = ?"),
                            {agentId, headSeq});
            if (!previous)
                return std::unexpected(previous.error());
            if (previous->toString() != text(entry, "prev_hash"))
                return fail(
                    QStringLiteral("audit_chain_broken"),
                    QStringLiteral("entry %1 does not name the hash of entry %2").arg(seq).arg(headSeq));
        }
        if (auto done = m_db.exec(
                QStringLiteral("INSERT INTO audit_entries(agent_id, seq, at, actor, action, target, "
                               "outcome, prev_hash, hash, received_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {agentId, seq, text(entry, "at"), text(entry, "actor"), text(entry, "action"),
                 text(entry, "target"), text(entry, "outcome"), text(entry, "prev_hash"), text(entry, "hash"),
                 BackendDatabase::nowText()});
            !done)
            return std::unexpected(done.error());
        headSeq = seq;
    }
    if (auto committed = tx.commit(); !committed)
        return std::unexpected(committed.error());
    return headSeq;
}

Result<QJsonArray> AuditStore::entries(const QString& agentId)
{
    return m_db.rows(
        QStringLiteral(
            "SELECT agent_id, seq, at, actor, action, target, outcome, prev_hash, hash, received_at "
            "FROM audit_entries WHERE (IFNULL(?, '') = '' OR agent_id = ?) ORDER BY agent_id, seq"),
        {agentId, agentId});
}

Result<QJsonArray> AuditStore::heads()
{
    return m_db.rows(QStringLiteral("SELECT agent_id, MAX(seq) AS acked_through_seq, COUNT(*) AS entries "
                                    "FROM audit_entries GROUP BY agent_id ORDER BY agent_id"));
}

} // namespace odis::sim::backend
