#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace odis::sim::backend {

class BackendDatabase;

// What agents report about themselves: sync run reports (the latest per run, and every report sent) and
// heartbeats.
class AgentReports
{
public:
    explicit AgentReports(BackendDatabase& db);

    // Stores a run report; returns how many reports that run has now.
    Result<int> putRun(const QString& agentId, const QString& runId, const QJsonObject& report);
    Status addHeartbeat(const QString& agentId, const QJsonObject& heartbeat);

    Result<QJsonArray> runs();
    Result<QJsonArray> runReports(const QString& runId);
    Result<QJsonArray> heartbeats();

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
