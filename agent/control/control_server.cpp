#include "agent/control/control_server.h"

#include "storage/codes/agent_codes.h"

#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>

#include <spdlog/spdlog.h>

#if defined(Q_OS_LINUX)
#include <sys/socket.h>
#include <unistd.h>
#elif defined(Q_OS_MACOS)
#include <sys/types.h>
#include <unistd.h>
#endif

namespace odis::agent {

namespace {

constexpr qint64 kMaxRequestBytes = qint64{64} * 1024;

void writeLine(QLocalSocket* socket, const QJsonObject& answer)
{
    socket->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
    socket->flush();
}

} // namespace

bool peerIsSameUser(qintptr socketDescriptor)
{
#if defined(Q_OS_LINUX)
    struct ucred credentials
    {};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        return false;
    return credentials.uid == ::geteuid();
#elif defined(Q_OS_MACOS)
    uid_t uid = 0;
    gid_t gid = 0;
    if (::getpeereid(int(socketDescriptor), &uid, &gid) != 0)
        return false;
    return uid == ::geteuid();
#else
    Q_UNUSED(socketDescriptor);
    return true;
#endif
}

QJsonObject ControlServer::errorAnswer(const QString& code, const QString& message)
{
    return QJsonObject{{QStringLiteral("ok"), false},
                       {QStringLiteral("error"),
                        QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}};
}

Result<std::unique_ptr<ControlServer>> ControlServer::listen(const ControlEndpoint& endpoint, Handler handler,
                                                             QObject* parent)
{
    if (auto prepared = endpoint.preparePrivateDirectory(); !prepared)
        return propagate(prepared);
    std::unique_ptr<ControlServer> server(new ControlServer(std::move(handler), parent));
    server->m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // Only the instance lock's holder gets here: a socket file still there was left by a process that died.
    QLocalServer::removeServer(endpoint.name);
    if (!server->m_server->listen(endpoint.name))
        return fail(
            codes::kControlListenFailed,
            QStringLiteral("cannot listen on %1: %2").arg(endpoint.name, server->m_server->errorString()));
    return server;
}

ControlServer::ControlServer(Handler handler, QObject* parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_server(new QLocalServer(this))
{
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onConnection);
}

ControlServer::~ControlServer()
{
    m_server->close();
}

QString ControlServer::fullServerName() const
{
    return m_server->fullServerName();
}

void ControlServer::onConnection()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        if (!peerIsSameUser(socket->socketDescriptor())) {
            spdlog::warn("control socket: a connection from another user was refused");
            socket->abort();
            socket->deleteLater();
            continue;
        }
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadable(socket); });
        if (socket->bytesAvailable() > 0)
            onReadable(socket);
    }
}

void ControlServer::onReadable(QLocalSocket* socket)
{
    while (socket->canReadLine()) {
        const QByteArray line = socket->readLine(kMaxRequestBytes).trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject() || !doc.object().value(QStringLiteral("cmd")).isString()) {
            writeLine(socket,
                      errorAnswer(codes::kControlBadRequest,
                                  QStringLiteral("expected one JSON object with a \"cmd\" per line")));
            continue;
        }
        QPointer<QLocalSocket> alive(socket);
        m_handler(doc.object(), [alive](const QJsonObject& answer) {
            if (alive && alive->state() == QLocalSocket::ConnectedState)
                writeLine(alive, answer);
        });
    }
    if (socket->bytesAvailable() > kMaxRequestBytes) {
        spdlog::warn("control socket: a request over {} bytes was refused", kMaxRequestBytes);
        socket->abort();
    }
}

} // namespace odis::agent
