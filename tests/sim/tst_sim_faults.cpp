// Every fault of the shared simulator layer's fault plan (tests/sim/common/fault_plan.h), against a real
// QNetworkAccessManager client over HTTPS: validation, latency and jitter, seeded error rates, statuses,
// rate limits with Retry-After, truncated, invalid and HTML bodies, hangs, resets, renamed fields, removed
// endpoints, faults after the handler, the wildcard route.

#include "tests/sim/common/fault_plan.h"
#include "tests/sim/sim_server_test_base.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace odis::sim;
using odis::sim::test::HttpResult;

class TstSimFaults : public odis::sim::test::SimServerTestBase
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { start(); }
    void init() { reset(); }

    void faultFieldsAreValidated_data();
    void faultFieldsAreValidated();
    void faultLatencyDelaysTheAnswer();
    void faultJitterIsBoundedAndSeeded();
    void faultErrorRateIsSeededAndReproducible();
    void faultErrorStatusSkipsTheHandler();
    void faultRateLimitAnswers429WithRetryAfter();
    void faultTruncateCutsTheBody();
    void faultInvalidJson();
    void faultHtmlInstead();
    void faultHang();
    void faultReset();
    void faultRenameFields();
    void faultRemovedEndpoint();
    void faultAfterHandlerKeepsTheWork();
    void faultWildcardAppliesToRoutesWithoutTheirOwn();
};

void TstSimFaults::faultFieldsAreValidated_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::newRow("everything") << QByteArray(
                                       R"({"latency_ms":5,"jitter_ms":3,"error_rate":0.5,"error_status":503,
        "rate_limit":{"requests":2,"per_seconds":1.5,"retry_after":3},"truncate":true,"invalid_json":false,
        "html_instead":false,"hang":false,"reset":false,"rename_fields":{"a":"b"},"removed":false,"after_handler":true})")
                                << true;
    QTest::newRow("empty") << QByteArray("{}") << true;
    QTest::newRow("unknown field") << QByteArray(R"({"latencyMs":5})") << false;
    QTest::newRow("negative latency") << QByteArray(R"({"latency_ms":-1})") << false;
    QTest::newRow("fractional latency") << QByteArray(R"({"latency_ms":1.5})") << false;
    QTest::newRow("rate over 1") << QByteArray(R"({"error_rate":1.5})") << false;
    QTest::newRow("status 200") << QByteArray(R"({"error_status":200})") << false;
    QTest::newRow("flag as string") << QByteArray(R"({"hang":"yes"})") << false;
    QTest::newRow("rate limit without window") << QByteArray(R"({"rate_limit":{"requests":2}})") << false;
    QTest::newRow("rename to nothing") << QByteArray(R"({"rename_fields":{"a":""}})") << false;
}

void TstSimFaults::faultFieldsAreValidated()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    const auto parsed = RouteFaults::fromJson(QJsonDocument::fromJson(json).object());
    QCOMPARE(parsed.has_value(), valid);
    if (valid) // what the plan reports reads back to the same faults
        QCOMPARE(RouteFaults::fromJson(parsed->toJson())->toJson(), parsed->toJson());
}

void TstSimFaults::faultLatencyDelaysTheAnswer()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("latency_ms"), 300}}}})
            .status,
        200);
    const HttpResult slow = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(slow.status, 200);
    QVERIFY2(slow.elapsedMs >= 290, qPrintable(QString::number(slow.elapsedMs)));
    QVERIFY(m_server->requestLog().entries().constLast().faults.contains(QStringLiteral("latency")));
    // Other routes are not delayed (read from the log: a wall-clock bound would flake on a busy machine).
    QCOMPARE(m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{}).status, 200);
    QVERIFY(m_server->requestLog().entries().constLast().faults.isEmpty());
}

