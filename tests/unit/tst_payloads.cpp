// The appointment and consultation payloads (docs/backend-api.md, "Item kinds" and "Payload fields,
// exactly") built from the Neo parser fixtures: every field checked, and no field beyond the contract.

#include "sync/core/canonical_json.h"
#include "sync/core/item_key.h"
#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_schedule_parser.h"
#include "sync/core/payloads.h"
#include "tests/support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <optional>

using namespace odis::sync;

namespace {

const QTimeZone kZone(QByteArrayLiteral("America/Los_Angeles"));

NeoResponse fixture(const QString& name)
{
    return NeoResponse{200, QByteArrayLiteral("application/json"), odis::test::readFixture(u"neo/" + name)};
}

QJsonObject json(const QByteArray& text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("expected payload is not a JSON object: %s", text.constData());
    return document.object();
}

std::optional<NeoScheduleEvent> scheduleEvent(const QString& file, const QString& appointmentId)
{
    const auto schedule = parseNeoSchedule(fixture(file));
    if (!schedule)
        return std::nullopt;
    for (const NeoScheduleEvent& event : schedule->value.events) {
        if (event.appointmentId == appointmentId)
            return event;
    }
    return std::nullopt;
}

std::optional<NeoConsultation> readConsultation(const QString& file, const QString& id)
{
    const auto parsed = parseNeoConsultation(fixture(file), id);
    return parsed ? std::optional(parsed->value) : std::nullopt;
}

std::optional<NeoAppointmentDetail> readDetail(const QString& file, const QString& id)
{
    const auto parsed = parseNeoAppointment(fixture(file), id);
    return parsed ? std::optional(parsed->value) : std::nullopt;
}

QSet<QString> keySet(const QJsonObject& object)
{
    const QStringList keys = object.keys();
    return QSet<QString>(keys.cbegin(), keys.cend());
}

QSet<QString> names(std::initializer_list<const char*> list)
{
    QSet<QString> out;
    for (const char* name : list)
        out.insert(QString::fromLatin1(name));
    return out;
}

// The contract's field lists (docs/backend-api.md), written out here independently of the builders.
const QSet<QString> kAppointmentFields =
    names({"neo_appointment_id", "neo_consultation_id", "date", "start_time", "end_time", "timezone",
           "status", "status_raw", "appointment_type", "reason", "is_block", "provider", "room_id", "patient",
           "client", "removed"});
const QSet<QString> kProviderFields = names({"id", "name"});
const QSet<QString> kPatientFields = names({"id", "name", "species"});
const QSet<QString> kClientFields =
    names({"id", "first_name", "last_name", "email", "phone_e164", "phone_raw"});
const QSet<QString> kConsultationFields = names(
    {"neo_consultation_id", "neo_appointment_id", "date", "status", "reason", "notes_html", "notes_text",
     "discharge_summary", "has_notes", "products_services", "declined_products_services", "providers"});
const QSet<QString> kLineFields = names({"name", "quantity"});
const QSet<QString> kConsultationProviderFields = names({"id", "name", "role"});

void verifyAppointmentFields(const QJsonObject& payload, const QSet<QString>& topLevel)
{
    QCOMPARE(keySet(payload), topLevel);
    QCOMPARE(keySet(payload.value(QStringLiteral("provider")).toObject()), kProviderFields);
    QCOMPARE(keySet(payload.value(QStringLiteral("patient")).toObject()), kPatientFields);
    QCOMPARE(keySet(payload.value(QStringLiteral("client")).toObject()), kClientFields);
}

void verifyLines(const QJsonArray& lines, const QSet<QString>& fields)
{
    for (const QJsonValue& line : lines)
        QCOMPARE(keySet(line.toObject()), fields);
}

// A finished visit with every phone source empty, for the phone and species rows.
NeoScheduleEvent finishedVisit()
{
    NeoScheduleEvent event;
    event.appointmentId = QStringLiteral("500001");
    event.calendarEventId = QStringLiteral("900001");
    event.consultationId = QStringLiteral("700001");
    event.start = {QDate(2026, 3, 10), QTime(9, 0)};
    event.end = {QDate(2026, 3, 10), QTime(9, 30)};
    event.patientId = QStringLiteral("41000");
    event.patientName = QStringLiteral("REX");
    event.clientId = QStringLiteral("30000");
    event.clientFirstName = QStringLiteral("Ada");
    event.clientLastName = QStringLiteral("Lovelace");
    event.statusRaw = QStringLiteral("Finalized");
    event.status = NeoStatus::Completed;
    return event;
}

} // namespace

