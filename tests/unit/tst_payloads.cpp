// The appointment payload (docs/backend-api.md, "Item kinds" and "Payload fields, exactly") built from
// the Neo parser fixtures: every field checked, and no field beyond the contract. The phone and species
// rules are in payload_phone_tests.cpp, the consultation payload in payload_consultation_tests.cpp.

#include "sync/core/canonical_json.h"
#include "sync/core/item_key.h"
#include "tests/unit/payload_tests.h"

using namespace odis::sync;
using namespace odis::test::payload;

void TstPayloads::appointment_data()
{
    QTest::addColumn<QString>("schedule");
    QTest::addColumn<QString>("appointmentId");
    QTest::addColumn<QString>("consultationFile"); // read in this run for the row's consultation id
    QTest::addColumn<QString>("detailFile");       // fetched in this run
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("finished visit with its consultation read")
        << "schedule_current.json"
        << "482913"
        << "consultation_current.json"
        << ""
        << QByteArray(R"({"neo_appointment_id":"482913","neo_consultation_id":"731204","date":"2026-03-10",
            "start_time":"09:15","end_time":"09:45","timezone":"America/Los_Angeles","status":"completed",
            "status_raw":"Finalized","appointment_type":"Exam","reason":"Annual wellness exam","is_block":false,
            "provider":{"id":null,"name":"Dr. Amelia Chen"},"room_id":"9",
            "patient":{"id":"41207","name":"BISCUIT","species":"Canine"},
            "client":{"id":"30518","first_name":"Jane","last_name":"Doe","email":"jane.doe@example.com",
                      "phone_e164":"+14152013344","phone_raw":"415-201-3344"},"removed":false})");
    QTest::newRow("accents, two surnames, consultation not read: no species")
        << "schedule_current.json"
        << "482914"
        << ""
        << ""
        << QByteArray(R"({"neo_appointment_id":"482914","neo_consultation_id":"731205","date":"2026-03-10",
            "start_time":"09:45","end_time":"10:00","timezone":"America/Los_Angeles","status":"completed",
            "status_raw":"Ready to Pay","appointment_type":"Vaccines","reason":"DHPP booster","is_block":false,
            "provider":{"id":null,"name":"Dr. Amelia Chen"},"room_id":"9",
            "patient":{"id":"41388","name":"ZOÉ","species":null},
            "client":{"id":"30602","first_name":"María José","last_name":"García López",
                      "email":"mj.garcia@example.es","phone_e164":"+14152014455","phone_raw":"(415) 201-4455"},
            "removed":false})");
    QTest::newRow("future visit, no consultation, no e-mail, +1 number")
        << "schedule_current.json"
        << "482915"
        << ""
        << "" << QByteArray(R"({"neo_appointment_id":"482915","neo_consultation_id":null,"date":"2026-03-11",
            "start_time":"10:00","end_time":"10:30","timezone":"America/Los_Angeles","status":"scheduled",
            "status_raw":"not arrived","appointment_type":"Follow-up","reason":"Recheck ears","is_block":false,
            "provider":{"id":null,"name":"Dr. Rahul Patel"},"room_id":"10",
            "patient":{"id":"41502","name":"小白","species":null},
            "client":{"id":"30777","first_name":"Wei","last_name":"Zhang","email":null,
                      "phone_e164":"+14152013344","phone_raw":"+1 415 201 3344"},"removed":false})");
    QTest::newRow("detail fetched: its mobile phone comes first, empty e-mail is null")
        << "schedule_current.json"
        << "482916"
        << ""
        << "appointment_detail.json"
        << QByteArray(R"({"neo_appointment_id":"482916","neo_consultation_id":"731206","date":"2026-03-10",
            "start_time":"10:15","end_time":"10:45","timezone":"America/Los_Angeles","status":"checked_in",
            "status_raw":"Checked In","appointment_type":"Sick","reason":"Vomiting since yesterday",
            "is_block":false,"provider":{"id":null,"name":"Dr. Rahul Patel"},"room_id":"10",
            "patient":{"id":"41519","name":"MAX","species":null},
            "client":{"id":"30790","first_name":"Tom","last_name":"O'Brien","email":null,
                      "phone_e164":"+14152013344","phone_raw":"+1 415 201 3344"},"removed":false})");
    QTest::newRow("no-show without a phone")
        << "schedule_current.json"
        << "482918"
        << ""
        << "" << QByteArray(R"({"neo_appointment_id":"482918","neo_consultation_id":null,"date":"2026-03-10",
            "start_time":"14:00","end_time":"14:15","timezone":"America/Los_Angeles","status":"no_show",
            "status_raw":"No Show","appointment_type":"Follow-up","reason":"Suture removal","is_block":false,
            "provider":{"id":null,"name":"Dr. Rahul Patel"},"room_id":"10",
            "patient":{"id":"41533","name":"ROCKY","species":null},
            "client":{"id":"30801","first_name":"Bob","last_name":"Smith","email":"bob@example.com",
                      "phone_e164":null,"phone_raw":null},"removed":false})");
    QTest::newRow("overnight stay ends the next day")
        << "schedule_current.json"
        << "482921"
        << ""
        << ""
        << QByteArray(R"({"neo_appointment_id":"482921","neo_consultation_id":"731208","date":"2026-03-10",
            "start_time":"22:30","end_time":"07:00","timezone":"America/Los_Angeles","status":"completed",
            "status_raw":"Discharged","appointment_type":"Hospitalization","reason":"Overnight fluids",
            "is_block":false,"provider":{"id":null,"name":"Dr. Amelia Chen"},"room_id":"11",
            "patient":{"id":"41555","name":"SIR WOOFS-A-LOT","species":null},
            "client":{"id":"30810","first_name":"Priya","last_name":"Raman","email":"priya.r@example.in",
                      "phone_e164":"+14152013030","phone_raw":"+1 (415) 201-3030"},"removed":false})");
    QTest::newRow("block: keyed by its calendar id, no patient, no client")
        << "schedule_current.json"
        << "900219"
        << ""
        << "" << QByteArray(R"({"neo_appointment_id":"900219","neo_consultation_id":null,"date":"2026-03-10",
            "start_time":"11:00","end_time":"14:00","timezone":"America/Los_Angeles","status":"scheduled",
            "status_raw":"Scheduled","appointment_type":"","reason":"","is_block":true,
            "provider":{"id":null,"name":"Dr. Rahul Patel"},"room_id":"10",
            "patient":{"id":null,"name":"","species":null},
            "client":{"id":null,"first_name":"","last_name":"","email":null,"phone_e164":null,"phone_raw":null},
            "removed":false})");
    QTest::newRow("roster row is a block")
        << "schedule_current.json"
        << "900220"
        << ""
        << "" << QByteArray(R"({"neo_appointment_id":"900220","neo_consultation_id":null,"date":"2026-03-10",
            "start_time":"08:00","end_time":"17:00","timezone":"America/Los_Angeles","status":"scheduled",
            "status_raw":"Scheduled","appointment_type":"","reason":"","is_block":true,
            "provider":{"id":null,"name":"Kim Lee"},"room_id":"12",
            "patient":{"id":null,"name":"","species":null},
            "client":{"id":null,"first_name":"","last_name":"","email":null,"phone_e164":null,"phone_raw":null},
            "removed":false})");
    QTest::newRow("older shape: LAST, FIRST client name, no ids")
        << "schedule_older_events.json"
        << "482913"
        << ""
        << "" << QByteArray(R"({"neo_appointment_id":"482913","neo_consultation_id":null,"date":"2026-03-10",
            "start_time":"09:15","end_time":"09:45","timezone":"America/Los_Angeles","status":"completed",
            "status_raw":"Finalized","appointment_type":"Exam","reason":"","is_block":false,
            "provider":{"id":null,"name":"Dr. Amelia Chen"},"room_id":"room-1",
            "patient":{"id":null,"name":"BISCUIT","species":null},
            "client":{"id":null,"first_name":"JANE","last_name":"DOE","email":null,
                      "phone_e164":"+14152013344","phone_raw":"415-201-3344"},"removed":false})");
}

