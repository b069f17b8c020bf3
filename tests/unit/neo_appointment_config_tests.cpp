// GET /appointments/getAppointment, /schedule/getScheduleConfigs and /appointments/getAppointmentView.

#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_config_parser.h"
#include "sync/core/neo_contract.h"
#include "tests/unit/neo_parser_tests.h"
#include "tests/unit/neo_test_support.h"

#include <QTest>

using namespace odis::sync;
using odis::test::jsonResponse;
using odis::test::neoFixture;

void NeoAppointmentConfigParserTest::appointmentDetail()
{
    const auto parsed = parseNeoAppointment(neoFixture(QStringLiteral("appointment_detail.json")), u"482916");
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QVERIFY_NO_WARNINGS(parsed->warnings);
    const NeoAppointmentDetail& a = parsed->value;
    QCOMPARE(a.id, QStringLiteral("482916"));
    QCOMPARE(a.statusRaw, QStringLiteral("Finalized"));
    QCOMPARE(a.status, NeoStatus::Completed);
    QCOMPARE(a.start.toString(), QStringLiteral("2026-03-10 10:15:00"));
    QCOMPARE(a.deleted, false);
    QCOMPARE(a.isBlock, false);
    // Only what the agent reads: the phones, and whether the appointment is still where it was.
    QCOMPARE(a.client.homePhone, QStringLiteral("(415) 201-7788"));
    QCOMPARE(a.client.mobilePhone, QStringLiteral("+1 415 201 3344"));
}

void NeoAppointmentConfigParserTest::appointmentCancelledDeleted()
{
    const auto parsed =
        parseNeoAppointment(neoFixture(QStringLiteral("appointment_detail_cancelled.json")), u"482919");
    QVERIFY(parsed.has_value());
    QVERIFY_NO_WARNINGS(parsed->warnings);
    const NeoAppointmentDetail& a = parsed->value;
    QCOMPARE(a.id, QStringLiteral("482919"));
    QCOMPARE(a.status, NeoStatus::Cancelled);
    QCOMPARE(a.start.toString(), QStringLiteral("2026-03-10 15:00:00"));
    QCOMPARE(a.deleted, true);  // 1
    QCOMPARE(a.isBlock, false); // 0
    QCOMPARE(a.client.homePhone, QStringLiteral("415-201-1111"));
    QCOMPARE(a.client.mobilePhone, QString());
}

void NeoAppointmentConfigParserTest::appointmentBlock()
{
    const QByteArray body =
        R"({"appointment":{"id":"900219","status":null,"startAtLocal":"2026-03-10 11:00:00",
        "endAtLocal":"2026-03-10 14:00:00","notes":"Dr out","deleted":false,"block":true,"bookedBy":null,
        "createdAt":null,"patient":null,"appointmentRoom":{"id":"10","name":"Exam 2"},"cancelledReason":null}})";
    const auto parsed = parseNeoAppointment(jsonResponse(body), u"900219");
    QVERIFY(parsed.has_value());
    QVERIFY_NO_WARNINGS(parsed->warnings); // a block has no patient, provider, type or status
    QCOMPARE(parsed->value.isBlock, true);
    QCOMPARE(parsed->value.status, NeoStatus::Unknown);
    QCOMPARE(parsed->value.client, NeoAppointmentClient{});
}

// The type, the room, the provider and the rest are not read (sync/core/neo_contract.h): whatever form
// they take refuses nothing.
void NeoAppointmentConfigParserTest::appointmentTypeWithoutId()
{
    const QByteArray body =
        R"({"appointment":{"id":"482916","status":"Finalized","startAtLocal":"2026-03-10 10:15:00",
        "endAtLocal":"2026-03-10 10:45:00","notes":"","deleted":false,"block":false,"bookedBy":null,
        "createdAt":null,"patient":{"id":41519,"name":"MAX","breed":"Beagle",
        "species":{"id":1,"name":"Canine"},"gender":[],"client":{"id":30790,
        "firstName":"Tom","lastName":"O'Brien","email":null,"homePhone":null,"mobilePhone":"415-201-3344"}},
        "appointmentType":{"name":"Sick","duration":30},
        "appointmentRoom":"Exam 2","provider":42,"cancelledReason":null}})";
    const auto parsed = parseNeoAppointment(jsonResponse(body), u"482916");
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QVERIFY_NO_WARNINGS(parsed->warnings);
    QCOMPARE(parsed->value.client.mobilePhone, QStringLiteral("415-201-3344"));
}

