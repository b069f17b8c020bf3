#pragma once

// The shared simulator layer's test bench, one for tst_sim_common (routes, server, admin API, PKI) and
// tst_sim_faults (the fault plan): an HTTPS SimHttpServer with a few counted routes and a client that trusts
// its test CA (errors never ignored). A test class derives from it and calls start() from initTestCase()
// and reset() from init().

#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"

#include <QHash>
#include <QObject>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace odis::sim::test {

class SimServerTestBase : public QObject
{
protected:
    // Routes: item (GET /v1/items/{item_id}, JSON with nested fields to rename), echo (POST /v1/echo),
    // deferred (GET /v1/deferred, answered through m_pending), hang_here and reset_here.
    void start();
    // No faults (seed 42), an empty request log, no handler calls counted.
    void reset();

    [[nodiscard]] QUrl url(const QString& path) const { return m_server->baseUrl().resolved(QUrl(path)); }
    HttpResult putFaults(const QJsonObject& plan, const QString& query = {});

    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    std::unique_ptr<SimHttpServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
    QHash<QString, int> m_handlerCalls;
    std::shared_ptr<SimDeferredReply> m_pending;
};

} // namespace odis::sim::test