void TstPayloads::appointment()
{
    QFETCH(QString, schedule);
    QFETCH(QString, appointmentId);
    QFETCH(QString, consultationFile);
    QFETCH(QString, detailFile);
    QFETCH(QByteArray, expected);

    const std::optional<NeoScheduleEvent> event = scheduleEvent(schedule, appointmentId);
    QVERIFY(event);
    std::optional<NeoConsultation> read;
    if (!consultationFile.isEmpty()) {
        read = readConsultation(consultationFile, event->consultationId.value_or(QString()));
        QVERIFY(read);
    }
    std::optional<NeoAppointmentDetail> fetched;
    if (!detailFile.isEmpty()) {
        fetched = readDetail(detailFile, appointmentId);
        QVERIFY(fetched);
    }

    const auto payload = appointmentPayload(
        AppointmentSources{*event, read ? &*read : nullptr, fetched ? &*fetched : nullptr, nullptr}, kZone,
        kUs);
    QVERIFY2(payload, payload ? "" : qPrintable(payload.error().toString()));
    const QJsonObject want = json(expected);
    QCOMPARE(canonicalJson(*payload), canonicalJson(want));
    verifyAppointmentFields(*payload, kAppointmentFields);
    QCOMPARE(appointmentKey(payload->value(QStringLiteral("neo_appointment_id")).toString()),
             QStringLiteral("appointment:") + appointmentId);
}

