// The IDEXX Neo simulator's JSON endpoints over real HTTPS: every endpoint in every shape, bad parameters,
// and consultations of visits that have not happened.

#include "tests/sim/neo/neo_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

class TstNeoSimEndpoints : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void scheduleCurrentShape();
    void scheduleOlderShape();
    void scheduleWrappers_data();
    void scheduleWrappers();
    void scheduleBadParameters_data();
    void scheduleBadParameters();
    void scheduleWindowIsInclusive();
    void consultationCurrentShape_data();
    void consultationCurrentShape();
    void consultationOlderShape();
    void consultationsThatDidNotHappenAre404_data();
    void consultationsThatDidNotHappenAre404();
    void configurationEndpoints();
    void oneAppointment();
    void shortScheduleDays();

private:
    std::unique_ptr<NeoFixture> m_neo;
};

void TstNeoSimEndpoints::init()
{
    m_neo = std::make_unique<NeoFixture>();
    QVERIFY(m_neo->isUp());
    QCOMPARE(m_neo->logIn(m_neo->client()).status, 302);
}

void TstNeoSimEndpoints::scheduleCurrentShape()
{
    const HttpResult r = m_neo->getJson(m_neo->client(), kDay);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("application/json"));
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    QVERIFY(doc.isArray()); // bare array
    const QJsonArray events = doc.array();
    QCOMPARE(events.size(), 3);
    const QJsonObject visit = byId(events, QStringLiteral("appointment_id"), kFinishedAppointment);
    QCOMPARE(keysOf(visit), sorted({"id",         "appointment_id", "consultation_id", "start",
                                    "end",        "patient_id",     "patient_name",    "client_id",
                                    "first_name", "last_name",      "email",           "phone_number",
                                    "provider",   "resourceId",     "title",           "type_description",
                                    "reason",     "current_status", "status_label",    "is_block",
                                    "is_roster"}));
    QCOMPARE(visit.value(QStringLiteral("id")).toInteger(), kFinishedAppointment + 1000000);
    QCOMPARE(visit.value(QStringLiteral("consultation_id")).toInteger(), kFinishedConsultation);
    QCOMPARE(visit.value(QStringLiteral("start")).toString(), QStringLiteral("2026-03-10 09:15:00"));
    QCOMPARE(visit.value(QStringLiteral("end")).toString(), QStringLiteral("2026-03-10 09:45:00"));
    QCOMPARE(visit.value(QStringLiteral("patient_id")).toInteger(), 51234);
    QCOMPARE(visit.value(QStringLiteral("patient_name")).toString(), QStringLiteral("BISCUIT"));
    QCOMPARE(visit.value(QStringLiteral("last_name")).toString(), QStringLiteral("Doe García"));
    QCOMPARE(visit.value(QStringLiteral("phone_number")).toString(),
             QStringLiteral("(415) 201-9999")); // the mobile
    QCOMPARE(visit.value(QStringLiteral("provider")).toString(), QStringLiteral("Dr. Ana Ruiz"));
    QCOMPARE(visit.value(QStringLiteral("resourceId")).toString(), QStringLiteral("9"));
    QCOMPARE(visit.value(QStringLiteral("title")).toString(), QStringLiteral("BISCUIT; DOE GARCÍA, JANE"));
    QCOMPARE(visit.value(QStringLiteral("current_status")).toString(), QStringLiteral("Finalized"));
    QCOMPARE(visit.value(QStringLiteral("is_block")).toBool(), false);

    const QJsonObject future = byId(events, QStringLiteral("appointment_id"), kFutureAppointment);
    QVERIFY(future.value(QStringLiteral("consultation_id")).isNull());
    QCOMPARE(future.value(QStringLiteral("phone_number")).toString(), QString()); // hidden on the schedule
    QVERIFY(future.value(QStringLiteral("email")).isNull());
    const QJsonObject block = byId(events, QStringLiteral("appointment_id"), kBlockAppointment);
    QVERIFY(block.value(QStringLiteral("is_block")).toBool());
    QVERIFY(block.value(QStringLiteral("patient_id")).isNull());
    QCOMPARE(block.value(QStringLiteral("title")).toString(), QStringLiteral("Dr out 12:00pm-1:00pm"));
    // Schedule order: by start time.
    QCOMPARE(events.at(0).toObject().value(QStringLiteral("appointment_id")).toInteger(),
             kFinishedAppointment);
    QCOMPARE(events.at(2).toObject().value(QStringLiteral("appointment_id")).toInteger(), kFutureAppointment);
}

