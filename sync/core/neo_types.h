#pragma once

// The agent's typed view of what IDEXX Neo's JSON endpoints return (docs/idexx-neo.md), filled by the
// neo_*_parser functions. Both response shapes of an endpoint land in the same structure; Neo ids are
// decimal strings ("482913"), names are normalised (trimmed, white space collapsed, NFC, case kept),
// other text is as Neo sent it. An empty string means Neo gave no value (absent or null).

#include "sync/core/local_time.h"
#include "sync/core/neo_status.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QTime>
#include <QTimeZone>

#include <optional>

namespace odis::sync {

// Times are LocalDateTime (local_time.h): clinic-local wall-clock times exactly as Neo gives them, no
// zone. They become instants only with the clinic's IANA zone, never with the machine's zone.

// ---- Schedule: GET /appointments/getCalendarEventData -------------------------------------------

// Where the event array was found.
enum class NeoScheduleShape
{
    BareArray,          // current: [ ... ]
    EventsObject,       // older: { "events": [ ... ] }
    AppointmentsObject, // also seen: { "appointments": [ ... ] }
    DataObject,         // also seen: { "data": [ ... ] }
};

// Which field set an event row used.
enum class NeoEventFields
{
    Current, // appointment_id, patient_name, current_status, is_block, ...
    Older,   // patientName, clientName, className, status, ...
};

struct NeoScheduleEvent
{
    NeoEventFields fields = NeoEventFields::Current;
    QString appointmentId;                 // the key: `appointment_id` when present and non-null, else `id`
    QString calendarEventId;               // `id`; equal to appointmentId in the older shape
    std::optional<QString> consultationId; // none until a consultation exists (and in the older shape)
    LocalDateTime start;
    LocalDateTime end; // may fall on the next day
    QString patientId;
    QString patientName;
    QString clientId;
    QString clientFirstName;
    QString clientLastName;
    QString clientNameRaw; // the older shape's `clientName` as sent (split into first/last above)
    QString email;
    QString phoneRaw;
    QString providerName;
    QString resourceId; // calendar column: "9", "room-1"
    QString title;
    QString appointmentType;
    QString reason;
    QString statusRaw; // Neo's string ("Ready to Pay"), kept whatever it maps to
    NeoStatus status = NeoStatus::Unknown;
    bool isBlock = false;
    bool isRoster = false;

    friend bool operator==(const NeoScheduleEvent&, const NeoScheduleEvent&) = default;
};

struct NeoSchedule
{
    NeoScheduleShape shape = NeoScheduleShape::BareArray;
    QList<NeoScheduleEvent> events; // in Neo's order
    int droppedRows = 0;            // rows without a usable id, not objects, or repeating an id

    friend bool operator==(const NeoSchedule&, const NeoSchedule&) = default;
};

// ---- Consultation: GET /consultations/{id}/page-data ----------------------------------------------

enum class NeoConsultationShape
{
    Current, // consultation, patient, client at the top; pageData.providers
    Older,   // everything under pageData
};

enum class NeoSummarySource
{
    None,
    DischargeSummary,  // consultation.dischargeSummary
    ConsultationNotes, // consultationNotes.notes, used when dischargeSummary is absent
};

struct NeoConsultationPatient
{
    QString id;
    QString name;
    QString species;
    QString breed;

    friend bool operator==(const NeoConsultationPatient&, const NeoConsultationPatient&) = default;
};

struct NeoConsultationClient
{
    QString id;
    QString firstName;
    QString lastName;
    QString nameRaw; // the older shape's single `name`, as sent
    QString phone;   // raw
    QString email;

    friend bool operator==(const NeoConsultationClient&, const NeoConsultationClient&) = default;
};

struct NeoProvider
{
    QString id;
    QString name;
    QString email;
    QString licenseNumber;
    QString userType; // "Vet", "Nurse", "Tech"

    friend bool operator==(const NeoProvider&, const NeoProvider&) = default;
};

struct NeoBranch
{
    QString id;
    QString name;

    friend bool operator==(const NeoBranch&, const NeoBranch&) = default;
};

struct NeoProductLine
{
    QString id;
    QString name;        // productService
    double quantity = 1; // as Neo sent it (negative quantities are kept, with a drift warning)
    bool declined = false;

