// The shared simulator layer against a real QNetworkAccessManager client over HTTPS (test CA trusted
// through QSslConfiguration, errors never ignored): routes, request counts, the admin API and its loopback
// guard, gzip bodies, deferred replies, and the test PKI on disk. The fault plan's own tests are
// tst_sim_faults.cpp.

#include "tests/sim/common/fault_plan.h"
#include "tests/sim/common/gzip.h"
#include "tests/sim/common/route_table.h"
#include "tests/sim/sim_server_test_base.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslCertificate>
#include <QTest>
#include <QTimer>

using namespace odis::sim;
using odis::sim::test::HttpResult;
using odis::sim::test::SimTestClient;

class TstSimCommon : public odis::sim::test::SimServerTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { start(); }
    void init() { reset(); }

    void routeTableMatches_data();
    void routeTableMatches();
    void routeTableRefusesDuplicates();
    void routesAnswerWithParamsAndStatuses();
    void requestCountsPerRoute();
    void httpsRefusesAnUntrustedClient();
    void plainHttpOnRequest();
    void gzipBodiesAreInflated();
    void deferredReplyAnswersLater();
    void handlerCanHangOrReset();
    void adminApiSetsAndClearsFaults();
    void adminApiRefusesUnknownRoutesAndFields();
    void adminIsNeitherFaultedNorCounted();
    void adminLoopbackGuard_data();
    void adminLoopbackGuard();
    void pkiReloadKeepsTheSameCa();
    void pkiReplacesADamagedServerKeyUnderTheSameCa();
    void pkiCertificateNamesTheLoopbackHost();
};

void TstSimCommon::routeTableMatches_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QString>("param");
    QTest::addColumn<bool>("pathKnown");
    QTest::newRow("literal") << "GET"
                             << "/v1/clinic"
                             << "clinic"
                             << "" << true;
    QTest::newRow("trailing slash") << "GET"
                                    << "/v1/clinic/"
                                    << "clinic"
                                    << "" << true;
    QTest::newRow("param") << "PUT"
                           << "/v1/runs/r-17"
                           << "run"
                           << "r-17" << true;
    QTest::newRow("other method") << "GET"
                                  << "/v1/runs/r-17"
                                  << ""
                                  << "" << true;
    QTest::newRow("empty param") << "PUT"
                                 << "/v1/runs/"
                                 << ""
                                 << "" << false;
    QTest::newRow("extra segment") << "PUT"
                                   << "/v1/runs/a/b"
                                   << ""
                                   << "" << false;
    QTest::newRow("case of method") << "put"
                                    << "/v1/runs/x"
                                    << "run"
                                    << "x" << true;
    QTest::newRow("posthog slash") << "POST"
                                   << "/batch"
                                   << "batch"
                                   << "" << true;
    QTest::newRow("unknown") << "GET"
                             << "/nothing"
                             << ""
                             << "" << false;
}

void TstSimCommon::routeTableMatches()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, route);
    QFETCH(QString, param);
    QFETCH(bool, pathKnown);
    RouteTable table;
    const SimHandler h = [](const SimRequest&) { return SimResponse::noBody(204); };
    QVERIFY(table.add({QStringLiteral("clinic"), "GET", QStringLiteral("/v1/clinic"), h}));
    QVERIFY(table.add({QStringLiteral("run"), "PUT", QStringLiteral("/v1/runs/{run_id}"), h}));
    QVERIFY(table.add({QStringLiteral("batch"), "POST", QStringLiteral("/batch/"), h}));
    const auto match = table.match(method.toLatin1(), path);
    QCOMPARE(match.route ? match.route->name : QString(), route);
    QCOMPARE(match.params.value(QStringLiteral("run_id")), param);
    QCOMPARE(match.pathKnown, pathKnown);
}