void TstNeoSimEndpoints::scheduleOlderShape()
{
    m_neo->admin("PUT", QStringLiteral("/variants"), {{QStringLiteral("schedule"), QStringLiteral("older")}});
    const QJsonObject body = m_neo->getJson(m_neo->client(), kDay).json();
    QCOMPARE(body.keys(), QStringList{QStringLiteral("events")});
    const QJsonArray events = body.value(QStringLiteral("events")).toArray();
    QCOMPARE(events.size(), 3);
    const QJsonObject visit = byId(events, QStringLiteral("id"), kFinishedAppointment);
    QCOMPARE(keysOf(visit),
             sorted({"id", "title", "start", "end", "resourceId", "className", "patientName", "clientName",
                     "clientPhone", "providerName", "appointmentType", "status"}));
    QCOMPARE(visit.value(QStringLiteral("start")).toString(), QStringLiteral("2026-03-10T09:15:00"));
    QCOMPARE(visit.value(QStringLiteral("resourceId")).toString(), QStringLiteral("room-9"));
    QCOMPARE(visit.value(QStringLiteral("className")).toString(), QStringLiteral("finalized"));
    QCOMPARE(visit.value(QStringLiteral("patientName")).toString(), QStringLiteral("BISCUIT"));
    QCOMPARE(visit.value(QStringLiteral("clientName")).toString(), QStringLiteral("Doe García, Jane"));
    QCOMPARE(visit.value(QStringLiteral("clientPhone")).toString(), QStringLiteral("(415) 201-9999"));
    QCOMPARE(visit.value(QStringLiteral("providerName")).toString(), QStringLiteral("Dr. Ana Ruiz"));
    QCOMPARE(visit.value(QStringLiteral("appointmentType")).toString(), QStringLiteral("Exam"));
    QCOMPARE(visit.value(QStringLiteral("status")).toString(), QStringLiteral("Finalized"));
    QCOMPARE(
        byId(events, QStringLiteral("id"), kBlockAppointment).value(QStringLiteral("className")).toString(),
        QStringLiteral("block"));
}

void TstNeoSimEndpoints::scheduleWrappers_data()
{
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("wrapper");
    QTest::addColumn<QString>("idKey");
    for (const char* wrapper : {"events", "appointments", "data"}) {
        QTest::addRow("current fields under %s", wrapper) << "current" << wrapper << "appointment_id";
        QTest::addRow("older fields under %s", wrapper) << "older" << wrapper << "id";
    }
    QTest::addRow("older fields, bare array") << "older"
                                              << "none"
                                              << "id";
}

void TstNeoSimEndpoints::scheduleWrappers()
{
    QFETCH(QString, fields);
    QFETCH(QString, wrapper);
    QFETCH(QString, idKey);
    QCOMPARE(m_neo
                 ->admin("PUT", QStringLiteral("/variants"),
                         {{QStringLiteral("schedule"), QJsonObject{{QStringLiteral("fields"), fields},
                                                                   {QStringLiteral("wrapper"), wrapper}}}})
                 .status,
             200);
    const QJsonDocument doc = QJsonDocument::fromJson(m_neo->getJson(m_neo->client(), kDay).body);
    const QJsonArray events =
        wrapper == QLatin1String("none") ? doc.array() : doc.object().value(wrapper).toArray();
    if (wrapper != QLatin1String("none")) {
        QCOMPARE(doc.object().keys(), QStringList{wrapper});
    }
    QCOMPARE(events.size(), 3);
    QVERIFY(!byId(events, idKey, kFinishedAppointment).isEmpty());
}