void TstSimFaults::faultJitterIsBoundedAndSeeded()
{
    const QJsonObject faults{{QStringLiteral("latency_ms"), 10}, {QStringLiteral("jitter_ms"), 50}};
    FaultPlan a(7);
    FaultPlan b(7);
    QVERIFY(a.setRoute(QStringLiteral("r"), faults));
    QVERIFY(b.setRoute(QStringLiteral("r"), faults));
    QSet<qint64> seen;
    for (int i = 0; i < 50; ++i) {
        const auto da = a.decide(QStringLiteral("r")).delay.count();
        QCOMPARE(b.decide(QStringLiteral("r")).delay.count(), da);
        QVERIFY(da >= 10 && da <= 60);
        seen.insert(da);
    }
    QVERIFY2(seen.size() > 10, "jitter draws should vary");

    QCOMPARE(putFaults(QJsonObject{{QStringLiteral("item"), faults}}).status, 200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(r.status, 200);
    QVERIFY(r.elapsedMs >= 9);
}

void TstSimFaults::faultErrorRateIsSeededAndReproducible()
{
    const QJsonObject plan{{QStringLiteral("item"), QJsonObject{{QStringLiteral("error_rate"), 0.5}}}};
    auto run = [&] {
        QString statuses;
        for (int i = 0; i < 16; ++i)
            statuses += m_client->get(url(QStringLiteral("/v1/items/1"))).status == 500 ? u'E' : u'.';
        return statuses;
    };
    QCOMPARE(putFaults(plan, QStringLiteral("seed=1234")).status, 200);
    const QString first = run();
    QCOMPARE(putFaults(plan, QStringLiteral("seed=1234")).status, 200);
    QCOMPARE(run(), first);
    QVERIFY2(first.contains(u'E') && first.contains(u'.'), qPrintable(first));
}

void TstSimFaults::faultErrorStatusSkipsTheHandler()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("error_rate"), 1},
                                                                   {QStringLiteral("error_status"), 503}}}})
            .status,
        200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("simulated_fault"));
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 0);
    QVERIFY(m_server->requestLog().entries().constLast().faults.contains(QStringLiteral("error_503")));
}

void TstSimFaults::faultRateLimitAnswers429WithRetryAfter()
{
    QCOMPARE(putFaults(QJsonObject{{QStringLiteral("item"),
                                    QJsonObject{{QStringLiteral("rate_limit"),
                                                 QJsonObject{{QStringLiteral("requests"), 2},
                                                             {QStringLiteral("per_seconds"), 60},
                                                             {QStringLiteral("retry_after"), 7}}}}},
                                   {QStringLiteral("echo"),
                                    QJsonObject{{QStringLiteral("rate_limit"),
                                                 QJsonObject{{QStringLiteral("requests"), 1},
                                                             {QStringLiteral("per_seconds"), 30}}}}}})
                 .status,
             200);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/1"))).status, 200);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/2"))).status, 200);
    const HttpResult limited = m_client->get(url(QStringLiteral("/v1/items/3")));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("Retry-After"), QByteArray("7"));
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 2);

    QCOMPARE(m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{}).status, 200);
    const HttpResult computed = m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{});
    QCOMPARE(computed.status, 429);
    const int wait = computed.header("Retry-After").toInt();
    QVERIFY2(wait >= 1 && wait <= 30, computed.header("Retry-After").constData());
}

void TstSimFaults::faultTruncateCutsTheBody()
{
    QCOMPARE(putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("truncate"), true}}}})
                 .status,
             200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QVERIFY(r.finished);
    QVERIFY2(r.error != QNetworkReply::NoError, "a body shorter than its Content-Length is an error");
    QVERIFY(!r.isJsonObject());
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 1);
}

void TstSimFaults::faultInvalidJson()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("invalid_json"), true}}}})
            .status,
        200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(r.error, QNetworkReply::NoError);
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.startsWith("{\"item_id\"") || r.body.startsWith("{"));
    QJsonParseError error;
    QJsonDocument::fromJson(r.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
}

void TstSimFaults::faultHtmlInstead()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("html_instead"), true}}}})
            .status,
        200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("text/html"));
    QVERIFY(r.body.startsWith("<!DOCTYPE html>"));
}

