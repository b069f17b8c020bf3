#include "agent/heartbeat/remote_commands.h"

#include "agent/heartbeat/command_journal.h"
#include "storage/audit_log.h"

#include <QPointer>
#include <QRegularExpression>

#include <spdlog/spdlog.h>

namespace odis::agent {

RemoteCommands::RemoteCommands(CommandJournal& journal, HeartbeatClient& client, storage::AuditLog& audit,
                               CommandActions& actions, QObject* parent)
    : QObject(parent)
    , m_journal(journal)
    , m_client(client)
    , m_audit(audit)
    , m_actions(actions)
{}

void RemoteCommands::handle(const QList<RemoteCommand>& commands)
{
    for (const RemoteCommand& command : commands) {
        if (m_inProgress.contains(command.id))
            continue; // delivered again while it is being carried out
        auto known = m_journal.find(command.id);
        if (!known) {
            spdlog::error("remote command {}: the journal cannot be read ({}): left for the next heartbeat",
                          command.id.toStdString(), known.error().code.toStdString());
            continue;
        }
        if (!*known) {
            carryOut(command);
            continue;
        }
        const JournalEntry& entry = **known;
        if (entry.result) {
            spdlog::info("remote command {} delivered again: acknowledged again, not run again",
                         command.id.toStdString());
            acknowledge(entry.id, *entry.result, entry.ackKey);
            continue;
        }
        // Begun by an agent that stopped before it finished: never run twice.
        const QJsonObject interrupted{
            {QStringLiteral("outcome"), QStringLiteral("interrupted")},
            {QStringLiteral("message"), QStringLiteral("the agent stopped while carrying it out")}};
        spdlog::warn("remote command {} was interrupted by a restart: acknowledged as interrupted",
                     command.id.toStdString());
        if (auto finished = m_journal.finish(entry.id, interrupted); !finished) {
            spdlog::error("remote command {}: {}", entry.id.toStdString(),
                          finished.error().code.toStdString());
            continue;
        }
        audit(entry.id, entry.type, interrupted);
        acknowledge(entry.id, interrupted, entry.ackKey);
    }
}

void RemoteCommands::carryOut(const RemoteCommand& command)
{
    auto begun = m_journal.begin(command.id, command.type);
    if (!begun) {
        spdlog::error("remote command {} not recorded ({}): not carried out now", command.id.toStdString(),
                      begun.error().code.toStdString());
        return;
    }
    m_inProgress.insert(command.id);
    const QString type =
        kKnownCommandTypes.contains(command.type) ? command.type : QStringLiteral("unsupported");
    spdlog::info("remote command {}: {}", command.id.toStdString(), type.toStdString());
    QPointer<RemoteCommands> self(this);
    auto done = [self, command](const QJsonObject& result) {
        if (self)
            self->finish(command, result);
    };
    if (command.type == QLatin1String("sync_now"))
        m_actions.commandSyncNow(done);
    else if (command.type == QLatin1String("pause"))
        done(m_actions.commandPause(command.args));
    else if (command.type == QLatin1String("resume"))
        done(m_actions.commandResume());
    else if (command.type == QLatin1String("deprovision"))
        m_actions.commandDeprovision(done);
    else if (command.type == QLatin1String("collect_diagnostics"))
        m_actions.commandCollectDiagnostics(done);
    else
        done(QJsonObject{{QStringLiteral("outcome"), QStringLiteral("unsupported")},
                         {QStringLiteral("type"), command.type}});
}

void RemoteCommands::finish(const RemoteCommand& command, const QJsonObject& result)
{
    m_inProgress.remove(command.id);
    if (auto finished = m_journal.finish(command.id, result); !finished)
        spdlog::error("remote command {}: its result was not recorded ({})", command.id.toStdString(),
                      finished.error().code.toStdString());
    audit(command.id, command.type, result);
    Q_EMIT commandFinished(command.id, command.type, result);
    auto entry = m_journal.find(command.id);
    if (entry && *entry)
        acknowledge(command.id, result, (*entry)->ackKey);
}

void RemoteCommands::acknowledge(const QString& id, const QJsonObject& result, const QString& ackKey)
{
    if (m_acking.contains(id))
        return;
    m_acking.insert(id);
    QPointer<RemoteCommands> self(this);
    m_client.acknowledge(id, result, ackKey, [self, id](Status acked) {
        if (!self)
            return;
        self->m_acking.remove(id);
        if (!acked) {
            spdlog::warn(
                "remote command {}: the acknowledgement did not go through ({}); sent again when the "
                "backend delivers it again",
                id.toStdString(), acked.error().code.toStdString());
            Q_EMIT self->acknowledged(id, false);
            return;
        }
        if (auto marked = self->m_journal.markAcknowledged(id); !marked)
            spdlog::warn("remote command {}: {}", id.toStdString(), marked.error().code.toStdString());
        Q_EMIT self->acknowledged(id, true);
    });
}

void RemoteCommands::audit(const QString& id, const QString& type, const QJsonObject& result)
{
    const QString action = QStringLiteral("remote_command.") +
                           (kKnownCommandTypes.contains(type) ? type : QStringLiteral("unsupported"));
    QString outcome = result.value(QStringLiteral("outcome")).toString(QStringLiteral("unknown"));
    if (const QString status = result.value(QStringLiteral("status")).toString(); !status.isEmpty())
        outcome += QLatin1Char(':') + status;
    // Ids from the backend are UUIDs; anything else is cut to what an audit field may hold.
    QString target = QStringLiteral("command:") + id;
    target.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.:/-]")));
    if (auto appended = m_audit.append(QStringLiteral("backend"), action, target.left(128), outcome);
        !appended)
        spdlog::error("remote command {}: the audit entry was not written ({})", id.toStdString(),
                      appended.error().code.toStdString());
}

} // namespace odis::agent
