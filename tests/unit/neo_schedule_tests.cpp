// GET /appointments/getCalendarEventData: both shapes, every wrapper, the id rule, drift, hostile values.

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

Parsed<NeoSchedule> parsedFixture(const QString& name)
{
    odis::Result<Parsed<NeoSchedule>> parsed = parseNeoSchedule(neoFixture(name));
    if (!parsed)
        qFatal("%s does not parse: %s", qPrintable(name), qPrintable(parsed.error().toString()));
    return std::move(*parsed);
}

// In `changes`: the key is removed (QJsonObject cannot hold an undefined value).
const QJsonValue kAbsent(QStringLiteral("<absent>"));

// A current-shape row with every documented field, changed by `changes`.
QJsonObject currentRow(const QJsonObject& changes = {})
{
    QJsonObject row{{"id", 900500},
                    {"appointment_id", 483500},
                    {"consultation_id", QJsonValue()},
                    {"start", "2026-03-10 09:00:00"},
                    {"end", "2026-03-10 09:30:00"},
                    {"patient_id", 41800},
                    {"patient_name", "KIWI"},
                    {"client_id", 31100},
                    {"first_name", "Ada"},
                    {"last_name", "Lovelace"},
                    {"email", QJsonValue()},
                    {"phone_number", "415-201-8080"},
                    {"provider", "Dr. Amelia Chen"},
                    {"resourceId", "9"},
                    {"title", "KIWI; LOVELACE, ADA"},
                    {"type_description", "Exam"},
                    {"reason", ""},
                    {"current_status", "Scheduled"},
                    {"status_label", "Scheduled"},
                    {"is_block", false},
                    {"is_roster", false}};
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (it.value() == kAbsent)
            row.remove(it.key());
        else
            row.insert(it.key(), it.value());
    }
    return row;
}

QByteArray arrayOf(const QList<QJsonObject>& rows)
{
    QJsonArray array;
    for (const QJsonObject& row : rows)
        array.append(row);
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

void NeoScheduleParserTest::currentShapeFields_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QStringList>("ids");   // appointment, calendar event, consultation ("-": none)
    QTest::addColumn<QStringList>("times"); // start, end
    QTest::addColumn<QStringList>(
        "people"); // patient id, patient, client id, first, last, email, phone, provider
    QTest::addColumn<QStringList>("visit"); // resource, title, type, reason
    QTest::addColumn<QList<bool>>("flags"); // is_block, is_roster
    // clang-format off
    QTest::newRow("numbers") << 0
        << QStringList{"482913", "900211", "731204"}
        << QStringList{"2026-03-10 09:15:00", "2026-03-10 09:45:00"}
        << QStringList{"41207", "BISCUIT", "30518", "Jane", "Doe", "jane.doe@example.com", "415-201-3344",
                       "Dr. Amelia Chen"}
        << QStringList{"9", "BISCUIT; DOE, JANE", "Exam", "Annual wellness exam"}
        << QList<bool>{false, false};
    QTest::newRow("string ids, accents, two surnames") << 1
        << QStringList{"482914", "900212", "731205"}
        << QStringList{"2026-03-10 09:45:00", "2026-03-10 10:00:00"}
        << QStringList{"41388", "ZOÉ", "30602", "María José", "García López", "mj.garcia@example.es",
                       "(415) 201-4455", "Dr. Amelia Chen"}
        << QStringList{"9", "ZOÉ; GARCÍA LÓPEZ, MARÍA JOSÉ", "Vaccines", "DHPP booster"}
        << QList<bool>{false, false};
    QTest::newRow("future visit without consultation") << 2
        << QStringList{"482915", "900213", "-"}
        << QStringList{"2026-03-11 10:00:00", "2026-03-11 10:30:00"}
        << QStringList{"41502", "小白", "30777", "Wei", "Zhang", "", "+1 415 201 3344", "Dr. Rahul Patel"}
        << QStringList{"10", "小白; ZHANG, WEI", "Follow-up", "Recheck ears"}
        << QList<bool>{false, false};
    QTest::newRow("apostrophe, empty email") << 3
        << QStringList{"482916", "900214", "731206"}
        << QStringList{"2026-03-10 10:15:00", "2026-03-10 10:45:00"}
        << QStringList{"41519", "MAX", "30790", "Tom", "O'Brien", "", "4152013344", "Dr. Rahul Patel"}
        << QStringList{"10", "MAX; O'BRIEN, TOM", "Sick", "Vomiting since yesterday"}
        << QList<bool>{false, false};
    QTest::newRow("block keyed by its event id") << 8
        << QStringList{"900219", "900219", "-"}
        << QStringList{"2026-03-10 11:00:00", "2026-03-10 14:00:00"}
        << QStringList{"", "", "", "", "", "", "", "Dr. Rahul Patel"}
        << QStringList{"10", "Dr out 11:00am-2:00pm", "", ""}
        << QList<bool>{true, false};
    QTest::newRow("roster row") << 9
        << QStringList{"900220", "900220", "-"}
        << QStringList{"2026-03-10 08:00:00", "2026-03-10 17:00:00"}
        << QStringList{"", "", "", "", "", "", "", "Kim Lee"}
        << QStringList{"12", "Roster: Kim Lee (Tech) 8:00am-5:00pm", "", ""}
        << QList<bool>{false, true};
    QTest::newRow("ends the next day") << 10
        << QStringList{"482921", "900221", "731208"}
        << QStringList{"2026-03-10 22:30:00", "2026-03-11 07:00:00"}
        << QStringList{"41555", "SIR WOOFS-A-LOT", "30810", "Priya", "Raman", "priya.r@example.in",
                       "+1 (415) 201-3030", "Dr. Amelia Chen"}
        << QStringList{"11", "SIR WOOFS-A-LOT; RAMAN, PRIYA", "Hospitalization", "Overnight fluids"}
        << QList<bool>{false, false};
    // clang-format on
}