void NeoAppointmentConfigParserTest::appointmentIdMismatch()
{
    const auto other = parseNeoAppointment(neoFixture(QStringLiteral("appointment_detail.json")), u"482917");
    QVERIFY(!other);
    QCOMPARE(other.error().code, QString(neo_error::kIdMismatch));
    const auto padded =
        parseNeoAppointment(neoFixture(QStringLiteral("appointment_detail.json")), u"00482916");
    QVERIFY(padded.has_value());
    QCOMPARE(padded->value.id, QStringLiteral("482916"));
}

// What breaks the contract refuses the answer; an unknown status or field is drift it tolerates.
void NeoAppointmentConfigParserTest::appointmentDrift()
{
    const QByteArray broken =
        R"({"appointment":{"id":482916,"status":"Billing","startAtLocal":"2026-03-10 10:15:00",
        "deleted":"no","block":false,"patient":{"client":{"mobilePhone":"415-201-3344"}}}})";
    NeoAnswerCheck check;
    const auto refused = parseNeoAppointment(jsonResponse(broken), u"482916", &check);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QStringLiteral("neo_layout_changed"));
    QVERIFY_WARNING(check.violations, "appointment.deleted", "not a boolean");
    QVERIFY_WARNING(check.violations, "appointment.patient.client.homePhone", "missing");
    QCOMPARE(check.violations.size(), 2);

    const QByteArray drifted =
        R"({"appointment":{"id":482916,"status":"Billing","startAtLocal":"2026-03-10 10:15:00",
        "deleted":0,"block":false,"patient":{"client":{"homePhone":null,"mobilePhone":"415-201-3344",
        "workPhone":"415-201-0001"}},"reminderSent":true}})";
    const auto parsed = parseNeoAppointment(jsonResponse(drifted), u"482916");
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    const QList<DriftWarning>& w = parsed->warnings;
    QVERIFY_WARNING(w, "appointment.status", "unknown status \"Billing\"");
    QVERIFY_WARNING(w, "appointment.patient.client.workPhone", "unknown field");
    QVERIFY_WARNING(w, "appointment.reminderSent", "unknown field");
    QCOMPARE(w.size(), 3);
    QCOMPARE(parsed->value.client.mobilePhone, QStringLiteral("415-201-3344"));
    QCOMPARE(parsed->value.client.homePhone, QString());
    QCOMPARE(parsed->value.deleted, false);
    QCOMPARE(parsed->value.statusRaw, QStringLiteral("Billing"));
}