void TstNeoSimEndpoints::scheduleBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("no end") << "start=2026-03-10+00:00:00";
    QTest::newRow("no start") << "end=2026-03-10+23:59:59";
    QTest::newRow("ISO T") << "start=2026-03-10T00:00:00&end=2026-03-10T23:59:59";
    QTest::newRow("date only") << "start=2026-03-10&end=2026-03-11";
    QTest::newRow("month 13") << "start=2026-13-01+00:00:00&end=2026-13-01+23:59:59";
    QTest::newRow("end before start") << "start=2026-03-11+00:00:00&end=2026-03-10+23:59:59";
}

void TstNeoSimEndpoints::scheduleBadParameters()
{
    QFETCH(QString, query);
    const HttpResult r =
        m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getCalendarEventData?") + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("bad_request"));
    QVERIFY(m_neo->admin("GET", QStringLiteral("/sync-times"))
                .json()
                .value(QStringLiteral("sync_times"))
                .toArray()
                .isEmpty());
}

void TstNeoSimEndpoints::scheduleWindowIsInclusive()
{
    // %20 as encodeURIComponent writes it, both bounds on the visit's start second.
    const QJsonArray events =
        QJsonDocument::fromJson(
            m_neo
                ->getJson(m_neo->client(),
                          QStringLiteral("/appointments/getCalendarEventData?"
                                         "start=2026-03-10%2009:15:00&end=2026-03-10%2009:15:00"))
                .body)
            .array();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).toObject().value(QStringLiteral("appointment_id")).toInteger(),
             kFinishedAppointment);
}

void TstNeoSimEndpoints::consultationCurrentShape_data()
{
    QTest::addColumn<QString>("placement");
    QTest::addColumn<bool>("inNotesObject");
    QTest::newRow("dischargeSummary") << "dischargeSummary" << false;
    QTest::newRow("consultationNotes") << "consultationNotes" << true;
    QTest::newRow("mixed: odd id in consultationNotes") << "mixed" << true;
}

