#include "agent/control/control_client.h"

#include "storage/codes/agent_codes.h"

#include <QJsonDocument>
#include <QLocalSocket>
#include <QTimer>

#include <memory>

namespace odis::agent {

void sendControlRequest(const ControlEndpoint& endpoint, const QJsonObject& request,
                        std::chrono::milliseconds timeout, std::function<void(Result<QJsonObject>)> done)
{
    auto* socket = new QLocalSocket();
    auto* timer = new QTimer(socket);
    auto finished = std::make_shared<bool>(false);
    auto buffer = std::make_shared<QByteArray>();
    auto finish = [socket, finished, done = std::move(done)](Result<QJsonObject> result) {
        if (*finished)
            return;
        *finished = true;
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
        done(std::move(result));
    };

    QObject::connect(socket, &QLocalSocket::connected, socket, [socket, request] {
        socket->write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    });
    QObject::connect(socket, &QLocalSocket::readyRead, socket, [socket, buffer, finish] {
        *buffer += socket->readAll();
        const qsizetype newline = buffer->indexOf('\n');
        if (newline < 0)
            return;
        const QJsonDocument doc = QJsonDocument::fromJson(buffer->left(newline));
        if (!doc.isObject() || !doc.object().value(QStringLiteral("ok")).isBool()) {
            finish(fail(codes::kControlBadAnswer, QStringLiteral("the agent's answer is not understood")));
            return;
        }
        finish(doc.object());
    });
    QObject::connect(
        socket, &QLocalSocket::errorOccurred, socket, [socket, finish](QLocalSocket::LocalSocketError e) {
            if (e == QLocalSocket::ServerNotFoundError || e == QLocalSocket::ConnectionRefusedError) {
                finish(fail(QString(kAgentNotRunning),
                            QStringLiteral("no odis-agent is running for this user")));
                return;
            }
            if (e == QLocalSocket::SocketAccessError) {
                finish(fail(codes::kControlAccessDenied,
                            QStringLiteral("the agent's control socket belongs to another user")));
                return;
            }
            if (e == QLocalSocket::PeerClosedError) {
                finish(fail(codes::kControlDisconnected,
                            QStringLiteral("the agent closed the connection before answering")));
                return;
            }
            finish(fail(codes::kControlFailed, socket->errorString()));
        });
    if (timeout.count() > 0) {
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, socket, [finish] {
            finish(fail(codes::kControlTimeout, QStringLiteral("the agent did not answer in time")));
        });
        timer->start(timeout);
    }
    socket->connectToServer(endpoint.name);
}

std::optional<Error> controlAnswerError(const QJsonObject& answer)
{
    if (answer.value(QStringLiteral("ok")).toBool())
        return std::nullopt;
    const QJsonObject error = answer.value(QStringLiteral("error")).toObject();
    return Error{error.value(QStringLiteral("code")).toString(codes::kControlFailed),
                 error.value(QStringLiteral("message")).toString()};
}

} // namespace odis::agent