void TstSimCommon::routeTableRefusesDuplicates()
{
    RouteTable table;
    const SimHandler h = [](const SimRequest&) { return SimResponse::noBody(204); };
    QVERIFY(table.add({QStringLiteral("a"), "GET", QStringLiteral("/x/{id}"), h}));
    QCOMPARE(table.add({QStringLiteral("a"), "PUT", QStringLiteral("/y"), h}).error().code,
             QStringLiteral("duplicate_route"));
    QCOMPARE(table.add({QStringLiteral("b"), "GET", QStringLiteral("/x/{id}/"), h}).error().code,
             QStringLiteral("duplicate_route"));
    QCOMPARE(table.add({QStringLiteral("c"), "GET", QStringLiteral("/x/{id"), h}).error().code,
             QStringLiteral("invalid_route"));
    QVERIFY(!m_server->addRoute(QStringLiteral("sneaky"), "GET", QStringLiteral("/__admin/x"), h));
}

void TstSimCommon::routesAnswerWithParamsAndStatuses()
{
    const HttpResult item = m_client->get(url(QStringLiteral("/v1/items/42")));
    QCOMPARE(item.error, QNetworkReply::NoError);
    QCOMPARE(item.status, 200);
    QCOMPARE(item.json().value(QStringLiteral("item_id")).toString(), QStringLiteral("42"));
    QVERIFY(item.header("Content-Type").startsWith("application/json"));

    const HttpResult unknown = m_client->get(url(QStringLiteral("/v1/nothing")));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.json().value(QStringLiteral("error")).toString(), QStringLiteral("not_found"));
    const HttpResult wrongMethod = m_client->send("DELETE", url(QStringLiteral("/v1/items/42")));
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.json().value(QStringLiteral("error")).toString(),
             QStringLiteral("method_not_allowed"));
}

void TstSimCommon::requestCountsPerRoute()
{
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/%1").arg(i))).status, 200);
    QCOMPARE(m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{}).status, 200);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/nowhere"))).status, 404);

    QCOMPARE(m_server->requestLog().count(QStringLiteral("item")), 3);
    QCOMPARE(m_server->requestLog().count(QStringLiteral("echo")), 1);
    QCOMPARE(m_server->requestLog().count(RequestLog::kUnmatched), 1);
    const HttpResult log = m_client->get(url(QStringLiteral("/__admin/requests")));
    QCOMPARE(log.status, 200);
    const QJsonObject json = log.json();
    QCOMPARE(json.value(QStringLiteral("total")).toInt(), 5);
    QCOMPARE(json.value(QStringLiteral("counts")).toObject().value(QStringLiteral("item")).toInt(), 3);
    QCOMPARE(json.value(QStringLiteral("statuses"))
                 .toObject()
                 .value(QStringLiteral("item"))
                 .toObject()
                 .value(QStringLiteral("200"))
                 .toInt(),
             3);
    QCOMPARE(json.value(QStringLiteral("entries")).toArray().size(), 5);

    QCOMPARE(m_client->send("DELETE", url(QStringLiteral("/__admin/requests"))).status, 204);
    QCOMPARE(m_server->requestLog().total(), 0);
}

void TstSimCommon::httpsRefusesAnUntrustedClient()
{
    SimTestClient untrusting; // system store only: the test CA is unknown to it
    const HttpResult r = untrusting.get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(r.error, QNetworkReply::SslHandshakeFailedError);
    QCOMPARE(r.status, 0);
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 0);
}

void TstSimCommon::plainHttpOnRequest()
{
    SimHttpServer plain;
    QVERIFY(plain.addRoute(QStringLiteral("ping"), "GET", QStringLiteral("/ping"), [](const SimRequest&) {
        return SimResponse::json(200, QJsonObject{{QStringLiteral("ok"), true}});
    }));
    auto started = plain.start();
    QVERIFY(started.has_value());
    QCOMPARE(started->scheme(), QStringLiteral("http"));
    SimTestClient client;
    const HttpResult r = client.get(started->resolved(QUrl(QStringLiteral("/ping"))));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("ok")).toBool(), true);
}