void TstNeoSimEndpoints::consultationCurrentShape()
{
    QFETCH(QString, placement);
    QFETCH(bool, inNotesObject);
    m_neo->admin("PUT", QStringLiteral("/variants"), {{QStringLiteral("discharge_summary_in"), placement}});
    const HttpResult r = m_neo->getJson(m_neo->client(), QStringLiteral("/consultations/700001/page-data"));
    QCOMPARE(r.status, 200);
    const QJsonObject page = r.json();
    QStringList expected{"consultation", "patient",      "client",
                         "pageData",     "clientBranch", "consultationLines"};
    if (inNotesObject) {
        expected << QStringLiteral("consultationNotes");
    }
    QCOMPARE(keysOf(page), sorted(expected));
    const QJsonObject consultation = page.value(QStringLiteral("consultation")).toObject();
    QCOMPARE(consultation.value(QStringLiteral("id")).toInteger(), kFinishedConsultation);
    QCOMPARE(consultation.value(QStringLiteral("notes")).toString(),
             QStringLiteral("<p>Exam normal. <b>Rimadyl</b> for 5 days.</p>"));
    QCOMPARE(consultation.value(QStringLiteral("status")).toString(), QStringLiteral("Finalized"));
    QCOMPARE(consultation.value(QStringLiteral("date")).toString(), QStringLiteral("2026-03-10 09:15:00"));
    QCOMPARE(consultation.contains(QStringLiteral("dischargeSummary")), !inNotesObject);
    const QString summary = inNotesObject ? page.value(QStringLiteral("consultationNotes"))
                                                .toObject()
                                                .value(QStringLiteral("notes"))
                                                .toString()
                                          : consultation.value(QStringLiteral("dischargeSummary")).toString();
    QCOMPARE(summary, QStringLiteral("Rest for a week."));
    QCOMPARE(keysOf(page.value(QStringLiteral("patient")).toObject()),
             sorted({"id", "name", "species", "breed"}));
    const QJsonObject client = page.value(QStringLiteral("client")).toObject();
    QCOMPARE(client.value(QStringLiteral("phone")).toString(), QStringLiteral("(415) 201-9999"));
    QCOMPARE(client.value(QStringLiteral("email")).toString(), QStringLiteral("jane@example.test"));
    const QJsonObject provider = page.value(QStringLiteral("pageData"))
                                     .toObject()
                                     .value(QStringLiteral("providers"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
    QCOMPARE(keysOf(provider), sorted({"id", "name", "email", "licenseNumber", "userType", "companyId"}));
    QCOMPARE(provider.value(QStringLiteral("userType")).toString(), QStringLiteral("Vet"));
    QCOMPARE(provider.value(QStringLiteral("companyId")).toString(), kCompanyId);
    const QJsonArray lines = page.value(QStringLiteral("consultationLines")).toArray();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(keysOf(lines.at(1).toObject()), sorted({"id", "productService", "quantity", "isDeclined"}));
    QCOMPARE(lines.at(1).toObject().value(QStringLiteral("isDeclined")).toBool(), true);
    QCOMPARE(lines.at(1).toObject().value(QStringLiteral("quantity")).toDouble(), 10.0);
}

void TstNeoSimEndpoints::consultationOlderShape()
{
    m_neo->admin("PUT", QStringLiteral("/variants"),
                 {{QStringLiteral("consultation"), QStringLiteral("older")}});
    const QJsonObject body =
        m_neo->getJson(m_neo->client(), QStringLiteral("/consultations/700001/page-data")).json();
    QCOMPARE(body.keys(), QStringList{QStringLiteral("pageData")});
    const QJsonObject page = body.value(QStringLiteral("pageData")).toObject();
    QCOMPARE(keysOf(page), sorted({"providers", "patient", "client", "consultation", "clinic"}));
    QCOMPARE(keysOf(page.value(QStringLiteral("patient")).toObject()),
             sorted({"id", "name", "species", "breed", "dateOfBirth", "sex", "weight"}));
    QCOMPARE(keysOf(page.value(QStringLiteral("client")).toObject()),
             sorted({"id", "name", "phone", "email", "address"}));
    const QJsonObject consultation = page.value(QStringLiteral("consultation")).toObject();
    QCOMPARE(keysOf(consultation),
             sorted({"id", "consultationId", "reason", "notes", "dischargeSummary", "date", "status"}));
    QCOMPARE(consultation.value(QStringLiteral("id")).toInteger(), kFinishedAppointment);
    QCOMPARE(consultation.value(QStringLiteral("consultationId")).toInteger(), kFinishedConsultation);
    QCOMPARE(consultation.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(keysOf(page.value(QStringLiteral("clinic")).toObject()),
             sorted({"id", "name", "phone", "email", "companyId"}));
}

void TstNeoSimEndpoints::consultationsThatDidNotHappenAre404_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("future visit") << QString::number(kFutureConsultation);
    QTest::newRow("unknown") << "999999";
    QTest::newRow("not a number") << "abc";
}

void TstNeoSimEndpoints::consultationsThatDidNotHappenAre404()
{
    QFETCH(QString, id);
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/consultations/%1/page-data").arg(id)).status,
             404);
    QCOMPARE(m_neo->client().get(m_neo->url(QStringLiteral("/consultations/%1/details").arg(id))).status,
             404);
}

void TstNeoSimEndpoints::configurationEndpoints()
{
    const QJsonObject configs =
        m_neo->getJson(m_neo->client(), QStringLiteral("/schedule/getScheduleConfigs")).json();
    QCOMPARE(keysOf(configs),
             sorted({"businessHours", "slotDuration", "minTime", "maxTime", "providers", "rooms"}));
    const QJsonObject hours = configs.value(QStringLiteral("businessHours")).toObject();
    QCOMPARE(hours.value(QStringLiteral("start")).toString(), QStringLiteral("08:00"));
    QCOMPARE(hours.value(QStringLiteral("end")).toString(), QStringLiteral("18:00"));
    QCOMPARE(hours.value(QStringLiteral("daysOfWeek")).toArray(), (QJsonArray{1, 2, 3, 4, 5, 6}));
    QCOMPARE(configs.value(QStringLiteral("slotDuration")).toInt(), 15);
    QCOMPARE(keysOf(configs.value(QStringLiteral("providers")).toArray().at(0).toObject()),
             sorted({"id", "name", "color"}));
    QCOMPARE(configs.value(QStringLiteral("rooms")).toArray().size(), 2);

    const QJsonObject view =
        m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getAppointmentView")).json();
    QCOMPARE(keysOf(view),
             sorted({"slotInterval", "businessHours", "appointmentTypes", "appointmentRooms", "providers"}));
    QCOMPARE(view.value(QStringLiteral("businessHours")).toArray().size(), 2); // weekdays and Saturday
    QCOMPARE(keysOf(view.value(QStringLiteral("appointmentTypes")).toArray().at(0).toObject()),
             sorted({"id", "name", "duration", "color"}));
    QCOMPARE(keysOf(view.value(QStringLiteral("appointmentRooms")).toArray().at(0).toObject()),
             sorted({"id", "name", "position"}));
    QCOMPARE(keysOf(view.value(QStringLiteral("providers")).toArray().at(0).toObject()),
             sorted({"id", "name", "provider"}));
}

void TstNeoSimEndpoints::oneAppointment()
{
    const HttpResult r =
        m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getAppointment?id=482914"));
    QCOMPARE(r.status, 200);
    const QJsonObject a = r.json().value(QStringLiteral("appointment")).toObject();
    QCOMPARE(keysOf(a), sorted({"id", "status", "startAtLocal", "endAtLocal", "notes", "deleted", "block",
                                "bookedBy", "createdAt", "patient", "appointmentType", "appointmentRoom",
                                "provider", "cancelledReason"}));
    QCOMPARE(a.value(QStringLiteral("id")).toString(), QStringLiteral("482914")); // a string here
    QCOMPARE(a.value(QStringLiteral("startAtLocal")).toString(), QStringLiteral("2026-03-10 15:00:00"));
    const QJsonObject client =
        a.value(QStringLiteral("patient")).toObject().value(QStringLiteral("client")).toObject();
    QCOMPARE(keysOf(client), sorted({"id", "firstName", "lastName", "email", "homePhone", "mobilePhone"}));
    // The phone the schedule row hides is here.
    QCOMPARE(client.value(QStringLiteral("mobilePhone")).toString(), QStringLiteral("4152013345"));
    QVERIFY(client.value(QStringLiteral("homePhone")).isNull());
    QCOMPARE(a.value(QStringLiteral("appointmentRoom")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("Exam 2"));
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getAppointment?id=1")).status,
             404);
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getAppointment")).status, 400);
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getAppointment?id=x")).status,
             400);
}