void TstPayloads::appointmentKeys()
{
    QCOMPARE(appointmentKey(u"482913"), QStringLiteral("appointment:482913"));
    QCOMPARE(consultationKey(u"731204"), QStringLiteral("consultation:731204"));
    QCOMPARE(itemKey(ItemKind::DischargeCall, u"482913"), QStringLiteral("discharge_call:482913"));
    QCOMPARE(itemKindOfKey(u"consultation:731204"), std::optional(ItemKind::Consultation));
    QCOMPARE(itemIdOfKey(u"discharge_call:482913"), QStringLiteral("482913"));
    QCOMPARE(itemKindOfKey(u"appointment:"), std::nullopt);
    QCOMPARE(itemKindOfKey(u"patient:41207"), std::nullopt);
    QCOMPARE(itemKindOfKey(u"appointment482913"), std::nullopt);
}

void TstPayloads::appointmentRefusesInconsistentInput_data()
{
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("code");

    QTest::newRow("consultation of another visit") << "consultation"
                                                   << "payload_input_invalid";
    QTest::newRow("detail of another appointment") << "detail"
                                                   << "payload_input_invalid";
    QTest::newRow("no zone") << "no zone"
                             << "payload_input_invalid";
    QTest::newRow("zone that is not IANA") << "offset zone"
                                           << "payload_input_invalid";
    QTest::newRow("no valid start") << "start"
                                    << "payload_incomplete";
    QTest::newRow("start without a time") << "start time"
                                          << "payload_incomplete";
}

void TstPayloads::appointmentRefusesInconsistentInput()
{
    QFETCH(QString, problem);
    QFETCH(QString, code);

    NeoScheduleEvent event = finishedVisit();
    NeoConsultation other;
    other.id = QStringLiteral("700002");
    NeoAppointmentDetail otherDetail;
    otherDetail.id = QStringLiteral("500002");
    QTimeZone zone = kZone;
    AppointmentSources sources{event};
    if (problem == u"consultation")
        sources.consultation = &other;
    if (problem == u"detail")
        sources.detail = &otherDetail;
    if (problem == u"no zone")
        zone = QTimeZone();
    if (problem == u"offset zone")
        zone = QTimeZone(3600);
    if (problem == u"start")
        event.start = {};
    if (problem == u"start time")
        event.start.time = QTime();

    const auto payload = appointmentPayload(sources, zone, kUs);
    QVERIFY(!payload);
    QCOMPARE(payload.error().code, code);
}

void TstPayloads::removedForm()
{
    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), QStringLiteral("482913"));
    QVERIFY(event);
    const auto stored = appointmentPayload(AppointmentSources{*event}, kZone, kUs);
    QVERIFY(stored);

    const QJsonObject removed = removedAppointmentPayload(*stored);
    QCOMPARE(removed.value(QStringLiteral("removed")), QJsonValue(true));
    QCOMPARE(removed.value(QStringLiteral("removed_reason")),
             QJsonValue(QStringLiteral("removed_from_pims")));
    verifyAppointmentFields(removed, kAppointmentFields + names({"removed_reason"}));
    QJsonObject rest = removed;
    rest.insert(QStringLiteral("removed"), false);
    rest.remove(QStringLiteral("removed_reason"));
    QCOMPARE(rest, *stored);
    QVERIFY(payloadVersion(removed) != payloadVersion(*stored));
}

