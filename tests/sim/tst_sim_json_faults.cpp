// The fault plan's general JSON faults (tests/sim/common/json_mutation.h) over real HTTPS: a field
// dropped, renamed, retyped, made too long or of invalid UTF-8, in every row or in some, at any depth;
// an answer wrapped in an unknown object; how many values a fault changed (GET /__admin/fault-effects);
// and the validation that refuses a malformed mutation rather than serve an unchanged answer.

#include "tests/sim/common/fault_plan.h"
#include "tests/sim/common/json_mutation.h"
#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace odis::sim;
using odis::sim::test::HttpResult;
using odis::sim::test::SimTestClient;

namespace {

QJsonArray rows()
{
    QJsonArray out;
    for (int i = 0; i < 4; ++i) {
        out.append(QJsonObject{
            {"id", 100 + i},
            {"phone", QStringLiteral("555-201-334%1").arg(i)},
            {"client", QJsonObject{{"name", "JANE"}, {"tags", QJsonArray{QJsonObject{{"t", 1}}}}}}});
    }
    return out;
}

} // namespace

class TstSimJsonFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void mutations_data();
    void mutations();
    void someChangesEveryOtherRow();
    void someWithoutAnArrayChangesEveryOtherAnswer();
    void oversizeAndInvalidUtf8();
    void wrapPutsTheAnswerUnderAnUnknownKey();
    void effectsCountWhatChanged();
    void malformedMutationsAreRefused_data();
    void malformedMutationsAreRefused();

private:
    QUrl url(const QString& path) const { return m_server->baseUrl().resolved(QUrl(path)); }
    HttpResult setFaults(const QString& route, const QJsonObject& faults)
    {
        return m_client->sendJson("PUT", url(QStringLiteral("/__admin/faults/") + route), faults);
    }

    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;
    std::unique_ptr<SimHttpServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
};

void TstSimJsonFaults::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto pki = TestPki::loadOrCreate(m_dir.filePath(QStringLiteral("pki")));
    QVERIFY(pki.has_value());
    m_pki = *pki;
    m_server = std::make_unique<SimHttpServer>(3);
    QVERIFY(m_server->addRoute(QStringLiteral("rows"), "GET", QStringLiteral("/rows"),
                               [](const SimRequest&) { return SimResponse::json(200, rows()); }));
    QVERIFY(m_server->addRoute(QStringLiteral("one"), "GET", QStringLiteral("/one"), [](const SimRequest&) {
        return SimResponse::json(
            200, QJsonObject{{"consultation", QJsonObject{{"id", 7}, {"notes", "<p>ok</p>"}}}});
    }));
    m_server->useTls(*m_pki);
    QVERIFY(m_server->start().has_value());
    m_client = std::make_unique<SimTestClient>(m_pki->clientConfiguration());
}

void TstSimJsonFaults::init()
{
    m_server->faults().clear();
    m_server->faults().clearMutationCounts();
}

void TstSimJsonFaults::mutations_data()
{
    QTest::addColumn<QJsonObject>("mutation");
    QTest::addColumn<QString>("expected"); // the first row after the fault, compact JSON
    QTest::newRow("drop") << QJsonObject{{"op", "drop"}, {"path", "[].phone"}}
                          << R"({"client":{"name":"JANE","tags":[{"t":1}]},"id":100})";
    QTest::newRow("rename")
        << QJsonObject{{"op", "rename"}, {"path", "[].phone"}, {"to", "phoneNumber"}}
        << R"({"client":{"name":"JANE","tags":[{"t":1}]},"id":100,"phoneNumber":"555-201-3340"})";
    QTest::newRow("rename, default name")
        << QJsonObject{{"op", "rename"}, {"path", "[].id"}}
        << R"({"client":{"name":"JANE","tags":[{"t":1}]},"id_renamed":100,"phone":"555-201-3340"})";
    QTest::newRow("retype to object")
        << QJsonObject{{"op", "retype"}, {"path", "[].client.name"}, {"to", "object"}}
        << R"({"client":{"name":{"odis":"retyped"},"tags":[{"t":1}]},"id":100,"phone":"555-201-3340"})";
    QTest::newRow("retype to number")
        << QJsonObject{{"op", "retype"}, {"path", "[].phone"}, {"to", "number"}}
        << R"({"client":{"name":"JANE","tags":[{"t":1}]},"id":100,"phone":4242})";
    QTest::newRow("nested array")
        << QJsonObject{{"op", "drop"}, {"path", "[].client.tags[].t"}}
        << R"({"client":{"name":"JANE","tags":[{}]},"id":100,"phone":"555-201-3340"})";
    QTest::newRow("absent path changes nothing")
        << QJsonObject{{"op", "drop"}, {"path", "[].nothing"}}
        << R"({"client":{"name":"JANE","tags":[{"t":1}]},"id":100,"phone":"555-201-3340"})";
}

void TstSimJsonFaults::mutations()
{
    QFETCH(QJsonObject, mutation);
    QFETCH(QString, expected);
    QCOMPARE(setFaults(QStringLiteral("rows"), QJsonObject{{"mutate", QJsonArray{mutation}}}).status, 200);
    const HttpResult r = m_client->get(url(QStringLiteral("/rows")));
    QCOMPARE(r.status, 200);
    const QJsonArray answer = QJsonDocument::fromJson(r.body).array();
    QCOMPARE(answer.size(), 4);
    QCOMPARE(QString::fromUtf8(QJsonDocument(answer.first().toObject()).toJson(QJsonDocument::Compact)),
             expected);
}