void NeoScheduleParserTest::currentShapeFields()
{
    QFETCH(int, index);
    QFETCH(QStringList, ids);
    QFETCH(QStringList, times);
    QFETCH(QStringList, people);
    QFETCH(QStringList, visit);
    QFETCH(QList<bool>, flags);
    const Parsed<NeoSchedule> parsed = parsedFixture(QStringLiteral("schedule_current.json"));
    QVERIFY_NO_WARNINGS(parsed.warnings);
    const NeoScheduleEvent& e = parsed.value.events.at(index);
    QCOMPARE(e.fields, NeoEventFields::Current);
    QCOMPARE(e.appointmentId, ids[0]);
    QCOMPARE(e.calendarEventId, ids[1]);
    QCOMPARE(e.consultationId.value_or(QStringLiteral("-")), ids[2]);
    QCOMPARE(e.start.toString(), times[0]);
    QCOMPARE(e.end.toString(), times[1]);
    QCOMPARE(e.patientId, people[0]);
    QCOMPARE(e.patientName, people[1]);
    QCOMPARE(e.clientId, people[2]);
    QCOMPARE(e.clientFirstName, people[3]);
    QCOMPARE(e.clientLastName, people[4]);
    QCOMPARE(e.email, people[5]);
    QCOMPARE(e.phoneRaw, people[6]);
    QCOMPARE(e.providerName, people[7]);
    QCOMPARE(e.clientNameRaw, QString());
    QCOMPARE(e.resourceId, visit[0]);
    QCOMPARE(e.title, visit[1]);
    QCOMPARE(e.appointmentType, visit[2]);
    QCOMPARE(e.reason, visit[3]);
    QCOMPARE(e.isBlock, flags[0]);
    QCOMPARE(e.isRoster, flags[1]);
}

void NeoScheduleParserTest::currentShapeStatuses_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("status");
    const QList<std::pair<const char*, const char*>> rows{
        {"Finalized", "completed"},   {"Ready to Pay", "completed"},  {"not arrived", "scheduled"},
        {"Checked In", "checked_in"}, {"In Progress", "in_progress"}, {"No Show", "no_show"},
        {"Cancelled", "cancelled"},   {"Confirmed", "scheduled"},     {"Scheduled", "scheduled"},
        {"Scheduled", "scheduled"},   {"Discharged", "completed"},    {"Finalized", "completed"}};
    for (int i = 0; i < rows.size(); ++i)
        QTest::addRow("row %d %s", i, rows[i].first)
            << i << QString::fromUtf8(rows[i].first) << QString::fromUtf8(rows[i].second);
}

void NeoScheduleParserTest::currentShapeStatuses()
{
    QFETCH(int, index);
    QFETCH(QString, raw);
    QFETCH(QString, status);
    const Parsed<NeoSchedule> parsed = parsedFixture(QStringLiteral("schedule_current.json"));
    QCOMPARE(parsed.value.events.size(), 12);
    QCOMPARE(parsed.value.droppedRows, 0);
    QCOMPARE(parsed.value.events.at(index).statusRaw, raw);
    QCOMPARE(statusName(parsed.value.events.at(index).status), status);
}

