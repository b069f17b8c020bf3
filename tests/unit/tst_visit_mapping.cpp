// From parsed Neo data and payloads to the discharge planner's VisitInput (sync/core/visit_mapping.h):
// the planner must decide on the same facts the payloads carry, above all the same phone number.

#include "sync/core/discharge_rules.h"
#include "sync/core/html_sanitizer.h"
#include "sync/core/html_text.h"
#include "sync/core/visit_mapping.h"
#include "tests/unit/discharge_fixtures.h"
#include "tests/unit/payload_tests.h"

#include <QTest>

using namespace odis::sync;
using namespace odis::test::payload;

Q_DECLARE_METATYPE(odis::sync::NeoStatus)
Q_DECLARE_METATYPE(odis::sync::VisitStatus)

class TstVisitMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void visitFromFixtures();
    void plannerDialsThePayloadsNumber_data();
    void plannerDialsThePayloadsNumber();
    void statusCarriedOver_data();
    void statusCarriedOver();
    void consultationOfAnotherVisitIsNotRead();
    void patientOfTheVisit();
    void keptNumberReachesThePlanner();
    void removedVisitFromStoredPayload();
    void removedVisitRefusesBrokenPayload_data();
    void removedVisitRefusesBrokenPayload();
};

void TstVisitMapping::visitFromFixtures()
{
    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), QStringLiteral("482913"));
    QVERIFY(event);
    const std::optional<NeoConsultation> read =
        readConsultation(QStringLiteral("consultation_current.json"), QStringLiteral("731204"));
    QVERIFY(read);
    const auto consultation = consultationPayload(*read, *event);
    QVERIFY(consultation);

    const VisitInput visit = visitInput(AppointmentSources{*event, &*read}, &*consultation, kUs);
    QCOMPARE(visit.appointmentId, QStringLiteral("482913"));
    QCOMPARE(visit.consultationId, QStringLiteral("731204"));
    QCOMPARE(visit.start.date, QDate(2026, 3, 10));
    QCOMPARE(visit.start.time, QTime(9, 15));
    QCOMPARE(visit.end.date, QDate(2026, 3, 10));
    QCOMPARE(visit.end.time, QTime(9, 45));
    QCOMPARE(visit.status, VisitStatus::Completed);
    QVERIFY(!visit.isBlock && !visit.isRoster);
    QCOMPARE(visit.appointmentType, QStringLiteral("Exam"));
    QCOMPARE(visit.reason, QStringLiteral("Annual wellness exam"));
    QCOMPARE(visit.phones, (VisitPhones{QString(), QStringLiteral("415-201-3344"),
                                        QStringLiteral("415-201-3344"), QString()}));
    QVERIFY(visit.consultationRead);
    // The planner reads the uploaded (sanitised) notes, whose text is Neo's.
    QCOMPARE(visit.notesHtml, sanitizeNotesHtml(read->notesHtml));
    QCOMPARE(htmlToText(visit.notesHtml), htmlToText(read->notesHtml));
    QCOMPARE(visit.dischargeSummary,
             QStringLiteral("BISCUIT is healthy. Next vaccines due 03/2027.\nCall us with any questions."));
    QCOMPARE(visit.productLines,
             (QStringList{"Exam - Comprehensive", "DHPP vaccine 1yr", "Carprofen 75mg tablet", "Nail trim",
                          "Senior bloodwork panel"}));
    QVERIFY(!visit.removedFromNeo);

    // The overnight stay keeps its end on the next day.
    const std::optional<NeoScheduleEvent> overnight =
        scheduleEvent(QStringLiteral("schedule_current.json"), QStringLiteral("482921"));
    QVERIFY(overnight);
    const VisitInput stay = visitInput(AppointmentSources{*overnight}, nullptr, kUs);
    QCOMPARE(stay.end.date, QDate(2026, 3, 11));
    QCOMPARE(stay.end.time, QTime(7, 0));
    QVERIFY(!stay.consultationRead);
}

void TstVisitMapping::plannerDialsThePayloadsNumber_data()
{
    QTest::addColumn<QString>("schedule");
    QTest::addColumn<QString>("detailFile");
    QTest::addColumn<QString>("detailFor");

    QTest::newRow("current shape") << "schedule_current.json"
                                   << ""
                                   << "";
    QTest::newRow("current shape, one detail fetched") << "schedule_current.json"
                                                       << "appointment_detail.json"
                                                       << "482916";
    QTest::newRow("older shape") << "schedule_older_events.json"
                                 << ""
                                 << "";
}

