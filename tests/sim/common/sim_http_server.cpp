#include "tests/sim/common/sim_http_server.h"

#include "tests/sim/common/common_admin_api.h"
#include "tests/sim/common/gzip.h"
#include "tests/sim/common/http_wire.h"
#include "tests/sim/common/test_pki.h"

#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace odis::sim {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    default:
        return QByteArrayLiteral("UNKNOWN");
    }
}

SimRequest copyRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    SimRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path(QUrl::FullyDecoded);
    r.query = request.query();
    r.headers = request.headers();
    r.body = request.body();
    r.wireBodySize = r.body.size();
    r.peer = socket->peerAddress();
    return r;
}

// Inflates a gzip body in place; an error response when it does not inflate.
std::optional<SimResponse> inflateBody(SimRequest& request)
{
    if (request.header("Content-Encoding").trimmed().compare("gzip", Qt::CaseInsensitive) != 0)
        return std::nullopt;
    auto plain = gunzip(request.body, SimHttpServer::kMaxInflatedBody);
    if (!plain) {
        const int status = plain.error().code == QStringLiteral("body_too_large") ? 413 : 400;
        return SimResponse::error(status, plain.error().code);
    }
    request.body = *plain;
    request.gzipEncoded = true;
    return std::nullopt;
}

SimResponse notFound()
{
    return SimResponse::error(404, QStringLiteral("not_found"));
}

} // namespace

SimHttpServer::SimHttpServer(quint64 faultSeed, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_faults(faultSeed)
{
    registerCommonAdminRoutes(*this);
}

SimHttpServer::~SimHttpServer() = default;

Status SimHttpServer::addRoute(const QString& name, const QByteArray& method, const QString& pattern,
                               SimHandler handler)
{
    if (pattern == kAdminPrefix || pattern.startsWith(kAdminPrefix + u'/'))
        return fail(QStringLiteral("invalid_route"), QStringLiteral("the admin prefix is reserved: ") + name);
    return m_routes.add(SimRoute{name, method, pattern, std::move(handler)});
}

Status SimHttpServer::addAdminRoute(const QByteArray& method, const QString& pattern, SimHandler handler)
{
    const QString full = kAdminPrefix + pattern;
    return m_adminRoutes.add(
        SimRoute{QString::fromLatin1(method) + u' ' + full, method, full, std::move(handler)});
}

void SimHttpServer::useTls(const TestPki& pki)
{
    sslSetup(pki.serverConfiguration());
    m_tls = true;
}

Result<QUrl> SimHttpServer::start(quint16 port)
{
    const quint16 bound = listen(QHostAddress::LocalHost, port);
    if (bound == 0)
        return fail(QStringLiteral("listen_failed"),
                    QStringLiteral("cannot listen on 127.0.0.1:%1").arg(port));
    m_baseUrl = QUrl(QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? u"https" : u"http").arg(bound));
    return m_baseUrl;
}

bool SimHttpServer::isAdminPeerAllowed(const QHostAddress& peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    if (isV4)
        return (v4 >> 24) == 127;
    return peer.isLoopback();
}

bool SimHttpServer::handleRequest(const QHttpServerRequest& httpRequest, QTcpSocket* socket)
{
    SimRequest request = copyRequest(httpRequest, socket);
    if (request.path == kAdminPrefix || request.path.startsWith(kAdminPrefix + u'/')) {
        handleAdmin(std::move(request), socket);
        return true;
    }
    const RouteTable::Match match = m_routes.match(request.method, request.path);
    if (!match.route) {
        const qint64 seq = m_log.record(RequestLog::kUnmatched, request.method, request.path, {});
        const SimResponse answer =
            match.pathKnown ? SimResponse::error(405, QStringLiteral("method_not_allowed")) : notFound();
        send(socket, answer, {}, seq);
        return true;
    }
    request.routeName = match.route->name;
    request.params = match.params;
    const FaultDecision decision = m_faults.decide(request.routeName);
    const qint64 seq = m_log.record(request.routeName, request.method, request.path, decision.names());
    if (decision.preventsHandler()) {
        send(socket, faultReply(decision, request), decision, seq);
        return true;
    }
    if (auto bad = inflateBody(request)) {
        send(socket, *bad, decision, seq);
        return true;
    }
    SimReply reply = match.route->handler(request);
    if (decision.afterHandler && (decision.errorStatus || decision.hang || decision.reset))
        reply = faultReply(decision, request); // the handler's work is done, its answer is lost
    send(socket, std::move(reply), decision, seq);
    return true;
}

