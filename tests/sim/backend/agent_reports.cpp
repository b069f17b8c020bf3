#include "tests/sim/backend/agent_reports.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"

namespace odis::sim::backend {

AgentReports::AgentReports(BackendDatabase& db)
    : m_db(db)
{}

Result<int> AgentReports::putRun(const QString& agentId, const QString& runId, const QJsonObject& report)
{
    const QString now = BackendDatabase::nowText();
    const QString json = QString::fromUtf8(canonicalJson(report));
    const QString status = report.value(QStringLiteral("status")).toString();
    Transaction tx(m_db);
    if (!tx.started())
        return std::unexpected(tx.started().error());
    // UPDATE-or-INSERT rather than an upsert: in a test process that also links SQLCipher, Qt's SQLite
    // driver binds to SQLCipher's SQLite 3.15, which has no ON CONFLICT ... DO UPDATE.
    auto known = m_db.scalar(QStringLiteral("SELECT count(*) FROM runs WHERE agent_id = ? AND run_id = ?"),
                             {agentId, runId});
    if (!known)
        return std::unexpected(known.error());
    const std::pair<QString, QVariantList> upsert =
        known->toInt() > 0
            ? std::pair{QStringLiteral(
                            "UPDATE runs SET status = ?, last_received_at = ?, reports = reports + 1, "
                            "report_json = ? WHERE agent_id = ? AND run_id = ?"),
                        QVariantList{status, now, json, agentId, runId}}
            : std::pair{QStringLiteral("INSERT INTO runs(agent_id, run_id, status, first_received_at, "
                                       "last_received_at, reports, report_json) VALUES(?, ?, ?, ?, ?, 1, ?)"),
                        QVariantList{agentId, runId, status, now, now, json}};
    for (const auto& [sql, binds] :
         {upsert,
          std::pair{QStringLiteral("INSERT INTO run_reports(agent_id, run_id, received_at, report_json) "
                                   "VALUES(?, ?, ?, ?)"),
                    QVariantList{agentId, runId, now, json}}}) {
        if (auto done = m_db.exec(sql, binds); !done)
            return std::unexpected(done.error());
    }
    auto count = m_db.scalar(QStringLiteral("SELECT reports FROM runs WHERE agent_id = ? AND run_id = ?"),
                             {agentId, runId});
    if (!count)
        return std::unexpected(count.error());
    if (auto committed = tx.commit(); !committed)
        return std::unexpected(committed.error());
    return count->toInt();
}

Status AgentReports::addHeartbeat(const QString& agentId, const QJsonObject& heartbeat)
{
    return m_db.exec(
        QStringLiteral("INSERT INTO heartbeats(agent_id, received_at, heartbeat_json) VALUES(?, ?, ?)"),
        {agentId, BackendDatabase::nowText(), QString::fromUtf8(canonicalJson(heartbeat))});
}

Result<QJsonArray> AgentReports::runs()
{
    return m_db.rows(
        QStringLiteral("SELECT agent_id, run_id, status, first_received_at, last_received_at, reports, "
                       "report_json FROM runs ORDER BY first_received_at, run_id"));
}

Result<QJsonArray> AgentReports::runReports(const QString& runId)
{
    return m_db.rows(QStringLiteral("SELECT id, agent_id, run_id, received_at, report_json FROM run_reports "
                                    "WHERE (IFNULL(?, '') = '' OR run_id = ?) ORDER BY id"),
                     {runId, runId});
}

Result<QJsonArray> AgentReports::heartbeats()
{
    return m_db.rows(
        QStringLiteral("SELECT id, agent_id, received_at, heartbeat_json FROM heartbeats ORDER BY id"));
}

} // namespace odis::sim::backend