void TstSimFaults::faultHang()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("hang"), true}}}}).status,
        200);
    const HttpResult r = m_client->send("GET", url(QStringLiteral("/v1/items/1")), {}, {}, 500);
    QVERIFY(r.finished);
    QCOMPARE(r.status, 0);
    QVERIFY(r.error == QNetworkReply::OperationCanceledError || r.error == QNetworkReply::TimeoutError);
    QVERIFY(r.elapsedMs >= 450);
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 0);
    QCOMPARE(m_server->requestLog().count(QStringLiteral("item")), 1);
    QVERIFY(!m_server->requestLog().entries().constLast().answered);
}

void TstSimFaults::faultReset()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("reset"), true}}}}).status,
        200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QVERIFY(r.finished);
    QCOMPARE(r.status, 0);
    QVERIFY2(r.error == QNetworkReply::RemoteHostClosedError || r.error == QNetworkReply::UnknownNetworkError,
             qPrintable(QString::number(r.error)));
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 0);
}

void TstSimFaults::faultRenameFields()
{
    QCOMPARE(
        putFaults(QJsonObject{
                      {QStringLiteral("item"),
                       QJsonObject{{QStringLiteral("rename_fields"),
                                    QJsonObject{{QStringLiteral("old_name"), QStringLiteral("newName")}}}}}})
            .status,
        200);
    const QJsonObject json = m_client->get(url(QStringLiteral("/v1/items/1"))).json();
    QVERIFY(!json.contains(QStringLiteral("old_name")));
    QCOMPARE(json.value(QStringLiteral("newName")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("nested")).toObject().value(QStringLiteral("newName")).toInt(), 2);
    QCOMPARE(json.value(QStringLiteral("list"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("newName"))
                 .toInt(),
             3);
    QCOMPARE(json.value(QStringLiteral("item_id")).toString(), QStringLiteral("1"));
}

void TstSimFaults::faultRemovedEndpoint()
{
    QCOMPARE(putFaults(QJsonObject{{QStringLiteral("item"), QJsonObject{{QStringLiteral("removed"), true}}}})
                 .status,
             200);
    const HttpResult r = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("not_found"));
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")), 0);
    QCOMPARE(m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{}).status, 200);
}

void TstSimFaults::faultAfterHandlerKeepsTheWork()
{
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("echo"), QJsonObject{{QStringLiteral("error_rate"), 1},
                                                                   {QStringLiteral("after_handler"), true}}},
                              {QStringLiteral("item"), QJsonObject{{QStringLiteral("reset"), true},
                                                                   {QStringLiteral("after_handler"), true}}}})
            .status,
        200);
    QCOMPARE(m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{}).status, 500);
    QCOMPARE(m_handlerCalls.value(QStringLiteral("echo")), 1);
    const HttpResult reset = m_client->get(url(QStringLiteral("/v1/items/1")));
    QCOMPARE(reset.status, 0);
    // QNetworkAccessManager resends a GET whose connection was reset; every arrival ran the handler.
    QVERIFY(m_handlerCalls.value(QStringLiteral("item")) >= 1);
    QCOMPARE(m_handlerCalls.value(QStringLiteral("item")),
             m_server->requestLog().count(QStringLiteral("item")));
}

void TstSimFaults::faultWildcardAppliesToRoutesWithoutTheirOwn()
{
    QCOMPARE(putFaults(QJsonObject{{QStringLiteral("*"), QJsonObject{{QStringLiteral("removed"), true}}},
                                   {QStringLiteral("echo"), QJsonObject{}}})
                 .status,
             200);
    QCOMPARE(m_client->get(url(QStringLiteral("/v1/items/1"))).status, 404);
    QCOMPARE(m_client->sendJson("POST", url(QStringLiteral("/v1/echo")), QJsonObject{}).status, 200);
}

QTEST_GUILESS_MAIN(TstSimFaults)
#include "tst_sim_faults.moc"