void TstSimCommon::gzipBodiesAreInflated()
{
    const QByteArray plain = QByteArray(20'000, 'a') + "end";
    const QByteArray packed = gzip(plain);
    QVERIFY(packed.size() < plain.size());
    const HttpResult r = m_client->send("POST", url(QStringLiteral("/v1/echo")), packed,
                                        {{"Content-Encoding", "gzip"}, {"Content-Type", "application/json"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("body")).toString().toUtf8(), plain);
    QCOMPARE(r.json().value(QStringLiteral("gzip")).toBool(), true);
    QCOMPARE(r.json().value(QStringLiteral("wire_size")).toInteger(), packed.size());

    const HttpResult broken = m_client->send("POST", url(QStringLiteral("/v1/echo")),
                                             packed.left(packed.size() / 2), {{"Content-Encoding", "gzip"}});
    QCOMPARE(broken.status, 400);
    QCOMPARE(broken.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_gzip"));
    QCOMPARE(m_handlerCalls.value(QStringLiteral("echo")), 1);
}

void TstSimCommon::deferredReplyAnswersLater()
{
    QTimer::singleShot(150, this, [this] {
        QVERIFY(m_pending);
        m_pending->finish(SimResponse::json(202, QJsonObject{{QStringLiteral("late"), true}}));
    });
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/deferred")));
    QCOMPARE(r.status, 202);
    QCOMPARE(r.json().value(QStringLiteral("late")).toBool(), true);
    QVERIFY2(r.elapsedMs >= 140, qPrintable(QString::number(r.elapsedMs)));
}

void TstSimCommon::handlerCanHangOrReset()
{
    const HttpResult hung = m_client->send("GET", url(QStringLiteral("/v1/hang")), {}, {}, 400);
    QCOMPARE(hung.status, 0);
    QVERIFY(hung.error != QNetworkReply::NoError);
    const HttpResult reset = m_client->get(url(QStringLiteral("/v1/reset")));
    QCOMPARE(reset.status, 0);
    QVERIFY(reset.error != QNetworkReply::NoError);
}

void TstSimCommon::adminApiSetsAndClearsFaults()
{
    const HttpResult set = m_client->sendJson(
        "PUT", url(QStringLiteral("/__admin/faults/item")),
        QJsonObject{{QStringLiteral("error_rate"), 1}, {QStringLiteral("error_status"), 502}});
    QCOMPARE(set.status, 200);
    QCOMPARE(
        set.json().value(QStringLiteral("item")).toObject().value(QStringLiteral("error_status")).toInt(),
        502);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/1"))).status, 502);
    const HttpResult read = m_client->get(url(QStringLiteral("/__admin/faults")));
    QCOMPARE(read.json().keys(), QStringList{QStringLiteral("item")});
    QCOMPARE(m_client->send("DELETE", url(QStringLiteral("/__admin/faults/item"))).status, 204);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/1"))).status, 200);

    QCOMPARE(putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("removed"), true}}}})
                 .status,
             200);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/1"))).status, 404);
    QCOMPARE(m_client->send("DELETE", url(QStringLiteral("/__admin/faults"))).status, 204);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/1"))).status, 200);
    QVERIFY(m_server->faults().isEmpty());

    const HttpResult routes = m_client->get(url(QStringLiteral("/__admin/routes")));
    QCOMPARE(routes.status, 200);
    QCOMPARE(routes.json().value(QStringLiteral("routes")).toArray().size(),
             m_server->routes().routes().size());
}

void TstSimCommon::adminApiRefusesUnknownRoutesAndFields()
{
    const HttpResult unknownRoute = putFaults(QJsonObject{{QStringLiteral("itme"), QJsonObject{}}});
    QCOMPARE(unknownRoute.status, 400);
    QCOMPARE(unknownRoute.json().value(QStringLiteral("error")).toString(), QStringLiteral("unknown_route"));
    const HttpResult unknownField =
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("hangs"), true}}}});
    QCOMPARE(unknownField.status, 400);
    QCOMPARE(unknownField.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_fault"));
    QCOMPARE(m_client->send("PUT", url(QStringLiteral("/__admin/faults")), "not json").status, 400);
    QCOMPARE(m_client->sendJson("PUT", url(QStringLiteral("/__admin/faults/nope")), QJsonObject{}).status,
             404);
    QVERIFY(m_server->faults().isEmpty());
}

void TstSimCommon::adminIsNeitherFaultedNorCounted()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("*"), QJsonObject{{QStringLiteral("hang"), true}}}}).status,
        200);
    QCOMPARE(m_client->get(url(QStringLiteral("/__admin/faults"))).status, 200);
    QCOMPARE(m_client->get(url(QStringLiteral("/__admin/requests"))).status, 200);
    QCOMPARE(m_server->requestLog().total(), 0);
    QCOMPARE(m_client->get(url(QStringLiteral("/__admin/nothing"))).status, 404);
}