    friend bool operator==(const NeoProductLine&, const NeoProductLine&) = default;
};

struct NeoConsultation
{
    NeoConsultationShape shape = NeoConsultationShape::Current;
    QString id;
    QString reason;
    QString notesHtml;            // unchanged
    QString dischargeSummaryHtml; // unchanged; see summarySource
    NeoSummarySource summarySource = NeoSummarySource::None;
    QString dateRaw;
    LocalDateTime date; // time null when Neo gave a date only
    QString statusRaw;
    NeoStatus status = NeoStatus::Unknown;
    NeoConsultationPatient patient;
    NeoConsultationClient client;
    QList<NeoProvider> providers;
    std::optional<NeoBranch> branch; // clientBranch; the older shape's `clinic`
    QList<NeoProductLine> lines;     // in Neo's order, declined ones included

    friend bool operator==(const NeoConsultation&, const NeoConsultation&) = default;
};

// ---- One appointment: GET /appointments/getAppointment?id= ----------------------------------------

// A nested {id, name} object (breed, species, room, ...). The id is kept as sent when it is not a
// number, since some of these are codes rather than Neo row ids.
struct NeoRef
{
    QString id;
    QString name;

    friend bool operator==(const NeoRef&, const NeoRef&) = default;
};

struct NeoAppointmentClient
{
    QString id;
    QString firstName;
    QString lastName;
    QString email;
    QString homePhone;   // raw
    QString mobilePhone; // raw

    friend bool operator==(const NeoAppointmentClient&, const NeoAppointmentClient&) = default;
};

struct NeoAppointmentPatient
{
    QString id;
    QString name;
    NeoRef breed;
    NeoRef species;
    NeoRef gender;

    friend bool operator==(const NeoAppointmentPatient&, const NeoAppointmentPatient&) = default;
};

struct NeoAppointmentDetail
{
    QString id;
    QString statusRaw;
    NeoStatus status = NeoStatus::Unknown;
    LocalDateTime start; // startAtLocal
    LocalDateTime end;   // endAtLocal
    QString notesHtml;
    bool deleted = false;
    bool isBlock = false;
    NeoRef bookedBy;      // Neo sends a name or an {id, name} object
    QString createdAtRaw; // as sent: its zone is not documented
    NeoAppointmentPatient patient;
    NeoAppointmentClient client;
    NeoRef appointmentType;
    NeoRef room;
    NeoRef provider;
    QString cancelledReason;

    friend bool operator==(const NeoAppointmentDetail&, const NeoAppointmentDetail&) = default;
};

// ---- Clinic configuration -------------------------------------------------------------------------

// Times of day are minutes after midnight, 0..1440: calendars say "24:00" for the end of the day.
struct NeoBusinessHours
{
    QList<int> daysOfWeek; // Neo's numbers as sent (its calendar counts 0 = Sunday .. 6 = Saturday)
    std::optional<int> startMinutes;
    std::optional<int> endMinutes;

    friend bool operator==(const NeoBusinessHours&, const NeoBusinessHours&) = default;
};

struct NeoCalendarProvider
{
    QString id;
    QString name;
    QString color;

    friend bool operator==(const NeoCalendarProvider&, const NeoCalendarProvider&) = default;
};

struct NeoRoom
{
    QString id; // a calendar column id, not always a number ("room-1")
    QString name;
    std::optional<int> position;

    friend bool operator==(const NeoRoom&, const NeoRoom&) = default;
};

// GET /schedule/getScheduleConfigs
struct NeoScheduleConfig
{
    NeoBusinessHours businessHours;
    std::optional<int> slotMinutes;
    std::optional<int> minMinutes; // first time of day the calendar shows
    std::optional<int> maxMinutes; // last time of day the calendar shows
    QList<NeoCalendarProvider> providers;
    QList<NeoRoom> rooms;

    friend bool operator==(const NeoScheduleConfig&, const NeoScheduleConfig&) = default;
};

struct NeoAppointmentTypeInfo
{
    QString id;
    QString name;
    std::optional<int> durationMinutes;
    QString color;

    friend bool operator==(const NeoAppointmentTypeInfo&, const NeoAppointmentTypeInfo&) = default;
};

struct NeoViewProvider
{
    QString id;
    QString name;
    std::optional<bool> isProvider; // the `provider` flag; its exact meaning is not documented

    friend bool operator==(const NeoViewProvider&, const NeoViewProvider&) = default;
};

// GET /appointments/getAppointmentView
struct NeoAppointmentView
{
    std::optional<int> slotMinutes;
    QList<NeoBusinessHours> businessHours;
    QList<NeoAppointmentTypeInfo> appointmentTypes;
    QList<NeoRoom> rooms;
    QList<NeoViewProvider> providers;

    friend bool operator==(const NeoAppointmentView&, const NeoAppointmentView&) = default;
};

} // namespace odis::sync