void SimHttpServer::missingHandler(const QHttpServerRequest&, QTcpSocket* socket)
{
    // handleRequest() answers every request itself; this only runs if QtHttpServer changes that.
    wire::writeResponse(socket, notFound());
}

void SimHttpServer::handleAdmin(SimRequest request, QTcpSocket* socket)
{
    if (!isAdminPeerAllowed(request.peer)) {
        wire::writeResponse(socket, SimResponse::error(403, QStringLiteral("admin_loopback_only")));
        return;
    }
    const RouteTable::Match match = m_adminRoutes.match(request.method, request.path);
    if (!match.route) {
        wire::writeResponse(socket, match.pathKnown
                                        ? SimResponse::error(405, QStringLiteral("method_not_allowed"))
                                        : notFound());
        return;
    }
    request.routeName = match.route->name;
    request.params = match.params;
    if (auto bad = inflateBody(request)) {
        wire::writeResponse(socket, *bad);
        return;
    }
    send(socket, match.route->handler(request), {}, 0);
}

SimReply SimHttpServer::faultReply(const FaultDecision& decision, const SimRequest& request)
{
    if (decision.removed)
        return notFound();
    if (decision.rateLimitedRetryAfter) {
        return SimResponse::error(429, QStringLiteral("rate_limited"))
            .setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(*decision.rateLimitedRetryAfter));
    }
    if (decision.reset)
        return SimReply::reset();
    if (decision.hang)
        return SimReply::hang();
    const int status = decision.errorStatus.value_or(500);
    return SimResponse::error(status, QStringLiteral("simulated_fault"),
                              QJsonObject{{QStringLiteral("route"), request.routeName}});
}

void SimHttpServer::send(QTcpSocket* socket, SimReply reply, const FaultDecision& decision, qint64 seq)
{
    if (decision.delay.count() <= 0) {
        perform(socket, reply, decision, seq);
        return;
    }
    // The socket is the timer's context: when the client gives up and the socket goes away, so does the
    // timer. Precise, because a coarse timer may fire 5% early and a latency fault promises its delay.
    QTimer::singleShot(
        decision.delay, Qt::PreciseTimer, socket,
        [this, socket, reply = std::move(reply), decision, seq] { perform(socket, reply, decision, seq); });
}

void SimHttpServer::perform(QTcpSocket* socket, const SimReply& reply, const FaultDecision& decision,
                            qint64 seq)
{
    switch (reply.kind()) {
    case SimReply::Kind::Hang:
        return;
    case SimReply::Kind::Reset:
        m_log.complete(seq, 0);
        wire::resetConnection(socket);
        return;
    case SimReply::Kind::Deferred: {
        QPointer<QTcpSocket> guard(socket);
        reply.pending()->attach([this, guard, decision, seq](SimResponse response) {
            if (guard)
                write(guard, std::move(response), decision, seq);
        });
        return;
    }
    case SimReply::Kind::Respond:
        write(socket, reply.response(), decision, seq);
        return;
    }
}

void SimHttpServer::write(QTcpSocket* socket, SimResponse response, const FaultDecision& decision, qint64 seq)
{
    m_faults.countMutations(decision.route, FaultPlan::transformBody(response, decision));
    m_log.complete(seq, response.status);
    if (decision.truncate && !response.body.isEmpty())
        wire::writeTruncated(socket, response);
    else
        wire::writeResponse(socket, response);
}

} // namespace odis::sim