class TstPayloads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appointment_data();
    void appointment();
    void appointmentKeys();
    void phoneCandidateOrder_data();
    void phoneCandidateOrder();
    void phoneKeptFromPreviousPayload_data();
    void phoneKeptFromPreviousPayload();
    void speciesKeptFromPreviousPayload_data();
    void speciesKeptFromPreviousPayload();
    void appointmentRefusesInconsistentInput_data();
    void appointmentRefusesInconsistentInput();
    void removedForm();
    void consultation_data();
    void consultation();
    void consultationHasNotes_data();
    void consultationHasNotes();
    void consultationRefusesInconsistentInput();
};

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
                      "phone_e164":"+15552013344","phone_raw":"555-201-3344"},"removed":false})");
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
                      "email":"mj.garcia@example.es","phone_e164":"+15552014455","phone_raw":"(555) 201-4455"},
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
                      "phone_e164":"+15552013344","phone_raw":"+1 555 201 3344"},"removed":false})");
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
                      "phone_e164":"+15552013344","phone_raw":"+1 555 201 3344"},"removed":false})");
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
                      "phone_e164":"+15552013030","phone_raw":"+1 (555) 201-3030"},"removed":false})");
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
                      "phone_e164":"+15552013344","phone_raw":"555-201-3344"},"removed":false})");
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
        AppointmentSources{*event, read ? &*read : nullptr, fetched ? &*fetched : nullptr, nullptr}, kZone);
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

void TstPayloads::phoneCandidateOrder_data()
{
    QTest::addColumn<QString>("mobile"); // detail, fetched when mobile or home is set
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("consultationPhone"); // consultation read when set
    QTest::addColumn<QString>("home");
    QTest::addColumn<bool>("block");
    QTest::addColumn<QString>("e164"); // empty: null
    QTest::addColumn<QString>("raw");  // empty: null

    QTest::newRow("mobile first") << "+1 555 201 0001"
                                  << "555-201-0002"
                                  << "555 201 0003"
                                  << "(555) 201-0004" << false << "+15552010001"
                                  << "+1 555 201 0001";
    QTest::newRow("no mobile: schedule row") << ""
                                             << "555-201-0002"
                                             << "555 201 0003"
                                             << "(555) 201-0004" << false << "+15552010002"
                                             << "555-201-0002";
    QTest::newRow("mobile that does not normalise: schedule row")
        << "555-CALL-NOW"
        << "555-201-0002"
        << "555 201 0003"
        << "(555) 201-0004" << false << "+15552010002"
        << "555-201-0002";
    QTest::newRow("no row phone: consultation client") << ""
                                                       << ""
                                                       << "555 201 0003"
                                                       << "(555) 201-0004" << false << "+15552010003"
                                                       << "555 201 0003";
    QTest::newRow("row without area code: home phone last") << ""
                                                            << "201-3344"
                                                            << ""
                                                            << "(555) 201-0004" << false << "+15552010004"
                                                            << "(555) 201-0004";
    QTest::newRow("international number kept") << "+44 20 7946 0958"
                                               << "555-201-0002"
                                               << ""
                                               << "" << false << "+442079460958"
                                               << "+44 20 7946 0958";
    QTest::newRow("nothing normalises: first non-empty raw") << ""
                                                             << "201-3344"
                                                             << "555-201-0003 x12"
                                                             << "" << false << ""
                                                             << "201-3344";
    QTest::newRow("blank candidates are not raw numbers") << "  "
                                                          << "ext. 12"
                                                          << ""
                                                          << "" << false << ""
                                                          << "ext. 12";
    QTest::newRow("no phone at all") << ""
                                     << ""
                                     << ""
                                     << "" << false << ""
                                     << "";
    QTest::newRow("block rows have no client phone") << ""
                                                     << "555-201-0002"
                                                     << ""
                                                     << "" << true << ""
                                                     << "";
}