void TstSimJsonFaults::someChangesEveryOtherRow()
{
    QCOMPARE(setFaults(QStringLiteral("rows"),
                       QJsonObject{{"mutate", QJsonArray{QJsonObject{
                                                  {"op", "drop"}, {"path", "[].phone"}, {"rows", "some"}}}}})
                 .status,
             200);
    const QJsonArray answer =
        QJsonDocument::fromJson(m_client->get(url(QStringLiteral("/rows"))).body).array();
    for (qsizetype i = 0; i < answer.size(); ++i)
        QCOMPARE(answer.at(i).toObject().contains(QStringLiteral("phone")), i % 2 == 0);
}

void TstSimJsonFaults::someWithoutAnArrayChangesEveryOtherAnswer()
{
    QCOMPARE(setFaults(QStringLiteral("one"),
                       QJsonObject{{"mutate",
                                    QJsonArray{QJsonObject{
                                        {"op", "drop"}, {"path", "consultation.notes"}, {"rows", "some"}}}}})
                 .status,
             200);
    QList<bool> hasNotes;
    for (int i = 0; i < 4; ++i) {
        const QJsonObject answer = m_client->get(url(QStringLiteral("/one"))).json();
        hasNotes << answer.value(QStringLiteral("consultation")).toObject().contains(QStringLiteral("notes"));
    }
    QCOMPARE(hasNotes, (QList<bool>{true, false, true, false}));
}

void TstSimJsonFaults::oversizeAndInvalidUtf8()
{
    QCOMPARE(setFaults(QStringLiteral("one"),
                       QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "oversize"},
                                                                     {"path", "consultation.notes"},
                                                                     {"length", 2'000'000}}}}})
                 .status,
             200);
    const QJsonObject big = m_client->get(url(QStringLiteral("/one"))).json();
    QCOMPARE(
        big.value(QStringLiteral("consultation")).toObject().value(QStringLiteral("notes")).toString().size(),
        2'000'000);

    QCOMPARE(setFaults(QStringLiteral("one"),
                       QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "invalid_utf8"},
                                                                     {"path", "consultation.notes"}}}}})
                 .status,
             200);
    const HttpResult r = m_client->get(url(QStringLiteral("/one")));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("<p>ok</p>\xC3(\xFF"));             // raw bytes that are not UTF-8
    QVERIFY(QString::fromUtf8(r.body).contains(QChar(0xFFFD))); // what a lenient decoder makes of them
    QVERIFY(QString::fromUtf8(r.body).toUtf8() != r.body);
}

void TstSimJsonFaults::wrapPutsTheAnswerUnderAnUnknownKey()
{
    QCOMPARE(setFaults(QStringLiteral("rows"), QJsonObject{{"wrap", "result"}}).status, 200);
    const QJsonObject answer = m_client->get(url(QStringLiteral("/rows"))).json();
    QCOMPARE(answer.keys(), QStringList{QStringLiteral("result")});
    QCOMPARE(answer.value(QStringLiteral("result")).toArray(), rows());
}

void TstSimJsonFaults::effectsCountWhatChanged()
{
    QCOMPARE(
        setFaults(QStringLiteral("rows"),
                  QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "drop"}, {"path", "[].phone"}},
                                                    QJsonObject{{"op", "drop"}, {"path", "[].missing"}}}}})
            .status,
        200);
    m_client->get(url(QStringLiteral("/rows")));
    m_client->get(url(QStringLiteral("/rows")));
    const QJsonObject effects = m_client->get(url(QStringLiteral("/__admin/fault-effects"))).json();
    QCOMPARE(effects.value(QStringLiteral("mutated_values")).toObject().value(QStringLiteral("rows")).toInt(),
             8);
    QCOMPARE(m_client->send("DELETE", url(QStringLiteral("/__admin/fault-effects"))).status, 200);
    QCOMPARE(m_server->faults().mutationCounts(), QJsonObject());
    // A plan that reads back as it was set.
    const QJsonObject plan = m_client->get(url(QStringLiteral("/__admin/faults"))).json();
    QCOMPARE(plan.value(QStringLiteral("rows")).toObject().value(QStringLiteral("mutate")).toArray().size(),
             2);
}

void TstSimJsonFaults::malformedMutationsAreRefused_data()
{
    QTest::addColumn<QJsonObject>("faults");
    QTest::newRow("unknown op") << QJsonObject{
        {"mutate", QJsonArray{QJsonObject{{"op", "shuffle"}, {"path", "a"}}}}};
    QTest::newRow("no path") << QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "drop"}}}}};
    QTest::newRow("path to an array")
        << QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "drop"}, {"path", "a[]"}}}}};
    QTest::newRow("retype to nothing")
        << QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "retype"}, {"path", "a"}}}}};
    QTest::newRow("oversize without length")
        << QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "oversize"}, {"path", "a"}}}}};
    QTest::newRow("rows neither all nor some")
        << QJsonObject{{"mutate", QJsonArray{QJsonObject{{"op", "drop"}, {"path", "a"}, {"rows", "half"}}}}};
    QTest::newRow("unknown key") << QJsonObject{
        {"mutate", QJsonArray{QJsonObject{{"op", "drop"}, {"path", "a"}, {"x", 1}}}}};
    QTest::newRow("not a list") << QJsonObject{{"mutate", QJsonObject{}}};
    QTest::newRow("empty wrap") << QJsonObject{{"wrap", ""}};
}

void TstSimJsonFaults::malformedMutationsAreRefused()
{
    QFETCH(QJsonObject, faults);
    QCOMPARE(setFaults(QStringLiteral("rows"), faults).status, 400);
    QCOMPARE(QJsonDocument::fromJson(m_client->get(url(QStringLiteral("/rows"))).body).array(),
             rows()); // untouched
}

QTEST_MAIN(TstSimJsonFaults)
#include "tst_sim_json_faults.moc"
