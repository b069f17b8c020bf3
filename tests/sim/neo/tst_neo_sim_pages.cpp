// The IDEXX Neo simulator's pages and run-time behaviour over real HTTPS: the DOM-fallback pages in both
// layouts, the clock, the recorded headers and sync times, and every fault of the common fault plan on a
// Neo endpoint.

#include "tests/sim/neo/neo_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

class TstNeoSimPages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void clinicEvolvesWithTheClock();
    void headersAndSyncTimesAreRecorded();
    void schedulePage();
    void consultationDetailsPage();
    void changedLayoutRenamesEveryHook();
    void faults_data();
    void faults();

private:
    std::unique_ptr<NeoFixture> m_neo;
};

void TstNeoSimPages::init()
{
    m_neo = std::make_unique<NeoFixture>();
    QVERIFY(m_neo->isUp());
    QCOMPARE(m_neo->logIn(m_neo->client()).status, 302);
}

void TstNeoSimPages::clinicEvolvesWithTheClock()
{
    const auto statusOfVisit = [this] {
        return byId(QJsonDocument::fromJson(m_neo->getJson(m_neo->client(), kDay).body).array(),
                    QStringLiteral("appointment_id"), kFinishedAppointment);
    };
    QCOMPARE(m_neo
                 ->admin("PUT", QStringLiteral("/clock"),
                         {{QStringLiteral("now"), QStringLiteral("2026-03-10T16:00:00Z")}})
                 .json()
                 .value(QStringLiteral("now_local"))
                 .toString(),
             QStringLiteral("2026-03-10T09:00:00"));
    QCOMPARE(statusOfVisit().value(QStringLiteral("current_status")).toString(), QStringLiteral("Scheduled"));
    QVERIFY(statusOfVisit().value(QStringLiteral("consultation_id")).isNull());
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/consultations/700001/page-data")).status, 404);
    m_neo->admin("POST", QStringLiteral("/clock/advance"),
                 {{QStringLiteral("seconds"), 20 * 60}}); // 09:20 local
    QCOMPARE(statusOfVisit().value(QStringLiteral("current_status")).toString(),
             QStringLiteral("Checked In"));
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/consultations/700001/page-data")).status, 200);
    m_neo->admin("POST", QStringLiteral("/clock/advance"),
                 {{QStringLiteral("seconds"), 40 * 60}}); // 10:00 local
    QCOMPARE(statusOfVisit().value(QStringLiteral("current_status")).toString(), QStringLiteral("Finalized"));
    // A running clock moves by itself.
    m_neo->admin("PUT", QStringLiteral("/clock"), {{QStringLiteral("speed"), 3600}});
    QTest::qWait(50);
    const QDateTime later = QDateTime::fromString(
        m_neo->admin("GET", QStringLiteral("/clock")).json().value(QStringLiteral("now")).toString(),
        Qt::ISODate);
    QVERIFY(later > QDateTime(QDate(2026, 3, 10), QTime(17, 0, 30), Qt::UTC));
}