void TstPayloads::phoneCandidateOrder()
{
    QFETCH(QString, mobile);
    QFETCH(QString, row);
    QFETCH(QString, consultationPhone);
    QFETCH(QString, home);
    QFETCH(bool, block);
    QFETCH(QString, e164);
    QFETCH(QString, raw);

    NeoScheduleEvent event = finishedVisit();
    event.phoneRaw = row;
    event.isBlock = block;
    NeoAppointmentDetail fetched;
    fetched.id = event.appointmentId;
    fetched.client.mobilePhone = mobile;
    fetched.client.homePhone = home;
    NeoConsultation read;
    read.id = *event.consultationId;
    read.client.phone = consultationPhone;
    const AppointmentSources sources{event, consultationPhone.isEmpty() ? nullptr : &read,
                                     mobile.isEmpty() && home.isEmpty() ? nullptr : &fetched, nullptr};

    QCOMPARE(appointmentPhone(sources), (PhoneFields{e164, raw}));
    // The planner dials what the payload shows.
    const std::optional<ChosenPhone> chosen = choosePhone(phoneCandidates(sources));
    QCOMPARE(chosen ? chosen->e164 : QString(), e164);

    const auto payload = appointmentPayload(sources, kZone);
    QVERIFY(payload);
    const QJsonObject client = payload->value(QStringLiteral("client")).toObject();
    QCOMPARE(client.value(QStringLiteral("phone_e164")), e164.isEmpty() ? QJsonValue() : QJsonValue(e164));
    QCOMPARE(client.value(QStringLiteral("phone_raw")), raw.isEmpty() ? QJsonValue() : QJsonValue(raw));
}

void TstPayloads::phoneKeptFromPreviousPayload_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("row");
    QTest::addColumn<bool>("detailFetched"); // with no phones
    QTest::addColumn<QString>("previousClient");
    QTest::addColumn<QString>("previousE164");
    QTest::addColumn<QString>("e164");
    QTest::addColumn<QString>("raw");

    const int finished = int(NeoStatus::Completed);
    QTest::newRow("finished, detail not fetched: earlier number kept") << finished << "" << false << "30000"
                                                                       << "+15552019999"
                                                                       << "+15552019999"
                                                                       << "555-201-9999";
    QTest::newRow("finished, row unusable, detail not fetched: earlier number kept")
        << finished << "201-3344" << false << "30000"
        << "+15552019999"
        << "+15552019999"
        << "555-201-9999";
    QTest::newRow("detail fetched without phones: the clinic has none now")
        << finished << "" << true << "30000"
        << "+15552019999"
        << ""
        << "";
    QTest::newRow("visit not finished: only its row counts")
        << int(NeoStatus::Scheduled) << "" << false << "30000"
        << "+15552019999"
        << ""
        << "";
    QTest::newRow("another client's number is never kept") << finished << "" << false << "30001"
                                                           << "+15552019999"
                                                           << ""
                                                           << "";
    QTest::newRow("a usable row wins over the earlier number")
        << finished << "555-201-0002" << false << "30000"
        << "+15552019999"
        << "+15552010002"
        << "555-201-0002";
    QTest::newRow("earlier value that is not E.164 is not kept") << finished << "" << false << "30000"
                                                                 << "5552019999"
                                                                 << ""
                                                                 << "";
}

void TstPayloads::phoneKeptFromPreviousPayload()
{
    QFETCH(int, status);
    QFETCH(QString, row);
    QFETCH(bool, detailFetched);
    QFETCH(QString, previousClient);
    QFETCH(QString, previousE164);
    QFETCH(QString, e164);
    QFETCH(QString, raw);

    NeoScheduleEvent event = finishedVisit();
    event.status = NeoStatus(status);
    event.phoneRaw = row;
    NeoAppointmentDetail fetched;
    fetched.id = event.appointmentId;
    const QJsonObject previous{{QStringLiteral("client"),
                                QJsonObject{{QStringLiteral("id"), previousClient},
                                            {QStringLiteral("phone_e164"), previousE164},
                                            {QStringLiteral("phone_raw"), QStringLiteral("555-201-9999")}}}};
    const AppointmentSources sources{event, nullptr, detailFetched ? &fetched : nullptr, &previous};
    QCOMPARE(appointmentPhone(sources), (PhoneFields{e164, raw}));
}

void TstPayloads::speciesKeptFromPreviousPayload_data()
{
    QTest::addColumn<bool>("read");
    QTest::addColumn<QString>("readSpecies");
    QTest::addColumn<bool>("hasPrevious");
    QTest::addColumn<QString>("previousConsultation");
    QTest::addColumn<QString>("previousPatient");
    QTest::addColumn<QString>("expected"); // empty: null

    QTest::newRow("read in this run") << true << "Feline" << true << "700001"
                                      << "41000"
                                      << "Feline";
    QTest::newRow("read, no species") << true << "" << true << "700001"
                                      << "41000"
                                      << "";
    QTest::newRow("not read: kept from the same consultation") << false << "" << true << "700001"
                                                               << "41000"
                                                               << "Canine";
    QTest::newRow("not read, earlier payload of another consultation") << false << "" << true << "700002"
                                                                       << "41000"
                                                                       << "";
    QTest::newRow("not read, earlier payload of another patient") << false << "" << true << "700001"
                                                                  << "41001"
                                                                  << "";
    QTest::newRow("never read") << false << "" << false << ""
                                << ""
                                << "";
}

