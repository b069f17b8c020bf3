#include "tests/sim/sim_server_test_base.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

namespace odis::sim::test {

void SimServerTestBase::start()
{
    QVERIFY(m_dir.isValid());
    auto pki = TestPki::loadOrCreate(m_dir.filePath(QStringLiteral("pki")));
    QVERIFY2(pki.has_value(), qPrintable(pki ? QString() : pki.error().toString()));
    m_pki = *pki;
    m_server = std::make_unique<SimHttpServer>(42);
    auto counted = [this](const QString& name, const SimHandler& h) -> SimHandler {
        return [this, name, h](const SimRequest& r) {
            ++m_handlerCalls[name];
            return h(r);
        };
    };
    QVERIFY(m_server->addRoute(
        QStringLiteral("item"), "GET", QStringLiteral("/v1/items/{item_id}"),
        counted(QStringLiteral("item"), [](const SimRequest& r) {
            return SimResponse::json(
                200, QJsonObject{
                         {QStringLiteral("item_id"), r.param(QStringLiteral("item_id"))},
                         {QStringLiteral("old_name"), 1},
                         {QStringLiteral("nested"), QJsonObject{{QStringLiteral("old_name"), 2}}},
                         {QStringLiteral("list"), QJsonArray{QJsonObject{{QStringLiteral("old_name"), 3}}}},
                         {QStringLiteral("padding"), QString(200, u'x')}});
        })));
    QVERIFY(m_server->addRoute(QStringLiteral("echo"), "POST", QStringLiteral("/v1/echo"),
                               counted(QStringLiteral("echo"), [](const SimRequest& r) {
                                   return SimResponse::json(
                                       200, QJsonObject{{QStringLiteral("body"), QString::fromUtf8(r.body)},
                                                        {QStringLiteral("gzip"), r.gzipEncoded},
                                                        {QStringLiteral("wire_size"), r.wireBodySize}});
                               })));
    QVERIFY(m_server->addRoute(QStringLiteral("deferred"), "GET", QStringLiteral("/v1/deferred"),
                               counted(QStringLiteral("deferred"), [this](const SimRequest&) {
                                   m_pending = std::make_shared<SimDeferredReply>();
                                   return SimReply::deferred(m_pending);
                               })));
    QVERIFY(m_server->addRoute(QStringLiteral("hang_here"), "GET", QStringLiteral("/v1/hang"),
                               [](const SimRequest&) { return SimReply::hang(); }));
    QVERIFY(m_server->addRoute(QStringLiteral("reset_here"), "GET", QStringLiteral("/v1/reset"),
                               [](const SimRequest&) { return SimReply::reset(); }));
    m_server->useTls(*m_pki);
    auto started = m_server->start();
    QVERIFY(started.has_value());
    QCOMPARE(started->scheme(), QStringLiteral("https"));
    QCOMPARE(started->host(), QStringLiteral("127.0.0.1"));
    m_client = std::make_unique<SimTestClient>(m_pki->clientConfiguration());
}

void SimServerTestBase::reset()
{
    m_server->faults().clear();
    m_server->faults().reseed(42);
    m_server->requestLog().clear();
    m_handlerCalls.clear();
}

HttpResult SimServerTestBase::putFaults(const QJsonObject& plan, const QString& query)
{
    QUrl admin = url(QStringLiteral("/__admin/faults"));
    admin.setQuery(query);
    return m_client->sendJson("PUT", admin, plan);
}

} // namespace odis::sim::test
