// The DOM fallback's answers become the parsers' types (sync/core/dom_extraction.h): a readable page
// gives rows or a consultation; a page whose root, a row key or a required field is missing is
// neo_layout_changed for the whole page, never a shorter list.

#include "sync/core/dom_extraction.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace odis::sync;

namespace {

const QDate kDay(2026, 3, 10);

QJsonObject visitRow()
{
    return QJsonObject{{QStringLiteral("appointment_id"), QStringLiteral("482913")},
                       {QStringLiteral("consultation_id"), QStringLiteral("771204")},
                       {QStringLiteral("row_kind"), QStringLiteral("visit")},
                       {QStringLiteral("room"), QStringLiteral("9")},
                       {QStringLiteral("start"), QStringLiteral("2026-03-10T09:15:00")},
                       {QStringLiteral("end"), QStringLiteral("2026-03-10T09:45:00")},
                       {QStringLiteral("patient_name"), QStringLiteral("  BISCUIT ")},
                       {QStringLiteral("client_first_name"), QStringLiteral("Jane")},
                       {QStringLiteral("client_last_name"), QStringLiteral("García  López")},
                       {QStringLiteral("client_phone"), QStringLiteral("(415) 201-3344")},
                       {QStringLiteral("provider_name"), QStringLiteral("Dr. Ada Moss")},
                       {QStringLiteral("appointment_type"), QStringLiteral("Exam")},
                       {QStringLiteral("status"), QStringLiteral("Ready to Pay")}};
}

QJsonObject scheduleAnswer(const QJsonArray& rows, const QJsonObject& usage = {})
{
    return QJsonObject{{QStringLiteral("root"), true},   {QStringLiteral("fields"), QJsonObject()},
                       {QStringLiteral("rows"), rows},   {QStringLiteral("lists"), QJsonObject()},
                       {QStringLiteral("usage"), usage}, {QStringLiteral("invalidQueries"), QJsonArray()}};
}

QJsonObject consultationFields()
{
    return QJsonObject{{QStringLiteral("consultation_id"), QStringLiteral("771204")},
                       {QStringLiteral("appointment_id"), QStringLiteral("482913")},
                       {QStringLiteral("patient_name"), QStringLiteral("BISCUIT")},
                       {QStringLiteral("patient_species"), QStringLiteral("Canine")},
                       {QStringLiteral("client_phone"), QStringLiteral("415-201-3344")},
                       {QStringLiteral("provider_name"), QStringLiteral("Dr. Ada Moss")},
                       {QStringLiteral("visit_date"), QStringLiteral("2026-03-10 09:15")},
                       {QStringLiteral("status"), QStringLiteral("Finalized")},
                       {QStringLiteral("reason"), QStringLiteral("Limping")},
                       {QStringLiteral("notes"), QStringLiteral("<p>S: limping</p><p>P: rest</p>")},
                       {QStringLiteral("discharge_summary"), QStringLiteral("<p>Rest for a week.</p>")}};
}

QJsonObject consultationAnswer(const QJsonObject& fields, const QJsonArray& lines = {})
{
    return QJsonObject{{QStringLiteral("root"), true},
                       {QStringLiteral("fields"), fields},
                       {QStringLiteral("rows"), QJsonArray()},
                       {QStringLiteral("lists"), QJsonObject{{QStringLiteral("product_lines"), lines}}},
                       {QStringLiteral("usage"), QJsonObject()}};
}

QJsonObject line(const char* id, const char* name, const char* quantity, const char* declined)
{
    return QJsonObject{{QStringLiteral("line_id"), QString::fromLatin1(id)},
                       {QStringLiteral("name"), QString::fromLatin1(name)},
                       {QStringLiteral("quantity"), QString::fromLatin1(quantity)},
                       {QStringLiteral("declined"), QString::fromLatin1(declined)}};
}

} // namespace