// A day served short (PUT /__admin/schedule-days): the schedule and its page lose the day's rows, while
// getAppointment still knows every appointment (what an outage or a bug in Neo's calendar looks like).
void TstNeoSimEndpoints::shortScheduleDays()
{
    const auto rows = [&] {
        return QJsonDocument::fromJson(m_neo->getJson(m_neo->client(), kDay).body).array().size();
    };
    QCOMPARE(rows(), 3);
    QCOMPARE(m_neo->admin("PUT", QStringLiteral("/schedule-days"), {{"2026-03-10", 0}}).status, 200);
    QCOMPARE(rows(), 0);
    QCOMPARE(m_neo->getJson(m_neo->client(), QStringLiteral("/appointments/getAppointment?id=482913")).status,
             200);
    const HttpResult page = m_neo->client().get(m_neo->url(QStringLiteral("/schedule?date=2026-03-10")));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.body.count("data-appointment-id="), 0);
    QCOMPARE(m_neo->admin("PUT", QStringLiteral("/schedule-days"), {{"all", 0.5}}).status, 200);
    QCOMPARE(rows(), 1); // the first half, rounded down, in schedule order
    QCOMPARE(m_neo->admin("GET", QStringLiteral("/schedule-days")).json(), (QJsonObject{{"all", 0.5}}));
    QCOMPARE(m_neo->admin("PUT", QStringLiteral("/schedule-days"), {{"2026-03-10", 1.5}}).status, 400);
    QCOMPARE(m_neo->admin("PUT", QStringLiteral("/schedule-days"), {{"tuesday", 0}}).status, 400);
    QCOMPARE(m_neo->admin("DELETE", QStringLiteral("/schedule-days")).status, 200);
    QCOMPARE(rows(), 3);
}

QTEST_GUILESS_MAIN(TstNeoSimEndpoints)
#include "tst_neo_sim_endpoints.moc"
