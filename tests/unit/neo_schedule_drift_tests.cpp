// GET /appointments/getCalendarEventData: drift warnings and hostile values.

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

Parsed<NeoSchedule> parsedFixture(const QString& name)
{
    odis::Result<Parsed<NeoSchedule>> parsed = parseNeoSchedule(neoFixture(name));
    if (!parsed)
        qFatal("%s does not parse: %s", qPrintable(name), qPrintable(parsed.error().toString()));
    return std::move(*parsed);
}

int occurrences(const QList<DriftWarning>& warnings, const QString& field, const QString& detail)
{
    const DriftWarning* w = findWarning(warnings, field, detail);
    return w ? w->occurrences : 0;
}

const NeoScheduleEvent& eventById(const NeoSchedule& schedule, const QString& id)
{
    for (const NeoScheduleEvent& event : schedule.events) {
        if (event.appointmentId == id)
            return event;
    }
    qFatal("no event %s", qPrintable(id));
}

} // namespace

void NeoScheduleParserTest::driftWarnings()
{
    const Parsed<NeoSchedule> parsed = parsedFixture(QStringLiteral("schedule_drift.json"));
    const QList<DriftWarning>& w = parsed.warnings;
    // Rows are kept whenever they have a key; the two without one are counted, never silently lost.
    QCOMPARE(parsed.value.events.size(), 3);
    QCOMPARE(parsed.value.droppedRows, 2);
    QCOMPARE(occurrences(w, "(row)", "dropped: no usable id"), 2);
    QCOMPARE(occurrences(w, "id", "missing"), 2);
    QCOMPARE(occurrences(w, "appointment_id", "missing"), 1);

    // Unknown status: kept raw, mapped to unknown, reported with the status string and field.
    const NeoScheduleEvent& lab = parsed.value.events.at(0);
    QCOMPARE(lab.statusRaw, QStringLiteral("Awaiting Lab Results"));
    QCOMPARE(lab.status, NeoStatus::Unknown);
    QCOMPARE(occurrences(w, "current_status", "unknown status \"Awaiting Lab Results\""), 2);
    QCOMPARE(occurrences(w, "status_label", "unknown status \"Awaiting Lab Results\""), 1);

    // Unknown fields: one warning per field name, counted.
    QCOMPARE(occurrences(w, "colour", "unknown field"), 2);
    QCOMPARE(occurrences(w, "invoice_total", "unknown field"), 1);

    // Missing fields: named; the row stays.
    QCOMPARE(occurrences(w, "email", "missing"), 1);
    QCOMPARE(occurrences(w, "consultation_id", "missing"), 1);
    QCOMPARE(occurrences(w, "phone_number", "missing"), 1);
    QCOMPARE(parsed.value.events.at(1).email, QString());

    // A status found in status_label when current_status is gone is not drift by itself.
    const NeoScheduleEvent& toby = parsed.value.events.at(2);
    QCOMPARE(toby.statusRaw, QStringLiteral("Finalized"));
    QCOMPARE(toby.status, NeoStatus::Completed);
    QCOMPARE(toby.consultationId, std::optional<QString>());
    QVERIFY(!findWarning(w, "current_status", "missing"));

    QCOMPARE(w.size(), 10);
    for (const DriftWarning& warning : w)
        QCOMPARE(warning.endpoint, QStringLiteral("getCalendarEventData"));
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
    const Parsed<NeoSchedule> parsed = parsedFixture(QStringLiteral("schedule_hostile.json"));
    const NeoSchedule& s = parsed.value;
    const QList<DriftWarning>& w = parsed.warnings;
    QCOMPARE(s.events.size(), 4);
    QCOMPARE(s.droppedRows, 9);
    QCOMPARE(occurrences(w, "(row)", "dropped: invalid appointment_id"), 4);
    QCOMPARE(occurrences(w, "appointment_id", "id is not an integer"), 1);
    QCOMPARE(occurrences(w, "appointment_id", "id is not a decimal number"), 1);
    QCOMPARE(occurrences(w, "appointment_id", "id out of range"), 2);
    for (const char* type : {"null", "number", "string", "array"})
        QVERIFY_WARNING(w, "(row)",
                        QStringLiteral("dropped: %1 instead of an object").arg(QLatin1StringView(type)));
    QCOMPARE(occurrences(w, "(row)", "dropped: repeats an appointment id"), 1);

    // Nested objects and arrays where strings were expected: empty, with a warning naming the field.
    const NeoScheduleEvent& nested = eventById(s, "483100");
    QCOMPARE(nested.patientName, QString());
    QVERIFY_WARNING(w, "patient_name", "object instead of string");
    QCOMPARE(nested.clientFirstName, QString());
    QVERIFY_WARNING(w, "first_name", "array instead of string");
    QCOMPARE(nested.clientLastName, QStringLiteral("12345"));
    QVERIFY_WARNING(w, "last_name", "number instead of string");
    QCOMPARE(nested.phoneRaw, QStringLiteral("4152013344"));
    QVERIFY_WARNING(w, "phone_number", "number instead of string");
    QCOMPARE(nested.email, QString());
    QVERIFY_WARNING(w, "email", "object instead of string");
    QCOMPARE(nested.status, NeoStatus::Unknown);
    QCOMPARE(nested.statusRaw, QString());
    QVERIFY_WARNING(w, "current_status", "object instead of string");
    QVERIFY_WARNING(w, "current_status", "empty");
    QCOMPARE(nested.isBlock, false); // "0"
    QCOMPARE(nested.isRoster, false);
    QVERIFY_WARNING(w, "is_roster", "not a boolean");
    QCOMPARE(nested.patientName, QString()); // and the first row with this id won over the duplicate

    // Unicode: NFC, white space collapsed, bidi controls and emoji kept as data, nothing else touched.
    const NeoScheduleEvent& unicode = eventById(s, "483101");
    QCOMPARE(unicode.patientName, QStringLiteral("M\u00E1ria \u202Eevil\u202C \U0001F436")); // "Ma" + U+0301
    QCOMPARE(unicode.clientFirstName, QStringLiteral("\u05E9\u05E8\u05D4"));
    QCOMPARE(unicode.clientLastName, QStringLiteral("\u0627\u0644\u0639\u0644\u064A"));
    QCOMPARE(unicode.title, QStringLiteral("<script>alert('x')</script>"));
    QCOMPARE(unicode.reason, QString(kMaxShortText, u'R'));
    QVERIFY_WARNING(w, "reason", "longer than 2000 characters, truncated");
    QVERIFY(!unicode.start.isValid());
    QVERIFY_WARNING(w, "start", "has a time zone");
    QCOMPARE(unicode.end.toString(), QStringLiteral("2026-03-10 08:00:00"));

    const NeoScheduleEvent& reversed = eventById(s, "483102");
    QVERIFY_WARNING(w, "end", "before start");
    QCOMPARE(reversed.appointmentType, QStringLiteral("\u0000\u0007Exam"));
    QCOMPARE(reversed.patientName, QStringLiteral("\U0001F408 SIMBA"));
    QVERIFY(reversed.providerName.startsWith(u"Dr. ")); // a lone surrogate does not break anything

    const NeoScheduleEvent& badIds = eventById(s, "483103");
    QCOMPARE(badIds.consultationId, std::optional<QString>());
    QVERIFY_WARNING(w, "consultation_id", "id is not a decimal number");
    QCOMPARE(badIds.patientId, QString());
    QCOMPARE(badIds.clientId, QString());
    QCOMPARE(occurrences(w, "patient_id", "id out of range"), 1);
    QCOMPARE(occurrences(w, "client_id", "id out of range"), 1);
    QVERIFY(!badIds.start.isValid());
    QVERIFY_WARNING(w, "start", "not a calendar date");
    QCOMPARE(badIds.providerName, QString());
    QCOMPARE(badIds.resourceId, QStringLiteral("11"));
    QCOMPARE(badIds.isBlock, false);
}