void NeoScheduleParserTest::olderShapeFields_data()
{
    QTest::addColumn<int>("index");
    // id, start, end, resource, patient, client raw, first, last, phone, provider, type, title, status raw,
    // status
    QTest::addColumn<QStringList>("row");
    QTest::addColumn<bool>("isBlock");
    // clang-format off
    QTest::newRow("LAST, FIRST") << 0
        << QStringList{"482913", "2026-03-10 09:15:00", "2026-03-10 09:45:00", "room-1", "BISCUIT", "DOE, JANE",
                       "JANE", "DOE", "415-201-3344", "Dr. Amelia Chen", "Exam", "BISCUIT; DOE, JANE", "Finalized",
                       "completed"}
        << false;
    QTest::newRow("status from className, First Last") << 1
        << QStringList{"482914", "2026-03-10 09:45:00", "2026-03-10 10:00:00", "room-1", "ZOÉ",
                       "María José García López", "María", "José García López", "(415) 201-4455", "Dr. Amelia Chen",
                       "Vaccines", "ZOÉ; GARCÍA LÓPEZ, MARÍA JOSÉ", "ready-to-pay", "completed"}
        << false;
    QTest::newRow("no show") << 2
        << QStringList{"482918", "2026-03-10 14:00:00", "2026-03-10 14:15:00", "room-2", "ROCKY", "SMITH, BOB",
                       "BOB", "SMITH", "", "Dr. Rahul Patel", "Follow-up", "ROCKY; SMITH, BOB", "No Show", "no_show"}
        << false;
    QTest::newRow("null status, several classes") << 3
        << QStringList{"482920", "2026-03-11 08:30:00", "2026-03-11 09:00:00", "room-2", "PEPPER", "Nguyen", "",
                       "Nguyen", "(415) 201-2222", "Dr. Rahul Patel", "Exam", "PEPPER; NGUYEN, LIAM", "not-arrived",
                       "scheduled"}
        << false;
    QTest::newRow("block by class") << 4
        << QStringList{"900219", "2026-03-10 11:00:00", "2026-03-10 14:00:00", "room-2", "", "", "", "", "",
                       "Dr. Rahul Patel", "", "Dr out 11:00am-2:00pm", "Scheduled", "scheduled"}
        << true;
    // clang-format on
}

void NeoScheduleParserTest::olderShapeFields()
{
    QFETCH(int, index);
    QFETCH(QStringList, row);
    QFETCH(bool, isBlock);
    const Parsed<NeoSchedule> parsed = parsedFixture(QStringLiteral("schedule_older_events.json"));
    QVERIFY_NO_WARNINGS(parsed.warnings);
    QCOMPARE(parsed.value.shape, NeoScheduleShape::EventsObject);
    const NeoScheduleEvent& e = parsed.value.events.at(index);
    QCOMPARE(e.fields, NeoEventFields::Older);
    QCOMPARE(e.appointmentId, row[0]);
    QCOMPARE(e.calendarEventId, row[0]);
    QCOMPARE(e.consultationId, std::optional<QString>());
    QCOMPARE(e.start.toString(), row[1]);
    QCOMPARE(e.end.toString(), row[2]);
    QCOMPARE(e.resourceId, row[3]);
    QCOMPARE(e.patientName, row[4]);
    QCOMPARE(e.clientNameRaw, row[5]);
    QCOMPARE(e.clientFirstName, row[6]);
    QCOMPARE(e.clientLastName, row[7]);
    QCOMPARE(e.phoneRaw, row[8]);
    QCOMPARE(e.providerName, row[9]);
    QCOMPARE(e.appointmentType, row[10]);
    QCOMPARE(e.title, row[11]);
    QCOMPARE(e.statusRaw, row[12]);
    QCOMPARE(statusName(e.status), row[13]);
    QCOMPARE(e.isBlock, isBlock);
    QCOMPARE(e.isRoster, false);
    QCOMPARE(e.patientId, QString());
    QCOMPARE(e.clientId, QString());
    QCOMPARE(e.email, QString());
}