class TstDomExtraction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scheduleRows()
    {
        QJsonObject block{{QStringLiteral("appointment_id"), QStringLiteral("482914")},
                          {QStringLiteral("row_kind"), QStringLiteral("block")},
                          {QStringLiteral("room"), QStringLiteral("10")},
                          {QStringLiteral("start"), QStringLiteral("2026-03-10T11:00:00")},
                          {QStringLiteral("end"), QStringLiteral("2026-03-10T14:00:00")},
                          {QStringLiteral("patient_name"), QStringLiteral("Dr out 11:00am-2:00pm")},
                          {QStringLiteral("client_phone"), QString()},
                          {QStringLiteral("status"), QStringLiteral("Scheduled")}};
        const auto parsed = scheduleFromDom(scheduleAnswer({visitRow(), block}), kDay);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
        QCOMPARE(parsed->value.size(), 2);
        const NeoScheduleEvent& visit = parsed->value.at(0);
        QCOMPARE(visit.appointmentId, QStringLiteral("482913"));
        QCOMPARE(visit.consultationId, std::optional<QString>(QStringLiteral("771204")));
        QCOMPARE(visit.start, (LocalDateTime{kDay, QTime(9, 15)}));
        QCOMPARE(visit.end, (LocalDateTime{kDay, QTime(9, 45)}));
        QCOMPARE(visit.patientName, QStringLiteral("BISCUIT"));
        QCOMPARE(visit.clientLastName, QStringLiteral("García López"));
        QCOMPARE(visit.phoneRaw, QStringLiteral("(415) 201-3344"));
        QCOMPARE(visit.statusRaw, QStringLiteral("Ready to Pay"));
        QCOMPARE(visit.status, NeoStatus::Completed);
        QCOMPARE(visit.resourceId, QStringLiteral("9"));
        QCOMPARE(visit.appointmentType, QStringLiteral("Exam"));
        QVERIFY(!visit.isBlock);
        const NeoScheduleEvent& blocked = parsed->value.at(1);
        QVERIFY(blocked.isBlock);
        QVERIFY(!blocked.consultationId);
        QCOMPARE(blocked.title, QStringLiteral("Dr out 11:00am-2:00pm"));
        QVERIFY(blocked.patientName.isEmpty());
        QVERIFY(parsed->warnings.isEmpty());
    }

    void emptyDayIsValid()
    {
        const auto parsed = scheduleFromDom(scheduleAnswer({}), kDay);
        QVERIFY(parsed);
        QVERIFY(parsed->value.isEmpty());
    }

    void unreadableSchedulePages_data()
    {
        QTest::addColumn<QString>("field");    // the field to change on the one row
        QTest::addColumn<QJsonValue>("value"); // null: the page had no such element
        QTest::addColumn<QString>("code");
        const QString layout(neo_extraction_error::kLayoutChanged);
        QTest::newRow("no appointment id") << "appointment_id" << QJsonValue() << layout;
        QTest::newRow("appointment id not a number")
            << "appointment_id" << QJsonValue(QStringLiteral("A-17")) << layout;
        QTest::newRow("malformed consultation id")
            << "consultation_id" << QJsonValue(QStringLiteral("x1")) << layout;
        QTest::newRow("no start") << "start" << QJsonValue() << layout;
        QTest::newRow("start on another day")
            << "start" << QJsonValue(QStringLiteral("2026-03-11T09:00:00")) << layout;
        QTest::newRow("start with a zone")
            << "start" << QJsonValue(QStringLiteral("2026-03-10T09:00:00Z")) << layout;
        QTest::newRow("no status") << "status" << QJsonValue() << layout;
    }

    void unreadableSchedulePages()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, code);
        QJsonObject broken = visitRow();
        broken.insert(field, value);
        QJsonObject other = visitRow();
        other.insert(QStringLiteral("appointment_id"), QStringLiteral("482999"));
        // One bad row spoils the page: the good one is not handed on alone.
        const auto parsed = scheduleFromDom(scheduleAnswer({other, broken}), kDay);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
        QVERIFY2(parsed.error().message.contains(QStringLiteral("row 2")),
                 qPrintable(parsed.error().message));
        QVERIFY(!parsed.error().message.contains(QStringLiteral("BISCUIT")));
    }

    void noRootIsLayoutChanged()
    {
        const QJsonObject answer{{QStringLiteral("root"), false}, {QStringLiteral("rows"), QJsonArray()}};
        const auto schedule = scheduleFromDom(answer, kDay);
        QVERIFY(!schedule);
        QCOMPARE(schedule.error().code, QString(neo_extraction_error::kLayoutChanged));
        const auto consultation = consultationFromDom(answer, u"771204");
        QVERIFY(!consultation);
        QCOMPARE(consultation.error().code, QString(neo_extraction_error::kLayoutChanged));
    }

    void malformedAnswerIsNotALayoutVerdict()
    {
        for (const QJsonValue& answer :
             {QJsonValue(), QJsonValue(QStringLiteral("x")),
              QJsonValue(QJsonObject{{QStringLiteral("root"), true},
                                     {QStringLiteral("rows"), QStringLiteral("x")}})}) {
            const auto parsed = scheduleFromDom(answer, kDay);
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().code, QString(kDomAnswerInvalid));
        }
    }

    void fallbackSelectorsAndMissesAreDrift()
    {
        QJsonObject row = visitRow();
        row.insert(QStringLiteral("provider_name"), QJsonValue());
        const QJsonObject usage{{QStringLiteral("patient_name"), QJsonArray{0, 0, 1, 0, 0}},
                                {QStringLiteral("provider_name"), QJsonArray{0, 0, 0, 0, 1}},
                                {QStringLiteral("status"), QJsonArray{1, 0, 0, 0, 0}}};
        const auto parsed = scheduleFromDom(scheduleAnswer({row}, usage), kDay);
        QVERIFY(parsed);
        QCOMPARE(parsed->warnings.size(), 2);
        QCOMPARE(parsed->warnings.at(0).field, QStringLiteral("patient_name"));
        QCOMPARE(parsed->warnings.at(0).detail, QStringLiteral("found by fallback selector 3 of 4"));
        QCOMPARE(parsed->warnings.at(1).field, QStringLiteral("provider_name"));
        QCOMPARE(parsed->warnings.at(1).detail, QStringLiteral("missing"));
        QCOMPARE(parsed->warnings.at(0).endpoint, QString(dom_endpoint::kSchedulePage));
    }

    void consultationPage()
    {
        const QJsonArray lines{line("9001", "Carprofen 75 mg", "14", "false"),
                               line("9002", "Cremation - Private", "1", "true")};
        const auto parsed = consultationFromDom(consultationAnswer(consultationFields(), lines), u"771204");
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
        const NeoConsultation& c = parsed->value;
        QCOMPARE(c.id, QStringLiteral("771204"));
        QCOMPARE(c.date, (LocalDateTime{kDay, QTime(9, 15)}));
        QCOMPARE(c.notesHtml, QStringLiteral("<p>S: limping</p><p>P: rest</p>"));
        QCOMPARE(c.dischargeSummaryHtml, QStringLiteral("<p>Rest for a week.</p>"));
        QCOMPARE(c.summarySource, NeoSummarySource::DischargeSummary);
        QCOMPARE(c.status, NeoStatus::Completed);
        QCOMPARE(c.patient.species, QStringLiteral("Canine"));
        QCOMPARE(c.client.phone, QStringLiteral("415-201-3344"));
        QCOMPARE(c.providers.size(), 1);
        QCOMPARE(c.providers.first().name, QStringLiteral("Dr. Ada Moss"));
        QCOMPARE(c.lines.size(), 2);
        QCOMPARE(c.lines.at(0), (NeoProductLine{QStringLiteral("Carprofen 75 mg"), 14, false}));
        QCOMPARE(c.lines.at(1).declined, true);
    }

    void consultationWithoutSummary()
    {
        QJsonObject fields = consultationFields();
        fields.insert(QStringLiteral("discharge_summary"), QStringLiteral("  <p> </p> "));
        const auto parsed = consultationFromDom(consultationAnswer(fields), u"771204");
        QVERIFY(parsed);
        QCOMPARE(parsed->value.summarySource, NeoSummarySource::None);
        QVERIFY(parsed->value.lines.isEmpty());
    }

    void unreadableConsultationPages_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("code");
        const QString layout(neo_extraction_error::kLayoutChanged);
        QTest::newRow("no consultation id") << "consultation_id" << QJsonValue() << layout;
        QTest::newRow("another consultation")
            << "consultation_id" << QJsonValue(QStringLiteral("771205")) << QString(neo_error::kIdMismatch);
        QTest::newRow("no visit date") << "visit_date" << QJsonValue() << layout;
        QTest::newRow("visit date not a date")
            << "visit_date" << QJsonValue(QStringLiteral("yesterday")) << layout;
        QTest::newRow("notes not found") << "notes" << QJsonValue() << layout;
    }

    void unreadableConsultationPages()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, code);
        QJsonObject fields = consultationFields();
        fields.insert(field, value);
        const auto parsed = consultationFromDom(consultationAnswer(fields), u"771204");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
    }

    void productLineWithoutNameIsLayoutChanged()
    {
        const auto parsed = consultationFromDom(
            consultationAnswer(consultationFields(), {line("9001", "", "1", "false")}), u"771204");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, QString(neo_extraction_error::kLayoutChanged));
    }
};

QTEST_GUILESS_MAIN(TstDomExtraction)
#include "tst_dom_extraction.moc"