void TstVisitMapping::plannerDialsThePayloadsNumber()
{
    QFETCH(QString, schedule);
    QFETCH(QString, detailFile);
    QFETCH(QString, detailFor);

    const auto parsed = parseNeoSchedule(fixture(schedule));
    QVERIFY(parsed);
    std::optional<NeoAppointmentDetail> fetched;
    if (!detailFile.isEmpty())
        fetched = readDetail(detailFile, detailFor);
    const DischargeRules rules = odis::test::rulesOf(odis::test::referencePolicy());
    for (const NeoScheduleEvent& event : parsed->value.events) {
        const bool withDetail = fetched && event.appointmentId == detailFor;
        const AppointmentSources sources{event, nullptr, withDetail ? &*fetched : nullptr};
        const auto payload = appointmentPayload(sources, kZone, kUs);
        QVERIFY(payload);
        const QJsonValue shown =
            payload->value(QStringLiteral("client")).toObject().value(QStringLiteral("phone_e164"));
        const VisitInput visit = visitInput(sources, nullptr, kUs);
        const RuleVerdict verdict = rules.recheckCall(visit, visitEndUtc(visit, kZone).addDays(1));
        QCOMPARE(verdict.customerPhone, shown.toString());
    }
}

void TstVisitMapping::statusCarriedOver_data()
{
    QTest::addColumn<NeoStatus>("neo");
    QTest::addColumn<VisitStatus>("visit");

    QTest::newRow("scheduled") << NeoStatus::Scheduled << VisitStatus::Scheduled;
    QTest::newRow("checked in") << NeoStatus::CheckedIn << VisitStatus::CheckedIn;
    QTest::newRow("in progress") << NeoStatus::InProgress << VisitStatus::InProgress;
    QTest::newRow("completed") << NeoStatus::Completed << VisitStatus::Completed;
    QTest::newRow("no show") << NeoStatus::NoShow << VisitStatus::NoShow;
    QTest::newRow("cancelled") << NeoStatus::Cancelled << VisitStatus::Cancelled;
    QTest::newRow("unknown") << NeoStatus::Unknown << VisitStatus::Unknown;
}

void TstVisitMapping::statusCarriedOver()
{
    QFETCH(NeoStatus, neo);
    QFETCH(VisitStatus, visit);

    NeoScheduleEvent event = finishedVisit();
    event.status = neo;
    QCOMPARE(visitInput(AppointmentSources{event}, nullptr, kUs).status, visit);
}

void TstVisitMapping::patientOfTheVisit()
{
    NeoScheduleEvent event = finishedVisit();
    event.patientId = QStringLiteral("61204");
    QCOMPARE(visitInput(AppointmentSources{event}, nullptr, kUs).patientId, QStringLiteral("61204"));
    // A row without a patient id (the older schedule shape): the consultation read says whose visit it is.
    event.patientId.clear();
    NeoConsultation consultation;
    consultation.patient.id = QStringLiteral("61205");
    QCOMPARE(visitInput(AppointmentSources{event, &consultation}, nullptr, kUs).patientId,
             QStringLiteral("61205"));
    const QJsonObject previous{
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), QStringLiteral("61206")}}}};
    QCOMPARE(visitInput(AppointmentSources{event, nullptr, nullptr, &previous}, nullptr, kUs).patientId,
             QStringLiteral("61206"));
    event.patientId = QStringLiteral("61204");
    event.isBlock = true; // a block or roster row has no patient, whatever the row carries
    QVERIFY(visitInput(AppointmentSources{event}, nullptr, kUs).patientId.isEmpty());
    event.isBlock = false;
    event.isRoster = true;
    QVERIFY(visitInput(AppointmentSources{event}, nullptr, kUs).patientId.isEmpty());
}

void TstVisitMapping::consultationOfAnotherVisitIsNotRead()
{
    const NeoScheduleEvent event = finishedVisit();
    const QJsonObject other{{QStringLiteral("neo_consultation_id"), QStringLiteral("700002")},
                            {QStringLiteral("notes_html"), QStringLiteral("<p>Someone else's notes</p>")}};
    const VisitInput visit = visitInput(AppointmentSources{event}, &other, kUs);
    QVERIFY(!visit.consultationRead);
    QVERIFY(visit.notesHtml.isEmpty());
}

