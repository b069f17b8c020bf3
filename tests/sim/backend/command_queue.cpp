#include "tests/sim/backend/command_queue.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"

#include <QUuid>

namespace odis::sim::backend {

CommandQueue::CommandQueue(BackendDatabase& db)
    : m_db(db)
{}

Result<QJsonObject> CommandQueue::enqueue(const QString& agentId, const QString& type,
                                          const QJsonObject& args)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (auto done = m_db.exec(
            QStringLiteral("INSERT INTO commands(id, agent_id, type, args_json, created_at) "
                           "VALUES(?, ?, ?, ?, ?)"),
            {id, agentId, type, QString::fromUtf8(canonicalJson(args)), BackendDatabase::nowText()});
        !done)
        return std::unexpected(done.error());
    return QJsonObject{
        {QStringLiteral("id"), id}, {QStringLiteral("type"), type}, {QStringLiteral("args"), args}};
}

Result<QJsonArray> CommandQueue::deliver(const QString& agentId)
{
    Transaction tx(m_db);
    if (!tx.started())
        return std::unexpected(tx.started().error());
    auto pending = m_db.rows(
        QStringLiteral("SELECT id, type, args_json FROM commands WHERE agent_id = ? AND acked_at IS "
                       "NULL ORDER BY created_at, rowid"),
        {agentId});
    if (!pending)
        return std::unexpected(pending.error());
    if (auto counted = m_db.exec(
            QStringLiteral("UPDATE commands SET deliveries = deliveries + 1, first_delivered_at = "
                           "COALESCE(first_delivered_at, ?) WHERE agent_id = ? AND acked_at IS NULL"),
            {BackendDatabase::nowText(), agentId});
        !counted)
        return std::unexpected(counted.error());
    if (auto committed = tx.commit(); !committed)
        return std::unexpected(committed.error());
    return *pending;
}

Result<AckResult> CommandQueue::acknowledge(const QString& agentId, const QString& commandId,
                                            const QJsonObject& result)
{
    auto rows = m_db.rows(QStringLiteral("SELECT acked_at FROM commands WHERE id = ? AND agent_id = ?"),
                          {commandId, agentId});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return fail(QStringLiteral("command_not_found"), QStringLiteral("this agent has no such command"));
    const QJsonValue ackedAt = rows->first().toObject().value(QStringLiteral("acked_at"));
    if (!ackedAt.isNull())
        return AckResult{commandId, ackedAt.toString(), false};
    const QString now = BackendDatabase::nowText();
    if (auto done =
            m_db.exec(QStringLiteral("UPDATE commands SET acked_at = ?, result_json = ? WHERE id = ?"),
                      {now, QString::fromUtf8(canonicalJson(result)), commandId});
        !done)
        return std::unexpected(done.error());
    return AckResult{commandId, now, true};
}

Result<QJsonArray> CommandQueue::all()
{
    return m_db.rows(
        QStringLiteral("SELECT id, agent_id, type, args_json, created_at, deliveries, first_delivered_at, "
                       "acked_at, result_json FROM commands ORDER BY created_at, rowid"));
}

} // namespace odis::sim::backend
