#pragma once

// The payload tests (one executable, tst_payloads): the shared class and the fixture helpers.

#include "sync/core/neo_appointment_parser.h"
#include "sync/core/neo_consultation_parser.h"
#include "sync/core/neo_schedule_parser.h"
#include "sync/core/payloads.h"
#include "tests/support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTest>
#include <QTimeZone>

#include <initializer_list>
#include <optional>

namespace odis::test::payload {

using namespace odis::sync;

inline const QTimeZone kZone(QByteArrayLiteral("America/Los_Angeles"));
inline const PhoneCountry kUs = *PhoneCountry::fromIsoCode(u"US");
inline const PhoneCountry kGb = *PhoneCountry::fromIsoCode(u"GB");

inline NeoResponse fixture(const QString& name)
{
    return NeoResponse{200, QByteArrayLiteral("application/json"), odis::test::readFixture(u"neo/" + name)};
}

inline QJsonObject json(const QByteArray& text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("expected payload is not a JSON object: %s", text.constData());
    return document.object();
}

inline std::optional<NeoScheduleEvent> scheduleEvent(const QString& file, const QString& appointmentId)
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

inline std::optional<NeoConsultation> readConsultation(const QString& file, const QString& id)
{
    const auto parsed = parseNeoConsultation(fixture(file), id);
    return parsed ? std::optional(parsed->value) : std::nullopt;
}

inline std::optional<NeoAppointmentDetail> readDetail(const QString& file, const QString& id)
{
    const auto parsed = parseNeoAppointment(fixture(file), id);
    return parsed ? std::optional(parsed->value) : std::nullopt;
}

inline QSet<QString> keySet(const QJsonObject& object)
{
    const QStringList keys = object.keys();
    return QSet<QString>(keys.cbegin(), keys.cend());
}

inline QSet<QString> names(std::initializer_list<const char*> list)
{
    QSet<QString> out;
    for (const char* name : list)
        out.insert(QString::fromLatin1(name));
    return out;
}

// The contract's field lists (docs/backend-api.md), written out here independently of the builders.
inline const QSet<QString> kAppointmentFields =
    names({"neo_appointment_id", "neo_consultation_id", "date", "start_time", "end_time", "timezone",
           "status", "status_raw", "appointment_type", "reason", "is_block", "provider", "room_id", "patient",
           "client", "removed"});
inline const QSet<QString> kProviderFields = names({"id", "name"});
inline const QSet<QString> kPatientFields = names({"id", "name", "species"});
inline const QSet<QString> kClientFields =
    names({"id", "first_name", "last_name", "email", "phone_e164", "phone_raw"});
inline const QSet<QString> kConsultationFields = names(
    {"neo_consultation_id", "neo_appointment_id", "date", "status", "reason", "notes_html", "notes_text",
     "discharge_summary", "has_notes", "products_services", "declined_products_services", "providers"});
inline const QSet<QString> kLineFields = names({"name", "quantity"});
inline const QSet<QString> kConsultationProviderFields = names({"id", "name", "role"});

inline void verifyAppointmentFields(const QJsonObject& payload, const QSet<QString>& topLevel)
{
    QCOMPARE(keySet(payload), topLevel);
    QCOMPARE(keySet(payload.value(QStringLiteral("provider")).toObject()), kProviderFields);
    QCOMPARE(keySet(payload.value(QStringLiteral("patient")).toObject()), kPatientFields);
    QCOMPARE(keySet(payload.value(QStringLiteral("client")).toObject()), kClientFields);
}

inline void verifyLines(const QJsonArray& lines, const QSet<QString>& fields)
{
    for (const QJsonValue line : lines)
        QCOMPARE(keySet(line.toObject()), fields);
}

// A finished visit with every phone source empty, for the phone and species rows.
inline NeoScheduleEvent finishedVisit()
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

} // namespace odis::test::payload

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
    void phoneKeptWhenItRanksBetter_data();
    void phoneKeptWhenItRanksBetter();
    void speciesKeptFromPreviousPayload_data();
    void speciesKeptFromPreviousPayload();
    void appointmentRefusesInconsistentInput_data();
    void appointmentRefusesInconsistentInput();
    void removedForm();
    void consultation_data();
    void consultation();
    void consultationHasNotes_data();
    void consultationHasNotes();
    void consultationNotesSanitised_data();
    void consultationNotesSanitised();
    void consultationRefusesInconsistentInput();
    void notCarriedKeepsStoredValues();
    void unknownSummaryKeepsTheStoredOne();
    void providersNamedOnlyKeepTheirIds();
};
