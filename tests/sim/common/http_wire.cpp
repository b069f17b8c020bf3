#include "tests/sim/common/http_wire.h"

#include <QHash>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace odis::sim::wire {

namespace {

bool forbidsBody(int status)
{
    return status == 204 || status == 304 || (status >= 100 && status < 200);
}

QByteArray head(const SimResponse& response, qsizetype announcedLength)
{
    QByteArray out = QByteArrayLiteral("HTTP/1.1 ") + QByteArray::number(response.status) + ' ' +
                     reasonPhrase(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) {
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            continue;
        out += name + ": " + value + "\r\n";
    }
    if (!forbidsBody(response.status))
        out += "Content-Length: " + QByteArray::number(announcedLength) + "\r\n";
    out += "\r\n";
    return out;
}

} // namespace

QByteArray reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases{
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {204, "No Content"},
        {304, "Not Modified"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Payload Too Large"},
        {415, "Unsupported Media Type"},
        {422, "Unprocessable Entity"},
        {429, "Too Many Requests"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
    };
    return phrases.value(status, QByteArrayLiteral("Status"));
}

QByteArray serialize(const SimResponse& response)
{
    if (forbidsBody(response.status))
        return head(response, 0);
    return head(response, response.body.size()) + response.body;
}

void writeResponse(QTcpSocket* socket, const SimResponse& response)
{
    socket->write(serialize(response));
}

void writeTruncated(QTcpSocket* socket, const SimResponse& response)
{
    socket->write(head(response, response.body.size()));
    socket->write(response.body.left(response.body.size() / 2));
    socket->disconnectFromHost(); // after the pending bytes are written
}

void resetConnection(QTcpSocket* socket)
{
#ifdef Q_OS_UNIX
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        const linger hard{1, 0};
        ::setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
#endif
    socket->abort();
}

} // namespace odis::sim::wire
