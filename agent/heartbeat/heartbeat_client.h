#pragma once

// The heartbeat's requests (docs/backend-api.md): POST /v1/agents/heartbeat with the agent's state, whose
// answer carries the commands the backend has for it and the clinic profile's ETag, and
// POST /v1/agents/commands/{id}/ack with a command's result. Transport and parsing only: what the
// commands do is remote_commands.h's, when to beat is the resident agent's.

#include "storage/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace odis::sync {
class BackendClient;
}

namespace odis::agent {

struct RemoteCommand
{
    QString id;
    QString type; // sync_now, pause, resume, deprovision, collect_diagnostics; any other is unsupported
    QJsonObject args;
};

struct HeartbeatAnswer
{
    QList<RemoteCommand> commands;
    std::optional<QString> clinicEtag; // absent: the backend has no profile for the clinic
    int malformedCommands = 0;         // entries without a string id and type: skipped
};

// Error codes: the backend's (backend_reply.h: agent_deprovisioned, backend_auth_revoked, ...), and
// backend_bad_response for an answer without a commands list.
class HeartbeatClient
{
public:
    explicit HeartbeatClient(sync::BackendClient& client);
    ~HeartbeatClient();
    HeartbeatClient(const HeartbeatClient&) = delete;
    HeartbeatClient& operator=(const HeartbeatClient&) = delete;

    // `done` once, later, unless this object is destroyed first.
    void beat(const QJsonObject& body, std::function<void(Result<HeartbeatAnswer>)> done);
    // `idempotencyKey` stays the same across retries of one acknowledgement.
    void acknowledge(const QString& commandId, const QJsonObject& result, const QString& idempotencyKey,
                     std::function<void(Status)> done);

private:
    sync::BackendClient& m_client;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

[[nodiscard]] Result<HeartbeatAnswer> parseHeartbeatAnswer(const QJsonObject& answer);

} // namespace odis::agent