void TstNeoSimPages::headersAndSyncTimesAreRecorded()
{
    m_neo->getJson(m_neo->client(), kDay);
    m_neo->client().get(m_neo->url(kDay)); // without the AJAX headers: counted as such
    m_neo->admin("POST", QStringLiteral("/clock/advance"), {{QStringLiteral("seconds"), 600}});
    m_neo->getJson(m_neo->client(), kDay);
    const QJsonObject schedule = m_neo->admin("GET", QStringLiteral("/json-headers"))
                                     .json()
                                     .value(QStringLiteral("schedule"))
                                     .toObject();
    QCOMPARE(schedule.value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(schedule.value(QStringLiteral("accept_json")).toInt(), 2);
    QCOMPARE(schedule.value(QStringLiteral("x_requested_with")).toInt(), 2);
    QCOMPARE(schedule.value(QStringLiteral("last_x_requested_with")).toBool(), true);
    const QJsonArray times = m_neo->admin("GET", QStringLiteral("/sync-times"))
                                 .json()
                                 .value(QStringLiteral("sync_times"))
                                 .toArray();
    QCOMPARE(times,
             (QJsonArray{QStringLiteral("2026-03-10T19:00:00Z"), QStringLiteral("2026-03-10T19:00:00Z"),
                         QStringLiteral("2026-03-10T19:10:00Z")}));
}

void TstNeoSimPages::schedulePage()
{
    const HttpResult r = m_neo->client().get(m_neo->url(QStringLiteral("/schedule?date=2026-03-10")));
    QCOMPARE(r.status, 200);
    const QString html = QString::fromUtf8(r.body);
    QCOMPARE(html.count(QStringLiteral("<tr class=\"appointment-row\" data-testid=\"appointment-row\"")), 3);
    QVERIFY(html.contains(QStringLiteral("data-appointment-id=\"482913\" data-consultation-id=\"700001\"")));
    QVERIFY(html.contains(QStringLiteral("<a href=\"tel:4152019999\">(415) 201-9999</a>")));
    QCOMPARE(html.count(QStringLiteral("href=\"tel:")), 1); // the hidden phone and the block have none
    QVERIFY(html.contains(QStringLiteral("data-row-kind=\"block\"")));
    for (const char* field : {"appointment-time", "patient-name", "client-name", "client-phone",
                              "provider-name", "appointment-type", "appointment-status"}) {
        const QString name = QString::fromLatin1(field);
        QVERIFY2(
            html.contains(
                QStringLiteral("data-testid=\"%1\" id=\"appointment-482913-%1\" class=\"%1\"").arg(name)),
            field);
    }
    QVERIFY(html.contains(QStringLiteral("<span class=\"client-last-name\">Doe García</span>")));
    QVERIFY(html.contains(QStringLiteral("href=\"/consultations/700001/details\"")));
    QCOMPARE(m_neo->admin("GET", QStringLiteral("/sync-times"))
                 .json()
                 .value(QStringLiteral("sync_times"))
                 .toArray(),
             QJsonArray{QStringLiteral("2026-03-10T19:00:00Z")}); // a DOM-fallback read is a sync too
    QCOMPARE(m_neo->client().get(m_neo->url(QStringLiteral("/schedule?date=10.03.2026"))).status, 400);
    QCOMPARE(m_neo->newClient()->get(m_neo->url(QStringLiteral("/schedule?date=2026-03-10"))).status, 302);
}

void TstNeoSimPages::consultationDetailsPage()
{
    const HttpResult r = m_neo->client().get(m_neo->url(QStringLiteral("/consultations/700001/details")));
    QCOMPARE(r.status, 200);
    const QString html = QString::fromUtf8(r.body);
    QVERIFY(html.contains(QStringLiteral("id=\"consultation_details\"")));
    QVERIFY(html.contains(QStringLiteral("data-consultation-id=\"700001\" data-appointment-id=\"482913\"")));
    QVERIFY(html.contains(
        QStringLiteral("<div class=\"clinical-notes\" data-testid=\"clinical-notes\" "
                       "id=\"clinical-notes\"><p>Exam normal. <b>Rimadyl</b> for 5 days.</p></div>")));
    QVERIFY(html.contains(QStringLiteral("class=\"discharge-summary\"")));
    QVERIFY(html.contains(QStringLiteral("Rest for a week.")));
    QVERIFY(html.contains(QStringLiteral("<a href=\"tel:4152019999\">")));
    QVERIFY(html.contains(QStringLiteral("class=\"product-line declined\"")));
    QVERIFY(html.contains(QStringLiteral("data-declined=\"true\"")));
    QVERIFY(html.contains(QStringLiteral("data-declined=\"false\"")));
    QVERIFY(html.contains(QStringLiteral("id=\"consultation-patient-species\"")));
}

void TstNeoSimPages::changedLayoutRenamesEveryHook()
{
    m_neo->admin("PUT", QStringLiteral("/variants"), {{QStringLiteral("layout"), QStringLiteral("changed")}});
    const QString schedule =
        QString::fromUtf8(m_neo->client().get(m_neo->url(QStringLiteral("/schedule?date=2026-03-10"))).body);
    const QString details = QString::fromUtf8(
        m_neo->client().get(m_neo->url(QStringLiteral("/consultations/700001/details"))).body);
    for (const QString& hook : {QStringLiteral("data-appointment-id"), QStringLiteral("data-testid"),
                                QStringLiteral("appointment-row"), QStringLiteral("\"patient-name\""),
                                QStringLiteral("schedule_table")}) {
        QVERIFY2(!schedule.contains(hook), qPrintable(hook));
    }
    for (const QString& hook : {QStringLiteral("clinical-notes"), QStringLiteral("discharge-summary"),
                                QStringLiteral("consultation_details"), QStringLiteral("\"product-line")}) {
        QVERIFY2(!details.contains(hook), qPrintable(hook));
    }
    // The data is still there, under other names.
    QVERIFY(schedule.contains(QStringLiteral("data-booking-ref=\"482913\"")));
    QVERIFY(details.contains(QStringLiteral("<b>Rimadyl</b>")));
}

void TstNeoSimPages::faults_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<QString>("expect");
    const auto f = [](std::initializer_list<QPair<QString, QJsonValue>> v) {
        QJsonObject o;
        for (const auto& [k, x] : v) {
            o.insert(k, x);
        }
        return o;
    };
    QTest::newRow("latency") << "schedule" << f({{"latency_ms", 300}}) << "slow";
    QTest::newRow("error 503") << "schedule" << f({{"error_rate", 1}, {"error_status", 503}}) << "503";
    QTest::newRow("rate limit")
        << "schedule"
        << f({{"rate_limit", QJsonObject{{"requests", 1}, {"per_seconds", 60}, {"retry_after", 7}}}})
        << "429";
    QTest::newRow("truncated body") << "consultation" << f({{"truncate", true}}) << "truncated";
    QTest::newRow("invalid JSON") << "schedule" << f({{"invalid_json", true}}) << "invalid_json";
    QTest::newRow("HTML instead of JSON") << "schedule" << f({{"html_instead", true}}) << "html";
    QTest::newRow("hang") << "schedule_configs" << f({{"hang", true}}) << "hang";
    QTest::newRow("connection reset") << "appointment_view" << f({{"reset", true}}) << "reset";
    QTest::newRow("endpoint removed") << "schedule" << f({{"removed", true}}) << "404";
    QTest::newRow("renamed fields") << "schedule"
                                    << f({{"rename_fields",
                                           QJsonObject{{"appointment_id", "appointmentId"}}}})
                                    << "renamed";
    QTest::newRow("error after the handler ran")
        << "schedule" << f({{"error_rate", 1}, {"after_handler", true}}) << "after_handler";
}