void NeoScheduleParserTest::wrappers_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<NeoScheduleShape>("shape");
    QTest::addColumn<NeoEventFields>("fields");
    QTest::addColumn<QStringList>("ids");
    QTest::newRow("bare array") << "schedule_current.json" << NeoScheduleShape::BareArray
                                << NeoEventFields::Current
                                << QStringList{"482913", "482914", "482915", "482916", "482917", "482918",
                                               "482919", "482920", "900219", "900220", "482921", "482922"};
    QTest::newRow("events") << "schedule_older_events.json" << NeoScheduleShape::EventsObject
                            << NeoEventFields::Older
                            << QStringList{"482913", "482914", "482918", "482920", "900219"};
    QTest::newRow("appointments") << "schedule_wrapper_appointments.json"
                                  << NeoScheduleShape::AppointmentsObject << NeoEventFields::Current
                                  << QStringList{"482913", "482920"};
    QTest::newRow("data") << "schedule_wrapper_data.json" << NeoScheduleShape::DataObject
                          << NeoEventFields::Older << QStringList{"482913", "482916"};
}

void NeoScheduleParserTest::wrappers()
{
    QFETCH(QString, fixture);
    QFETCH(NeoScheduleShape, shape);
    QFETCH(NeoEventFields, fields);
    QFETCH(QStringList, ids);
    const Parsed<NeoSchedule> parsed = parsedFixture(fixture);
    QVERIFY_NO_WARNINGS(parsed.warnings);
    QCOMPARE(parsed.value.shape, shape);
    QStringList got;
    for (const NeoScheduleEvent& e : parsed.value.events) {
        QCOMPARE(e.fields, fields);
        got << e.appointmentId;
    }
    QCOMPARE(got, ids);
    // The same visit reads the same whichever shape carried it.
    const NeoScheduleEvent& biscuit = parsed.value.events.first();
    QCOMPARE(biscuit.patientName, QStringLiteral("BISCUIT"));
    QCOMPARE(biscuit.start.toString(), QStringLiteral("2026-03-10 09:15:00"));
    QCOMPARE(biscuit.status, NeoStatus::Completed);
    QCOMPARE(biscuit.clientLastName.toUpper(), QStringLiteral("DOE"));
}

void NeoScheduleParserTest::emptyScheduleIsData_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<NeoScheduleShape>("shape");
    QTest::newRow("[]") << QByteArray("[]") << NeoScheduleShape::BareArray;
    QTest::newRow("events") << QByteArray("{\"events\": []}") << NeoScheduleShape::EventsObject;
    QTest::newRow("appointments") << QByteArray(" {\"appointments\":[]} ")
                                  << NeoScheduleShape::AppointmentsObject;
    QTest::newRow("data, BOM") << QByteArray("\xEF\xBB\xBF{\"data\":[]}") << NeoScheduleShape::DataObject;
}

void NeoScheduleParserTest::emptyScheduleIsData()
{
    QFETCH(QByteArray, body);
    QFETCH(NeoScheduleShape, shape);
    const auto parsed = parseNeoSchedule(jsonResponse(body));
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QCOMPARE(parsed->value.shape, shape);
    QVERIFY(parsed->value.events.isEmpty());
    QVERIFY_NO_WARNINGS(parsed->warnings);
}

// The key of a row: appointment_id when it is a valid id, else id when appointment_id is null. A row
// whose key cannot be read breaks the contract (neo_contract.h): the whole answer is refused, never the
// row dropped (a dropped row would look removed) and never keyed by the calendar id instead.
void NeoScheduleParserTest::appointmentIdRule_data()
{
    QTest::addColumn<QJsonObject>("changes");
    QTest::addColumn<QString>("appointmentId"); // "" when the answer is refused
    QTest::addColumn<QString>("calendarEventId");
    QTest::addColumn<QString>("violationField");
    QTest::addColumn<QString>("violationDetail");
    QTest::newRow("appointment_id preferred") << QJsonObject{} << "483500"
                                              << "900500"
                                              << ""
                                              << "";
    QTest::newRow("null appointment_id: id") << QJsonObject{{"appointment_id", QJsonValue()}} << "900500"
                                             << "900500"
                                             << ""
                                             << "";
    QTest::newRow("padded string") << QJsonObject{{"appointment_id", " 000483500"}} << "483500"
                                   << "900500"
                                   << ""
                                   << "";
    QTest::newRow("absent appointment_id: refused") << QJsonObject{{"appointment_id", kAbsent}} << ""
                                                    << ""
                                                    << "appointment_id"
                                                    << "missing";
    QTest::newRow("invalid appointment_id: refused, never id")
        << QJsonObject{{"appointment_id", 483500.5}} << ""
        << ""
        << "appointment_id"
        << "id is not an integer";
    QTest::newRow("zero appointment_id: refused") << QJsonObject{{"appointment_id", 0}} << ""
                                                  << ""
                                                  << "appointment_id"
                                                  << "id out of range";
    QTest::newRow("invalid id: refused") << QJsonObject{{"id", "x"}} << ""
                                         << ""
                                         << "id"
                                         << "id is not a decimal number";
    QTest::newRow("no id at all: refused")
        << QJsonObject{{"id", kAbsent}, {"appointment_id", QJsonValue()}} << ""
        << ""
        << "id"
        << "missing";
}