void NeoScheduleParserTest::hugeValues()
{
    QJsonObject big{{"id", 1},
                    {"appointment_id", 2},
                    {"patient_name", QString(1'000'000, u'A')},
                    {"title", QString(300'000, u'\u00E9')},
                    {"is_block", false},
                    {"is_roster", false}};
    QJsonArray rows{big};
    // Many rows with the same drift make one counted warning; many distinct unknown fields are capped.
    for (int i = 0; i < 3000; ++i) {
        QJsonObject row{{"id", 10 + i}, {"is_block", true}, {"is_roster", false}, {"lane", i}};
        if (i < 300)
            row.insert(QStringLiteral("extra_%1").arg(i), i);
        rows.append(row);
    }
    const auto parsed = parseNeoSchedule(jsonResponse(QJsonDocument(rows).toJson(QJsonDocument::Compact)));
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->value.events.size(), 3001);
    QCOMPARE(parsed->value.events.first().patientName.size(), kMaxShortText);
    QCOMPARE(parsed->value.events.first().title.size(), kMaxShortText);
    QCOMPARE(occurrences(parsed->warnings, "lane", "unknown field"), 3000);
    QCOMPARE(parsed->warnings.size(), DriftLog::kMaxDistinct + 1);
    QCOMPARE(parsed->warnings.last().field, QStringLiteral("*"));
}

void NeoScheduleParserTest::warningsCarryNoClinicData()
{
    // Warnings are logged: field names and status strings only, never names, phones, e-mails or notes.
    const QStringList clinicData{"NALA",  "Chloé",  "Dubois",  "415-201", "@example", "Petrov", "Sato",
                                 "BELLA", "Nowak",  "Limping", "Cough",   "Rex",      "Ann\"",  "evil",
                                 "SIMBA", "alert(", "RRRR",    "12345",   "\u05E9",   "483100"};
    for (const char* fixture : {"schedule_drift.json", "schedule_hostile.json", "schedule_current.json"}) {
        const Parsed<NeoSchedule> parsed = parsedFixture(QString::fromUtf8(fixture));
        for (const DriftWarning& warning : parsed.warnings) {
            for (const QString& data : clinicData) {
                QVERIFY2(!warning.toString().contains(data),
                         qPrintable(QStringLiteral("%1 leaks \"%2\"").arg(warning.toString(), data)));
            }
        }
    }
}
