// GET /appointments/getCalendarEventData: answers that break the contract (sync/core/neo_contract.h), drift
// it tolerates, hostile and huge values.

#include "sync/core/neo_contract.h"
#include "sync/core/neo_fields.h"
#include "sync/core/neo_schedule_parser.h"
#include "tests/unit/neo_parser_tests.h"
#include "tests/unit/neo_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace odis::sync;
using odis::test::findWarning;
using odis::test::jsonResponse;
using odis::test::neoFixture;

namespace {

int occurrences(const QList<DriftWarning>& warnings, const QString& field, const QString& detail)
{
    const DriftWarning* w = findWarning(warnings, field, detail);
    return w ? w->occurrences : 0;
}

} // namespace

// A row that breaks the contract refuses the whole answer: dropping it would make its appointment look
// removed, keeping it with a field taken as empty would overwrite a good value. Every field is named.
void NeoScheduleParserTest::driftWarnings()
{
    NeoAnswerCheck check;
    const auto parsed = parseNeoSchedule(neoFixture(QStringLiteral("schedule_drift.json")), &check);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QStringLiteral("neo_layout_changed"));
    const QList<DriftWarning>& v = check.violations;
    QCOMPARE(occurrences(v, "id", "missing"), 2);
    QCOMPARE(occurrences(v, "appointment_id", "missing"), 1);
    QCOMPARE(occurrences(v, "email", "missing"), 1);
    QCOMPARE(occurrences(v, "consultation_id", "missing"), 1);
    QCOMPARE(occurrences(v, "phone_number", "missing"), 1);
    QCOMPARE(occurrences(v, "current_status", "missing"), 1);
    // Field paths and problems, for the log.
    QVERIFY2(
        parsed.error().message.startsWith(QStringLiteral("getCalendarEventData current: email missing; ")),
        qPrintable(parsed.error().message));
    for (const DriftWarning& warning : v)
        QCOMPARE(warning.endpoint, QStringLiteral("getCalendarEventData"));

    // What the contract allows is still read, with drift where Neo was not quite as documented: an
    // unknown status is kept raw and mapped to unknown, an unknown field is counted.
    QJsonArray rows =
        QJsonDocument::fromJson(odis::test::readFixture(QStringLiteral("neo/schedule_current.json"))).array();
    QJsonObject lab = rows.at(0).toObject();
    lab.insert(QStringLiteral("current_status"), QStringLiteral("Awaiting Lab Results"));
    lab.insert(QStringLiteral("status_label"), QStringLiteral("Awaiting Lab Results"));
    lab.insert(QStringLiteral("colour"), QStringLiteral("#ff0000"));
    rows[0] = lab;
    const auto tolerated = parseNeoSchedule(jsonResponse(QJsonDocument(rows).toJson()));
    QVERIFY2(tolerated, tolerated ? "" : qPrintable(tolerated.error().toString()));
    const NeoScheduleEvent& first = tolerated->value.events.first();
    QCOMPARE(first.statusRaw, QStringLiteral("Awaiting Lab Results"));
    QCOMPARE(first.status, NeoStatus::Unknown);
    QCOMPARE(occurrences(tolerated->warnings, "current_status", "unknown status \"Awaiting Lab Results\""),
             1);
    QCOMPARE(occurrences(tolerated->warnings, "colour", "unknown field"), 1);
}

void NeoScheduleParserTest::unknownWrapperFieldIsDrift()
{
    const auto parsed = parseNeoSchedule(jsonResponse(R"({"events": [], "total": 0, "data": []})"));
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->value.shape, NeoScheduleShape::EventsObject);
    QVERIFY_WARNING(parsed->warnings, "total", "unknown field");
    QVERIFY_WARNING(parsed->warnings, "data", "unknown field");
    QCOMPARE(parsed->warnings.size(), 2);
}