void TstPayloads::speciesKeptFromPreviousPayload()
{
    QFETCH(bool, read);
    QFETCH(QString, readSpecies);
    QFETCH(bool, hasPrevious);
    QFETCH(QString, previousConsultation);
    QFETCH(QString, previousPatient);
    QFETCH(QString, expected);

    const NeoScheduleEvent event = finishedVisit();
    NeoConsultation consultation;
    consultation.id = *event.consultationId;
    consultation.patient.species = readSpecies;
    const QJsonObject previous{
        {QStringLiteral("neo_consultation_id"), previousConsultation},
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), previousPatient},
                                                {QStringLiteral("species"), QStringLiteral("Canine")}}}};
    const auto payload = appointmentPayload(
        AppointmentSources{event, read ? &consultation : nullptr, nullptr, hasPrevious ? &previous : nullptr},
        kZone);
    QVERIFY(payload);
    QCOMPARE(payload->value(QStringLiteral("patient")).toObject().value(QStringLiteral("species")),
             expected.isEmpty() ? QJsonValue() : QJsonValue(expected));
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

    const auto payload = appointmentPayload(sources, zone);
    QVERIFY(!payload);
    QCOMPARE(payload.error().code, code);
}

void TstPayloads::removedForm()
{
    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), QStringLiteral("482913"));
    QVERIFY(event);
    const auto stored = appointmentPayload(AppointmentSources{*event}, kZone);
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

void TstPayloads::consultation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("appointmentId"); // its row in schedule_current.json
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("notesText"); // hand-derived by the rules of docs/backend-api.md

    // The HTML is the fixture's, unchanged; the text: block ends become line breaks, cells run together,
    // &amp; &lt; &nbsp; &#176; are decoded, &ndash; is not one of the decoded names.
    QTest::newRow("current shape, discharge summary, declined line, fractional quantity")
        << "consultation_current.json"
        << "482913"
        << QByteArray(R"({"neo_consultation_id":"731204","neo_appointment_id":"482913","date":"2026-03-10",
            "status":"completed","reason":"Annual wellness exam",
            "discharge_summary":"BISCUIT is healthy. Next vaccines due 03/2027.\nCall us with any questions.",
            "has_notes":true,
            "products_services":[{"name":"Exam - Comprehensive","quantity":1},{"name":"DHPP vaccine 1yr","quantity":1},
                                 {"name":"Carprofen 75mg tablet","quantity":14},{"name":"Nail trim","quantity":0.5}],
            "declined_products_services":[{"name":"Senior bloodwork panel","quantity":1}],
            "providers":[{"id":"5101","name":"Dr. Amelia Chen","role":"Vet"},
                         {"id":"5107","name":"Kim Lee","role":"Tech"}]})")
        << QString::fromUtf8("Subjective\n"
                             "Owner reports BISCUIT has been eating well & drinking normally.\n"
                             "No vomiting/diarrhoea.\n"
                             "Objective\n"
                             "Weight12.4 kg\n"
                             "Temp38.6 \xc2\xb0"
                             "C\n"
                             "Assessment\n"
                             "Healthy adult dog; mild tartar (grade 1).\n"
                             "Plan\n"
                             "DHPP booster given\n"
                             "Dental in 6&ndash;12 months\n"
                             "Recheck if appetite < normal");
    QTest::newRow("summary from consultationNotes, date only, no lines")
        << "consultation_current_notes_fallback.json"
        << "482914"
        << QByteArray(R"({"neo_consultation_id":"731205","neo_appointment_id":"482914","date":"2026-03-10",
            "status":"completed","reason":"DHPP booster",
            "discharge_summary":"Keep ZOÉ indoors for 24 h.\nMild lethargy is normal.","has_notes":true,
            "products_services":[],"declined_products_services":[],
            "providers":[{"id":"5101","name":"Dr. Amelia Chen","role":"Vet"}]})")
        << QStringLiteral("Vaccine given SC right shoulder.\nNo reaction observed.");
    QTest::newRow("older shape, null discharge summary")
        << "consultation_older.json"
        << "482916"
        << QByteArray(R"({"neo_consultation_id":"731206","neo_appointment_id":"482916","date":"2026-03-10",
            "status":"completed","reason":"Vomiting since yesterday","discharge_summary":"","has_notes":true,
            "products_services":[],"declined_products_services":[],
            "providers":[{"id":"5102","name":"Dr. Rahul Patel","role":"Vet"}]})")
        << QStringLiteral("Vomited x3 overnight. Bright, alert.\nPlan: bland diet 3 days, maropitant.");
}

