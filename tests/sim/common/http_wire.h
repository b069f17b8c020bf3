#pragma once

#include "tests/sim/common/sim_message.h"

#include <QByteArray>

class QTcpSocket;

namespace odis::sim::wire {

// Responses are written as raw HTTP/1.1 bytes rather than through QHttpServerResponder so that a fault
// can lie about Content-Length, stop half way, or reset the connection.

[[nodiscard]] QByteArray reasonPhrase(int status);
// Status line, headers (Content-Length added unless the status forbids a body) and the body.
[[nodiscard]] QByteArray serialize(const SimResponse& response);

void writeResponse(QTcpSocket* socket, const SimResponse& response);
// Announces the full Content-Length, sends the first half of the body, then closes the connection.
void writeTruncated(QTcpSocket* socket, const SimResponse& response);
// Drops the connection with a TCP RST (SO_LINGER 0) where the platform allows it.
void resetConnection(QTcpSocket* socket);

} // namespace odis::sim::wire