void NeoScheduleParserTest::appointmentIdRule()
{
    QFETCH(QJsonObject, changes);
    QFETCH(QString, appointmentId);
    QFETCH(QString, calendarEventId);
    QFETCH(QString, violationField);
    QFETCH(QString, violationDetail);
    NeoAnswerCheck check;
    const auto parsed = parseNeoSchedule(jsonResponse(arrayOf({currentRow(changes)})), &check);
    if (appointmentId.isEmpty()) {
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, QStringLiteral("neo_layout_changed"));
        QVERIFY_WARNING(check.violations, violationField, violationDetail);
        return;
    }
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->value.events.size(), 1);
    QCOMPARE(parsed->value.events.first().appointmentId, appointmentId);
    QCOMPARE(parsed->value.events.first().calendarEventId, calendarEventId);
    QVERIFY_NO_WARNINGS(parsed->warnings);
}

// Hostile rows (issue 16, item 4): repeated ids keep Neo's first row and say so; overlapping visits, far
// dates, daylight-saving gaps and script or SQL in names are data, read as given.
void NeoScheduleParserTest::hostileRows_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<int>("dropped");
    QTest::addColumn<QString>("firstName");
    const QJsonObject other{{"patient_name", "MALLORY"}, {"first_name", "Eve"}};
    QTest::newRow("duplicate id, other content")
        << arrayOf({currentRow(), currentRow(other)}) << QStringList{"483500"} << 1 << "Ada";
    QTest::newRow("duplicate id as number and as text")
        << arrayOf({currentRow(),
                    currentRow(QJsonObject{{"appointment_id", " 000483500"}, {"first_name", "Eve"}})})
        << QStringList{"483500"} << 1 << "Ada";
    QTest::newRow("duplicate id three times") << arrayOf({currentRow(), currentRow(other), currentRow(other)})
                                              << QStringList{"483500"} << 2 << "Ada";
    QTest::newRow("overlapping visits, same room")
        << arrayOf({currentRow(), currentRow(QJsonObject{{"id", 900501}, {"appointment_id", 483501}})})
        << QStringList{"483500", "483501"} << 0 << "Ada";
    QTest::newRow("1970") << arrayOf({currentRow(QJsonObject{{"start", "1970-01-01 00:00:00"},
                                                             {"end", "1970-01-01 00:30:00"}})})
                          << QStringList{"483500"} << 0 << "Ada";
    QTest::newRow("2100") << arrayOf({currentRow(QJsonObject{{"start", "2100-12-31 23:30:00"},
                                                             {"end", "2100-12-31 24:00:00"}})})
                          << QStringList{"483500"} << 0 << "Ada";
    QTest::newRow("in the spring-forward gap")
        << arrayOf(
               {currentRow(QJsonObject{{"start", "2026-03-08 02:30:00"}, {"end", "2026-03-08 03:00:00"}})})
        << QStringList{"483500"} << 0 << "Ada";
    QTest::newRow("script and SQL in names")
        << arrayOf({currentRow(QJsonObject{{"first_name", "Robert'); DROP TABLE outbox;--"},
                                           {"patient_name", "<script>alert(1)</script>"}})})
        << QStringList{"483500"} << 0 << "Robert'); DROP TABLE outbox;--";
}

void NeoScheduleParserTest::hostileRows()
{
    QFETCH(QByteArray, answer);
    QFETCH(QStringList, ids);
    QFETCH(int, dropped);
    QFETCH(QString, firstName);
    const auto parsed = parseNeoSchedule(jsonResponse(answer));
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().toString()));
    QStringList read;
    for (const NeoScheduleEvent& event : parsed->value.events)
        read.append(event.appointmentId);
    QCOMPARE(read, ids);
    QCOMPARE(parsed->value.droppedRows, dropped);
    QCOMPARE(parsed->value.events.first().clientFirstName, firstName);
    const auto* warning =
        findWarning(parsed->warnings, QStringLiteral("(row)"), QStringLiteral("dropped: repeats"));
    QCOMPARE(warning != nullptr, dropped > 0);
    QCOMPARE(warning ? warning->occurrences : 0, dropped);
}