void TstPayloads::consultation()
{
    QFETCH(QString, file);
    QFETCH(QString, appointmentId);
    QFETCH(QByteArray, expected);
    QFETCH(QString, notesText);

    const std::optional<NeoScheduleEvent> event =
        scheduleEvent(QStringLiteral("schedule_current.json"), appointmentId);
    QVERIFY(event && event->consultationId);
    const std::optional<NeoConsultation> read = readConsultation(file, *event->consultationId);
    QVERIFY(read);

    const auto payload = consultationPayload(*read, *event);
    QVERIFY2(payload, payload ? "" : qPrintable(payload.error().toString()));
    QJsonObject want = json(expected);
    want.insert(QStringLiteral("notes_html"), read->notesHtml);
    want.insert(QStringLiteral("notes_text"), notesText);
    QCOMPARE(canonicalJson(*payload), canonicalJson(want));

    // notes_html is byte for byte what the fixture holds.
    const QJsonObject raw = QJsonDocument::fromJson(odis::test::readFixture(u"neo/" + file)).object();
    const QJsonObject rawConsultation = raw.contains(QStringLiteral("consultation"))
                                            ? raw.value(QStringLiteral("consultation")).toObject()
                                            : raw.value(QStringLiteral("pageData"))
                                                  .toObject()
                                                  .value(QStringLiteral("consultation"))
                                                  .toObject();
    QCOMPARE(payload->value(QStringLiteral("notes_html")), rawConsultation.value(QStringLiteral("notes")));

    QCOMPARE(keySet(*payload), kConsultationFields);
    verifyLines(payload->value(QStringLiteral("products_services")).toArray(), kLineFields);
    verifyLines(payload->value(QStringLiteral("declined_products_services")).toArray(), kLineFields);
    verifyLines(payload->value(QStringLiteral("providers")).toArray(), kConsultationProviderFields);
    QCOMPARE(consultationKey(payload->value(QStringLiteral("neo_consultation_id")).toString()),
             QStringLiteral("consultation:") + *event->consultationId);
}

void TstPayloads::consultationHasNotes_data()
{
    QTest::addColumn<QString>("notes");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<bool>("hasNotes");

    QTest::newRow("nothing") << ""
                             << "" << false;
    QTest::newRow("only markup and white space") << "<p> &nbsp; </p><br>\n"
                                                 << "<div></div>" << false;
    QTest::newRow("script only") << "<script>var notes = 1;</script>"
                                 << "" << false;
    QTest::newRow("notes") << "<p>Bright</p>"
                           << "" << true;
    QTest::newRow("summary only") << ""
                                  << "Rest for 2 days" << true;
}

void TstPayloads::consultationHasNotes()
{
    QFETCH(QString, notes);
    QFETCH(QString, summary);
    QFETCH(bool, hasNotes);

    const NeoScheduleEvent event = finishedVisit();
    NeoConsultation read;
    read.id = *event.consultationId;
    read.notesHtml = notes;
    read.dischargeSummaryHtml = summary;
    const auto payload = consultationPayload(read, event);
    QVERIFY(payload);
    QCOMPARE(payload->value(QStringLiteral("has_notes")).toBool(), hasNotes);
    QCOMPARE(payload->value(QStringLiteral("notes_html")).toString(), notes);
    QCOMPARE(payload->value(QStringLiteral("notes_text")).toString().isEmpty() &&
                 payload->value(QStringLiteral("discharge_summary")).toString().isEmpty(),
             !hasNotes);
    // Neo gave no date: the visit's date stands in.
    QCOMPARE(payload->value(QStringLiteral("date")).toString(), QStringLiteral("2026-03-10"));
}

void TstPayloads::consultationRefusesInconsistentInput()
{
    NeoScheduleEvent event = finishedVisit();
    NeoConsultation read;
    read.id = QStringLiteral("700002");
    auto payload = consultationPayload(read, event);
    QVERIFY(!payload);
    QCOMPARE(payload.error().code, QStringLiteral("payload_input_invalid"));

    read.id = *event.consultationId;
    event.start = {};
    payload = consultationPayload(read, event);
    QVERIFY(!payload);
    QCOMPARE(payload.error().code, QStringLiteral("payload_incomplete"));
}

QTEST_GUILESS_MAIN(TstPayloads)
#include "tst_payloads.moc"