void NeoScheduleParserTest::hostileValues()
{
    NeoAnswerCheck check;
    const auto parsed = parseNeoSchedule(neoFixture(QStringLiteral("schedule_hostile.json")), &check);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QStringLiteral("neo_layout_changed"));
    const QList<DriftWarning>& v = check.violations;
    for (const char* type : {"null", "number", "string", "array"})
        QVERIFY_WARNING(v, "(row)", QStringLiteral("%1 instead of object").arg(QLatin1StringView(type)));
    QCOMPARE(occurrences(v, "appointment_id", "id is not an integer"), 1);
    QCOMPARE(occurrences(v, "appointment_id", "id is not a decimal number"), 1);
    QCOMPARE(occurrences(v, "appointment_id", "id out of range"), 2);
    QVERIFY_WARNING(v, "patient_name", "object instead of string or null");
    QVERIFY_WARNING(v, "first_name", "array instead of string or null");
    QVERIFY_WARNING(v, "last_name", "number instead of string or null");
    QVERIFY_WARNING(v, "phone_number", "number instead of string or null");
    QVERIFY_WARNING(v, "email", "object instead of string or null");
    QVERIFY_WARNING(v, "current_status", "object instead of string or null");
    QVERIFY_WARNING(v, "is_roster", "not a boolean");
    QVERIFY_WARNING(v, "start", "has a time zone");
    QVERIFY_WARNING(v, "start", "not a calendar date");
    QVERIFY_WARNING(v, "consultation_id", "id is not a decimal number");
    QCOMPARE(occurrences(v, "patient_id", "id out of range"), 1);
    QCOMPARE(occurrences(v, "client_id", "id out of range"), 1);
}

void NeoScheduleParserTest::hugeValues()
{
    const QJsonObject row =
        QJsonDocument::fromJson(odis::test::readFixture(QStringLiteral("neo/schedule_current.json")))
            .array()
            .at(0)
            .toObject();
    QJsonObject big = row;
    big.insert(QStringLiteral("appointment_id"), 2);
    big.insert(QStringLiteral("patient_name"), QString(1'000'000, u'A'));
    big.insert(QStringLiteral("title"), QString(300'000, u'\u00E9'));
    QJsonArray rows{big};
    // Many rows with the same drift make one counted warning; many distinct unknown fields are capped.
    for (int i = 0; i < 3000; ++i) {
        QJsonObject r = row;
        r.insert(QStringLiteral("appointment_id"), 10 + i);
        r.insert(QStringLiteral("lane"), i);
        if (i < 300)
            r.insert(QStringLiteral("extra_%1").arg(i), i);
        rows.append(r);
    }
    NeoAnswerCheck check;
    const auto parsed =
        parseNeoSchedule(jsonResponse(QJsonDocument(rows).toJson(QJsonDocument::Compact)), &check);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().toString()));
    // The row whose values are too long is refused, never cut; the others are read.
    QCOMPARE(parsed->value.events.size(), 3000);
    QCOMPARE(parsed->value.refusedIds, QStringList{QStringLiteral("2")});
    QCOMPARE(check.refusals.size(), 2); // patient_name and title
    QCOMPARE(check.refusals.first().code, QString(neo_refusal::kValueTooLong));
    for (const NeoScheduleEvent& e : parsed->value.events)
        QVERIFY(e.patientName.size() < 1000);
    QCOMPARE(occurrences(parsed->warnings, "lane", "unknown field"), 3000);
    QCOMPARE(parsed->warnings.size(), DriftLog::kMaxDistinct + 1);
    QCOMPARE(parsed->warnings.last().field, QStringLiteral("*"));
}

void NeoScheduleParserTest::warningsCarryNoClinicData()
{
    // Warnings, violations and errors are logged and reported: field paths and status strings only, never
    // names, phones, e-mails or notes.
    const QStringList clinicData{"NALA",  "Chloé",  "Dubois",  "415-201", "@example", "Petrov", "Sato",
                                 "BELLA", "Nowak",  "Limping", "Cough",   "Rex",      "Ann\"",  "evil",
                                 "SIMBA", "alert(", "RRRR",    "12345",   "\u05E9",   "483100"};
    for (const char* fixture : {"schedule_drift.json", "schedule_hostile.json", "schedule_current.json"}) {
        NeoAnswerCheck check;
        const auto parsed = parseNeoSchedule(neoFixture(QString::fromUtf8(fixture)), &check);
        QStringList texts;
        for (const DriftWarning& warning : parsed ? parsed->warnings : check.violations)
            texts << warning.toString();
        if (!parsed)
            texts << parsed.error().message;
        for (const QString& text : std::as_const(texts)) {
            for (const QString& data : clinicData)
                QVERIFY2(!text.contains(data), qPrintable(QStringLiteral("%1 leaks \"%2\"").arg(text, data)));
        }
    }
}
