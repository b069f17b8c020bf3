#include "agent/heartbeat/heartbeat_client.h"

#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUuid>

namespace odis::agent {

HeartbeatClient::HeartbeatClient(sync::BackendClient& client)
    : m_client(client)
{}

HeartbeatClient::~HeartbeatClient() = default;

Result<HeartbeatAnswer> parseHeartbeatAnswer(const QJsonObject& answer)
{
    const QJsonValue commands = answer.value(QStringLiteral("commands"));
    if (!commands.isArray())
        return fail(codes::kBackendBadResponse,
                    QStringLiteral("the heartbeat's answer has no commands list"));
    HeartbeatAnswer parsed;
    for (const QJsonValue value : commands.toArray()) {
        const QJsonObject c = value.toObject();
        const QString id = c.value(QStringLiteral("id")).toString();
        const QString type = c.value(QStringLiteral("type")).toString();
        if (id.isEmpty() || type.isEmpty()) {
            ++parsed.malformedCommands;
            continue;
        }
        parsed.commands.append(RemoteCommand{id, type, c.value(QStringLiteral("args")).toObject()});
    }
    const QJsonValue etag = answer.value(QStringLiteral("clinic_etag"));
    if (etag.isString())
        parsed.clinicEtag = etag.toString();
    return parsed;
}

void HeartbeatClient::beat(const QJsonObject& body, std::function<void(Result<HeartbeatAnswer>)> done)
{
    sync::BackendRequest request;
    request.method = QByteArrayLiteral("POST");
    request.path = QStringLiteral("/v1/agents/heartbeat");
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    // A heartbeat is never resent: the next one says the newer state.
    request.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::weak_ptr<int> alive = m_alive;
    m_client.send(request, [alive, done = std::move(done)](const sync::BackendReply& reply) {
        if (alive.expired())
            return;
        if (!reply.ok()) {
            done(std::unexpected(reply.error));
            return;
        }
        done(parseHeartbeatAnswer(reply.object()));
    });
}

void HeartbeatClient::acknowledge(const QString& commandId, const QJsonObject& result,
                                  const QString& idempotencyKey, std::function<void(Status)> done)
{
    sync::BackendRequest request;
    request.method = QByteArrayLiteral("POST");
    request.path = QStringLiteral("/v1/agents/commands/%1/ack")
                       .arg(QString::fromLatin1(QUrl::toPercentEncoding(commandId)));
    request.body =
        QJsonDocument(QJsonObject{{QStringLiteral("result"), result}}).toJson(QJsonDocument::Compact);
    request.idempotencyKey = idempotencyKey;
    std::weak_ptr<int> alive = m_alive;
    m_client.send(request, [alive, done = std::move(done)](const sync::BackendReply& reply) {
        if (alive.expired())
            return;
        if (!reply.ok()) {
            done(std::unexpected(reply.error));
            return;
        }
        done(ok());
    });
}

} // namespace odis::agent
