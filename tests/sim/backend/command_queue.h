#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace odis::sim::backend {

class BackendDatabase;

struct AckResult
{
    QString commandId;
    QString ackedAt; // the first acknowledgement's time: acknowledging again changes nothing
    bool firstAck = false;
};

// Commands for agents (a web user's "sync now", pause, ...). A command is delivered with every heartbeat
// until the agent acknowledges it; acknowledging is idempotent.
class CommandQueue
{
public:
    explicit CommandQueue(BackendDatabase& db);

    // Returns the new command: {id, type, args}.
    Result<QJsonObject> enqueue(const QString& agentId, const QString& type, const QJsonObject& args);
    // The agent's unacknowledged commands, oldest first, counted as delivered.
    Result<QJsonArray> deliver(const QString& agentId);
    // "command_not_found" when the agent has no such command.
    Result<AckResult> acknowledge(const QString& agentId, const QString& commandId,
                                  const QJsonObject& result);
    Result<QJsonArray> all();

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