// What a source does not carry (the DOM fallback's pages show no ids, e-mail or reason) keeps the stored
// value: absent is not empty. Without a stored payload there is nothing to keep.
void TstPayloads::notCarriedKeepsStoredValues()
{
    NeoScheduleEvent full = finishedVisit();
    full.email = QStringLiteral("rex@example.com");
    full.reason = QStringLiteral("Limping");
    full.phoneRaw = QStringLiteral("415-201-3344");
    const auto stored = appointmentPayload(AppointmentSources{full}, kZone, kUs);
    QVERIFY(stored);

    NeoScheduleEvent page = full;
    page.patientId.clear();
    page.clientId.clear();
    page.email.clear();
    page.reason.clear();
    page.phoneRaw.clear();
    page.notCarried = event_field::kPatientId | event_field::kClientId | event_field::kEmail |
                      event_field::kReason | event_field::kPhone;
    const auto kept = appointmentPayload(AppointmentSources{page, nullptr, nullptr, &*stored}, kZone, kUs);
    QVERIFY(kept);
    QCOMPARE(*kept, *stored);

    const auto fresh = appointmentPayload(AppointmentSources{page}, kZone, kUs);
    QVERIFY(fresh);
    QVERIFY(fresh->value(QStringLiteral("client")).toObject().value(QStringLiteral("email")).isNull());
    QCOMPARE(fresh->value(QStringLiteral("reason")).toString(), QString());
}

void TstPayloads::unknownSummaryKeepsTheStoredOne()
{
    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), QStringLiteral("482913"));
    std::optional<NeoConsultation> c =
        readConsultation(QStringLiteral("consultation_current.json"), QStringLiteral("731204"));
    QVERIFY(event && c);
    const auto stored = consultationPayload(*c, *event);
    QVERIFY(stored);
    QVERIFY(!stored->value(QStringLiteral("discharge_summary")).toString().isEmpty());
    c->dischargeSummaryHtml.clear();
    c->summarySource = NeoSummarySource::None;
    c->summaryGiven = false;
    const auto kept = consultationPayload(*c, *event, &*stored, /*summaryUnknown=*/true);
    QVERIFY(kept);
    QCOMPARE(kept->value(QStringLiteral("discharge_summary")),
             stored->value(QStringLiteral("discharge_summary")));
    QCOMPARE(kept->value(QStringLiteral("has_notes")).toBool(), true);
    const auto waits = consultationPayload(*c, *event, nullptr, true);
    QVERIFY(!waits);
    QCOMPARE(waits.error().code, QString(kPayloadFieldUnknown));
    // Known to be absent (not drift): no summary.
    const auto none = consultationPayload(*c, *event, &*stored, false);
    QVERIFY(none);
    QCOMPARE(none->value(QStringLiteral("discharge_summary")).toString(), QString());
}

void TstPayloads::providersNamedOnlyKeepTheirIds()
{
    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), QStringLiteral("482913"));
    std::optional<NeoConsultation> c =
        readConsultation(QStringLiteral("consultation_current.json"), QStringLiteral("731204"));
    QVERIFY(event && c);
    const auto stored = consultationPayload(*c, *event);
    QVERIFY(stored);
    NeoConsultation page = *c;
    page.providers = {NeoProvider{QString(), QStringLiteral("Dr. Amelia Chen"), QString()},
                      NeoProvider{QString(), QStringLiteral("Dr. New Vet"), QString()}};
    page.providersNamesOnly = true;
    const auto kept = consultationPayload(page, *event, &*stored);
    QVERIFY(kept);
    const QJsonArray providers = kept->value(QStringLiteral("providers")).toArray();
    QCOMPARE(providers.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("5101"));
    QCOMPARE(providers.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("Vet"));
    QVERIFY(providers.at(1).toObject().value(QStringLiteral("id")).isNull());
}

QTEST_GUILESS_MAIN(TstPayloads)