void TstNeoSimPages::faults()
{
    QFETCH(QString, route);
    QFETCH(QJsonObject, fault);
    QFETCH(QString, expect);
    const QHash<QString, QString> paths{
        {QStringLiteral("schedule"), kDay},
        {QStringLiteral("consultation"), QStringLiteral("/consultations/700001/page-data")},
        {QStringLiteral("schedule_configs"), QStringLiteral("/schedule/getScheduleConfigs")},
        {QStringLiteral("appointment_view"), QStringLiteral("/appointments/getAppointmentView")}};
    QCOMPARE(m_neo->admin("PUT", QStringLiteral("/faults/") + route, fault).status, 200);
    const QList<QPair<QByteArray, QByteArray>> ajax{{"Accept", "application/json"},
                                                    {"X-Requested-With", "XMLHttpRequest"}};
    const HttpResult r = m_neo->client().send("GET", m_neo->url(paths.value(route)), {}, ajax, 1500);
    const QJsonArray syncTimes = m_neo->admin("GET", QStringLiteral("/sync-times"))
                                     .json()
                                     .value(QStringLiteral("sync_times"))
                                     .toArray();
    if (expect == QLatin1String("slow")) {
        QCOMPARE(r.status, 200);
        QVERIFY(r.elapsedMs >= 290);
    } else if (expect == QLatin1String("503")) {
        QCOMPARE(r.status, 503);
        QVERIFY(syncTimes.isEmpty()); // the handler never ran
    } else if (expect == QLatin1String("429")) {
        QCOMPARE(r.status, 200);
        const HttpResult limited = m_neo->getJson(m_neo->client(), paths.value(route));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.header("Retry-After"), QByteArray("7"));
    } else if (expect == QLatin1String("truncated")) {
        QVERIFY(r.error != QNetworkReply::NoError || !r.isJsonObject());
    } else if (expect == QLatin1String("invalid_json")) {
        QCOMPARE(r.status, 200);
        QVERIFY(!QJsonDocument::fromJson(r.body).isArray());
    } else if (expect == QLatin1String("html")) {
        QVERIFY(r.header("Content-Type").startsWith("text/html"));
        QVERIFY(QJsonDocument::fromJson(r.body).isNull());
    } else if (expect == QLatin1String("hang")) {
        QVERIFY(r.status == 0);
        QVERIFY(r.error != QNetworkReply::NoError);
    } else if (expect == QLatin1String("reset")) {
        QCOMPARE(r.status, 0);
        QVERIFY(r.error != QNetworkReply::NoError);
    } else if (expect == QLatin1String("404")) {
        QCOMPARE(r.status, 404);
    } else if (expect == QLatin1String("renamed")) {
        const QJsonObject first = QJsonDocument::fromJson(r.body).array().at(0).toObject();
        QVERIFY(first.contains(QStringLiteral("appointmentId")));
        QVERIFY(!first.contains(QStringLiteral("appointment_id")));
    } else if (expect == QLatin1String("after_handler")) {
        QCOMPARE(r.status, 500);
        QCOMPARE(syncTimes.size(), 1); // Neo served the read; the client never saw it
    } else {
        QFAIL("unknown expectation");
    }
    // Faults switch off at run time.
    QVERIFY(m_neo->admin("DELETE", QStringLiteral("/faults/") + route).status < 300);
    m_neo->admin("POST", QStringLiteral("/clock/advance"), {{QStringLiteral("seconds"), 1}});
    QCOMPARE(m_neo->getJson(m_neo->client(), paths.value(route)).status, 200);
}

QTEST_GUILESS_MAIN(TstNeoSimPages)
#include "tst_neo_sim_pages.moc"
