#pragma once

// The resident agent's local control socket (`odis-agent status`, `sync-now`, `pause`, `resume`, `quit`, and
// a second start asking the first to show itself). Only the same user can connect: the socket is in a
// private directory (0700, control_endpoint.h), it is itself user-only (QLocalServer::UserAccessOption),
// and on Linux and macOS the peer's user id is checked again on every connection.
//
// The protocol: one JSON object per line each way. A request {"cmd": "<name>", ...} gets exactly one answer
// {"ok": true, ...} or {"ok": false, "error": {"code": "...", "message": "..."}}, possibly much later (a
// sync-now that waits for its run); a connection may carry several requests in turn.

#include "agent/control/control_endpoint.h"
#include "storage/result.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

class QLocalServer;
class QLocalSocket;

namespace odis::agent {

class ControlServer : public QObject
{
    Q_OBJECT

public:
    using Reply = std::function<void(const QJsonObject& answer)>;
    // Answers one request, now or later, through `reply` (once). A reply after the client went is dropped.
    using Handler = std::function<void(const QJsonObject& request, Reply reply)>;

    // Listens at `endpoint` (a socket left by a process that is gone is replaced: the instance lock says
    // none is running). Errors: control_dir_unsafe, control_listen_failed.
    [[nodiscard]] static Result<std::unique_ptr<ControlServer>>
    listen(const ControlEndpoint& endpoint, Handler handler, QObject* parent = nullptr);
    ~ControlServer() override;

    [[nodiscard]] QString fullServerName() const;

    // Builds {"ok": false, "error": {...}}.
    [[nodiscard]] static QJsonObject errorAnswer(const QString& code, const QString& message);

private:
    ControlServer(Handler handler, QObject* parent);
    void onConnection();
    void onReadable(QLocalSocket* socket);

    Handler m_handler;
    QLocalServer* m_server = nullptr; // child
};

// Whether the peer of a connected local socket runs as this process's user (always true where the platform
// has no such check; the pipe's access list does it on Windows).
[[nodiscard]] bool peerIsSameUser(qintptr socketDescriptor);

} // namespace odis::agent
