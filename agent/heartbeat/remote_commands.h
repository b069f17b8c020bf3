#pragma once

// Carries out the backend's commands (docs/backend-api.md, heartbeat): sync_now, pause, resume, deprovision,
// collect_diagnostics, each once per command id (command_journal.h), each acknowledged with its result
// (POST /v1/agents/commands/{id}/ack) and written to the audit log. A command delivered again (its
// acknowledgement was lost, or the agent restarted) is only acknowledged again with the result it had; one
// found begun but unfinished (the agent stopped while carrying it out) is acknowledged as interrupted, never
// run twice. A type this version does not know is acknowledged as unsupported and audited.

#include "agent/heartbeat/heartbeat_client.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>

namespace odis::storage {
class AuditLog;
}

namespace odis::agent {

class CommandJournal;

// What the resident agent does for a command; each answers with the command's result object
// ({"outcome": "done" | "refused" | "failed" | "invalid_args", ...}).
class CommandActions
{
public:
    using Done = std::function<void(const QJsonObject& result)>;
    virtual ~CommandActions() = default;
    virtual void commandSyncNow(Done done) = 0;                    // when the run that satisfies it ended
    virtual QJsonObject commandPause(const QJsonObject& args) = 0; // {"until": UTC} or {"for": "30m"|...}
    virtual QJsonObject commandResume() = 0;
    virtual void commandDeprovision(Done done) = 0;        // wipes this install; the agent stops after
    virtual void commandCollectDiagnostics(Done done) = 0; // the bundle's manifest, never its content
};

inline const QStringList kKnownCommandTypes{QStringLiteral("sync_now"), QStringLiteral("pause"),
                                            QStringLiteral("resume"), QStringLiteral("deprovision"),
                                            QStringLiteral("collect_diagnostics")};

class RemoteCommands : public QObject
{
    Q_OBJECT

public:
    RemoteCommands(CommandJournal& journal, HeartbeatClient& client, storage::AuditLog& audit,
                   CommandActions& actions, QObject* parent = nullptr);

    // The commands of one heartbeat's answer, oldest first.
    void handle(const QList<RemoteCommand>& commands);
    [[nodiscard]] int inProgress() const { return int(m_inProgress.size()); }

Q_SIGNALS:
    // A command was carried out and its result recorded (before the acknowledgement goes out).
    void commandFinished(const QString& id, const QString& type, const QJsonObject& result);
    // An acknowledgement went out (`delivered`) or failed (sent again at the next delivery).
    void acknowledged(const QString& id, bool delivered);

private:
    void carryOut(const RemoteCommand& command);
    void finish(const RemoteCommand& command, const QJsonObject& result);
    void acknowledge(const QString& id, const QJsonObject& result, const QString& ackKey);
    void audit(const QString& id, const QString& type, const QJsonObject& result);

    CommandJournal& m_journal;
    HeartbeatClient& m_client;
    storage::AuditLog& m_audit;
    CommandActions& m_actions;
    QSet<QString> m_inProgress;
    QSet<QString> m_acking;
};

} // namespace odis::agent