void TstSimCommon::adminLoopbackGuard_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("127.0.0.1") << "127.0.0.1" << true;
    QTest::newRow("127.4.5.6") << "127.4.5.6" << true;
    QTest::newRow("::1") << "::1" << true;
    QTest::newRow("mapped loopback") << "::ffff:127.0.0.1" << true;
    QTest::newRow("private v4") << "10.0.0.5" << false;
    QTest::newRow("lan v4") << "192.168.1.20" << false;
    QTest::newRow("mapped private") << "::ffff:10.0.0.1" << false;
    QTest::newRow("global v6") << "2001:db8::1" << false;
    QTest::newRow("link local v6") << "fe80::1" << false;
    QTest::newRow("any") << "0.0.0.0" << false;
}

void TstSimCommon::adminLoopbackGuard()
{
    QFETCH(QString, address);
    QFETCH(bool, allowed);
    QCOMPARE(SimHttpServer::isAdminPeerAllowed(QHostAddress(address)), allowed);
}

void TstSimCommon::pkiReloadKeepsTheSameCa()
{
    auto again = TestPki::loadOrCreate(m_pki->directory());
    QVERIFY(again.has_value());
    QCOMPARE(again->caCertificate(), m_pki->caCertificate());
    QCOMPARE(again->serverCertificate(), m_pki->serverCertificate());
    QCOMPARE(again->serverKey().toPem(), m_pki->serverKey().toPem());
    const auto others =
        QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther;
    QCOMPARE(QFile::permissions(m_pki->directory() + QStringLiteral("/server.key")) & others,
             QFileDevice::Permissions());
    QCOMPARE(QFile::permissions(m_pki->directory() + QStringLiteral("/ca.key")) & others,
             QFileDevice::Permissions());
    QVERIFY(QFile::exists(again->caCertificatePath()));
}

void TstSimCommon::pkiReplacesADamagedServerKeyUnderTheSameCa()
{
    QTemporaryDir dir;
    auto first = TestPki::loadOrCreate(dir.path());
    QVERIFY(first.has_value());
    QFile key(dir.filePath(TestPki::kServerKeyFile));
    QVERIFY(key.open(QIODevice::WriteOnly | QIODevice::Truncate));
    key.write("not a key");
    key.close();
    auto second = TestPki::loadOrCreate(dir.path());
    QVERIFY(second.has_value());
    QCOMPARE(second->caCertificate(), first->caCertificate());
    QVERIFY(second->serverCertificate() != first->serverCertificate());

    // The reissued certificate is trusted through the unchanged CA.
    SimHttpServer server;
    QVERIFY(server.addRoute(QStringLiteral("ping"), "GET", QStringLiteral("/ping"),
                            [](const SimRequest&) { return SimResponse::noBody(204); }));
    server.useTls(*second);
    auto started = server.start();
    QVERIFY(started.has_value());
    SimTestClient client(first->clientConfiguration());
    QCOMPARE(client.get(started->resolved(QUrl(QStringLiteral("/ping")))).status, 204);

    QFile ca(dir.filePath(TestPki::kCaCertificateFile));
    QVERIFY(ca.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ca.write("garbage");
    ca.close();
    auto third = TestPki::loadOrCreate(dir.path());
    QVERIFY(third.has_value());
    QVERIFY(third->caCertificate() != first->caCertificate());
    QCOMPARE(third->serverCertificate().issuerInfo(QSslCertificate::CommonName),
             third->caCertificate().subjectInfo(QSslCertificate::CommonName));
}

void TstSimCommon::pkiCertificateNamesTheLoopbackHost()
{
    const auto names = m_pki->serverCertificate().subjectAlternativeNames();
    QVERIFY(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    QVERIFY(m_pki->serverCertificate().expiryDate() > QDateTime::currentDateTimeUtc().addDays(300));
    QUrl byName = url(QStringLiteral("/v1/items/1"));
    byName.setHost(QStringLiteral("localhost"));
    QCOMPARE(m_client->get(byName).status, 200);
}

QTEST_GUILESS_MAIN(TstSimCommon)
#include "tst_sim_common.moc"
