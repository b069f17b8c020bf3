#pragma once

#include "storage/result.h"
#include "tests/sim/common/fault_plan.h"
#include "tests/sim/common/request_log.h"
#include "tests/sim/common/route_table.h"
#include "tests/sim/common/sim_message.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QUrl>

class QTcpSocket;

namespace odis::sim {

class TestPki;

// The base of every simulator: a route table, per-route faults switchable at run time, a request log, and
// admin routes under /__admin/ that answer loopback peers only. It listens on 127.0.0.1 only, over
// HTTPS with the test PKI (useTls) or plain HTTP.
//
// Request flow: match the route -> draw the faults -> count the request -> either the fault answers alone
// (removed, 429, error, hang, reset) or the handler runs (gzip bodies already inflated) -> an after-handler
// fault may replace its answer -> body faults (renamed fields, invalid JSON, HTML) -> the answer is
// written after the drawn latency, possibly truncated. Admin routes bypass faults and counts.
class SimHttpServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    static inline const QString kAdminPrefix = QStringLiteral("/__admin");
    static constexpr qsizetype kMaxInflatedBody = 64 * 1024 * 1024;

    explicit SimHttpServer(quint64 faultSeed = 1, QObject* parent = nullptr);
    ~SimHttpServer() override;

    Status addRoute(const QString& name, const QByteArray& method, const QString& pattern,
                    SimHandler handler);
    // `pattern` is relative to the admin prefix: "/faults" serves "/__admin/faults".
    Status addAdminRoute(const QByteArray& method, const QString& pattern, SimHandler handler);

    // Before start(); without it the server speaks plain HTTP.
    void useTls(const TestPki& pki);
    // Listens on 127.0.0.1 (port 0: any free port) and returns the base URL, e.g. https://127.0.0.1:43125.
    Result<QUrl> start(quint16 port = 0);
    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    [[nodiscard]] bool isTls() const { return m_tls; }

    [[nodiscard]] FaultPlan& faults() { return m_faults; }
    [[nodiscard]] RequestLog& requestLog() { return m_log; }
    [[nodiscard]] const RouteTable& routes() const { return m_routes; }
    [[nodiscard]] const RouteTable& adminRoutes() const { return m_adminRoutes; }

    // The admin API's guard: only loopback peers (IPv4 127/8, ::1, and IPv4-mapped loopback).
    [[nodiscard]] static bool isAdminPeerAllowed(const QHostAddress& peer);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    void handleAdmin(SimRequest request, QTcpSocket* socket);
    void send(QTcpSocket* socket, SimReply reply, const FaultDecision& decision, qint64 seq);
    void perform(QTcpSocket* socket, const SimReply& reply, const FaultDecision& decision, qint64 seq);
    void write(QTcpSocket* socket, SimResponse response, const FaultDecision& decision, qint64 seq);
    [[nodiscard]] static SimReply faultReply(const FaultDecision& decision, const SimRequest& request);

    RouteTable m_routes;
    RouteTable m_adminRoutes;
    FaultPlan m_faults;
    RequestLog m_log;
    QUrl m_baseUrl;
    bool m_tls = false;
};

} // namespace odis::sim