void NeoAppointmentConfigParserTest::scheduleConfigs()
{
    const auto parsed = parseNeoScheduleConfigs(neoFixture(QStringLiteral("schedule_configs.json")));
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QVERIFY_NO_WARNINGS(parsed->warnings);
    const NeoScheduleConfig& c = parsed->value;
    QCOMPARE(c.businessHours.daysOfWeek, (QList<int>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(c.businessHours.startMinutes, std::optional<int>(8 * 60));
    QCOMPARE(c.businessHours.endMinutes, std::optional<int>(18 * 60));
    QCOMPARE(c.slotMinutes, std::optional<int>(15));
    QCOMPARE(c.minMinutes, std::optional<int>(7 * 60));
    QCOMPARE(c.maxMinutes, std::optional<int>(24 * 60));
    QCOMPARE(c.providers.size(), 2);
    QCOMPARE(c.providers[0].id, QStringLiteral("5101"));
    QCOMPARE(c.providers[0].name, QStringLiteral("Dr. Amelia Chen"));
    QCOMPARE(c.providers[0].color, QStringLiteral("#4caf50"));
    QCOMPARE(c.providers[1].id, QStringLiteral("5102"));
    QCOMPARE(c.rooms.size(), 3);
    QCOMPARE(c.rooms[0].id, QStringLiteral("9"));
    QCOMPARE(c.rooms[1].id, QStringLiteral("10"));
    QCOMPARE(c.rooms[2].id, QStringLiteral("room-3"));
    QCOMPARE(c.rooms[2].name, QStringLiteral("Surgery"));
    QCOMPARE(c.rooms[2].position, std::optional<int>());
}

void NeoAppointmentConfigParserTest::appointmentView()
{
    const auto parsed = parseNeoAppointmentView(neoFixture(QStringLiteral("appointment_view.json")));
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QVERIFY_NO_WARNINGS(parsed->warnings);
    const NeoAppointmentView& v = parsed->value;
    QCOMPARE(v.slotMinutes, std::optional<int>(15)); // "00:15:00"
    QCOMPARE(v.businessHours.size(), 2);
    QCOMPARE(v.businessHours[0].daysOfWeek, (QList<int>{1, 2, 3, 4, 5}));
    QCOMPARE(v.businessHours[0].startMinutes, std::optional<int>(480));
    QCOMPARE(v.businessHours[0].endMinutes, std::optional<int>(1080));
    QCOMPARE(v.businessHours[1].daysOfWeek, (QList<int>{6}));
    QCOMPARE(v.businessHours[1].startMinutes, std::optional<int>(540));
    QCOMPARE(v.businessHours[1].endMinutes, std::optional<int>(780));
    QCOMPARE(v.appointmentTypes.size(), 4);
    QCOMPARE(v.appointmentTypes[3].id, QStringLiteral("19"));
    QCOMPARE(v.appointmentTypes[3].name, QStringLiteral("Euthanasia"));
    QCOMPARE(v.appointmentTypes[3].durationMinutes, std::optional<int>(60));
    QCOMPARE(v.appointmentTypes[3].color, QStringLiteral("#9e9e9e"));
    QCOMPARE(v.rooms.size(), 3);
    QCOMPARE(v.rooms[2].id, QStringLiteral("11"));
    QCOMPARE(v.rooms[2].position, std::optional<int>(3));
    QCOMPARE(v.providers.size(), 2);
    QCOMPARE(v.providers[0].isProvider, std::optional<bool>(true));
    QCOMPARE(v.providers[1].isProvider, std::optional<bool>(false));
    QCOMPARE(v.providers[1].name, QStringLiteral("Kim Lee"));
}

void NeoAppointmentConfigParserTest::configDrift()
{
    const QByteArray configs =
        R"({"businessHours":{"start":"8am","end":"18:00","daysOfWeek":[1,"2",9,"x",2.5,null]},
        "slotDuration":"fifteen","minTime":"07:00","maxTime":"24:30","providers":[{"id":"abc","name":"X","color":null},
        3],"rooms":[],"timezone":"America/Los_Angeles"})";
    const auto parsed = parseNeoScheduleConfigs(jsonResponse(configs));
    QVERIFY(parsed.has_value());
    const QList<DriftWarning>& w = parsed->warnings;
    QCOMPARE(parsed->value.businessHours.daysOfWeek, (QList<int>{1, 2}));
    QCOMPARE(w.at(0).field, QStringLiteral("timezone"));
    QVERIFY_WARNING(w, "timezone", "unknown field");
    QVERIFY_WARNING(w, "businessHours.start", "not a time of day");
    QCOMPARE(parsed->value.businessHours.startMinutes, std::optional<int>());
    QVERIFY_WARNING(w, "businessHours.daysOfWeek[]", "string instead of number");
    QCOMPARE(odis::test::findWarning(w, "businessHours.daysOfWeek[]", "not a day number")->occurrences, 4);
    QVERIFY_WARNING(w, "slotDuration", "not minutes or HH:MM");
    QVERIFY_WARNING(w, "maxTime", "not a time of day");
    QVERIFY_WARNING(w, "providers[].id", "id is not a decimal number");
    QVERIFY_WARNING(w, "providers[]", "number instead of an object, skipped");
    QCOMPARE(parsed->value.providers.size(), 1);
    QCOMPARE(parsed->value.minMinutes, std::optional<int>(420));

    const QByteArray view = R"({"slotInterval":15,"businessHours":{"daysOfWeek":[1]},"appointmentTypes":[
        {"id":11,"name":"Exam","duration":-5}],"appointmentRooms":[{"id":9,"name":"Exam 1","position":"1"}],
        "providers":[{"id":5101,"name":"Dr. Amelia Chen"}]})";
    const auto parsedView = parseNeoAppointmentView(jsonResponse(view));
    QVERIFY(parsedView.has_value());
    const QList<DriftWarning>& vw = parsedView->warnings;
    QVERIFY_WARNING(vw, "businessHours", "object instead of array");
    QVERIFY_WARNING(vw, "appointmentTypes[].duration", "not a whole number of minutes");
    QVERIFY_WARNING(vw, "appointmentTypes[].color", "missing");
    QVERIFY_WARNING(vw, "appointmentRooms[].position", "string instead of number");
    QVERIFY_WARNING(vw, "providers[].provider", "missing");
    QCOMPARE(parsedView->value.rooms.first().id, QStringLiteral("9"));
    QCOMPARE(parsedView->value.rooms.first().position, std::optional<int>(1));
    QCOMPARE(parsedView->value.providers.first().isProvider, std::optional<bool>());
}