void TstVisitMapping::keptNumberReachesThePlanner()
{
    // A finished visit whose detail fetch failed in this run: the payload keeps the earlier number,
    // and so must the planner, or a planned call would be cancelled for "no phone".
    const NeoScheduleEvent event = finishedVisit();
    const QJsonObject previous{{QStringLiteral("client"),
                                QJsonObject{{QStringLiteral("id"), event.clientId},
                                            {QStringLiteral("phone_e164"), QStringLiteral("+14152019999")},
                                            {QStringLiteral("phone_raw"), QStringLiteral("415-201-9999")}}}};
    const AppointmentSources sources{event, nullptr, nullptr, &previous};
    QCOMPARE(appointmentPhone(sources, kUs).e164, QStringLiteral("+14152019999"));
    const VisitInput visit = visitInput(sources, nullptr, kUs);
    const DischargeRules rules = odis::test::rulesOf(odis::test::referencePolicy());
    const RuleVerdict verdict = rules.recheckCall(visit, visitEndUtc(visit, kZone).addDays(1));
    QCOMPARE(verdict.kind, DecisionKind::Planned);
    QCOMPARE(verdict.customerPhone, QStringLiteral("+14152019999"));
}

void TstVisitMapping::removedVisitFromStoredPayload()
{
    const QJsonObject last = json(R"({"neo_appointment_id":"482921","neo_consultation_id":"731208",
        "date":"2026-03-10","start_time":"22:30","end_time":"07:00","status":"completed",
        "appointment_type":"Hospitalization","reason":"Overnight fluids","is_block":false,
        "patient":{"id":"61204","name":"BISCUIT","species":null},
        "client":{"id":"30810","phone_e164":"+14152013030","phone_raw":"+1 (415) 201-3030"},"removed":false})");
    const QJsonObject consultation = json(R"({"neo_consultation_id":"731208","notes_html":"<p>Fluids</p>",
        "discharge_summary":"Home tomorrow","products_services":[{"name":"IV fluids","quantity":1}],
        "declined_products_services":[]})");

    const auto visit = removedVisitInput(last, &consultation);
    QVERIFY(visit);
    QCOMPARE(visit->appointmentId, QStringLiteral("482921"));
    QCOMPARE(visit->consultationId, QStringLiteral("731208"));
    QCOMPARE(visit->start.date, QDate(2026, 3, 10));
    QCOMPARE(visit->start.time, QTime(22, 30));
    QCOMPARE(visit->end.date, QDate(2026, 3, 11)); // ends before it starts: the next day
    QCOMPARE(visit->end.time, QTime(7, 0));
    QCOMPARE(visit->status, VisitStatus::Completed);
    QCOMPARE(visit->appointmentType, QStringLiteral("Hospitalization"));
    QCOMPARE(visit->phones.scheduleRow, QStringLiteral("+1 (415) 201-3030"));
    QVERIFY(visit->consultationRead);
    QCOMPARE(visit->notesHtml, QStringLiteral("<p>Fluids</p>"));
    QCOMPARE(visit->dischargeSummary, QStringLiteral("Home tomorrow"));
    QCOMPARE(visit->productLines, QStringList{QStringLiteral("IV fluids")});
    QVERIFY(visit->removedFromNeo);
    QCOMPARE(visit->patientId, QStringLiteral("61204"));

    const DischargeRules rules = odis::test::rulesOf(odis::test::referencePolicy());
    const RuleVerdict verdict = rules.recheckCall(*visit, visitEndUtc(*visit, kZone).addDays(1));
    QCOMPARE(verdict.kind, DecisionKind::Cancelled);
    QCOMPARE(verdict.reason, DecisionReason::Removed);

    // The same payload for a visit not read in this run: not removed, the same facts.
    const auto stored = storedVisitInput(last, &consultation);
    QVERIFY(stored);
    QVERIFY(!stored->removedFromNeo);
    QCOMPARE(stored->patientId, QStringLiteral("61204"));
    QCOMPARE(stored->notesHtml, visit->notesHtml);
    // A block has no patient, whatever its payload says.
    QJsonObject block = last;
    block.insert(QStringLiteral("is_block"), true);
    QVERIFY(storedVisitInput(block, nullptr)->patientId.isEmpty());
}

void TstVisitMapping::removedVisitRefusesBrokenPayload_data()
{
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("no id") << QByteArray(R"({"date":"2026-03-10","start_time":"09:00"})");
    QTest::newRow("no date") << QByteArray(R"({"neo_appointment_id":"1","start_time":"09:00"})");
    QTest::newRow("bad start") << QByteArray(
        R"({"neo_appointment_id":"1","date":"2026-03-10","start_time":"9h"})");
}

void TstVisitMapping::removedVisitRefusesBrokenPayload()
{
    QFETCH(QByteArray, payload);
    const auto visit = removedVisitInput(json(payload), nullptr);
    QVERIFY(!visit);
    QCOMPARE(visit.error().code, QStringLiteral("observation_payload_invalid"));
}

QTEST_GUILESS_MAIN(TstVisitMapping)
#include "tst_visit_mapping.moc"
