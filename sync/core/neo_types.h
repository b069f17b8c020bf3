#pragma once

// The agent's typed view of what IDEXX Neo's JSON endpoints return (docs/idexx-neo.md), filled by the
// neo_*_parser functions after the answer passed the contract (neo_contract.h): only the fields the
// agent reads are here. Both response shapes of an endpoint land in the same structure; Neo ids are
// decimal strings ("482913"), names are normalised (trimmed, white space collapsed, NFC, case kept),
// other text is as Neo sent it. An empty string means Neo gave no value (null or empty); an Optional
// field that was absent says so in its own flag, since absent is not empty.

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

// Fields of a schedule row that its source may not carry (the DOM fallback's pages show less than the
// JSON): a payload keeps their stored values rather than taking them as empty (a bit set).
namespace event_field {
inline constexpr quint32 kPatientId = 1;
inline constexpr quint32 kClientId = 2;
inline constexpr quint32 kEmail = 4;
inline constexpr quint32 kReason = 8;
inline constexpr quint32 kConsultationId = 16;
inline constexpr quint32 kPhone = 32;
inline constexpr quint32 kProvider = 64;
inline constexpr quint32 kAppointmentType = 128;
inline constexpr quint32 kRoom = 256;
inline constexpr quint32 kEnd = 512;
inline constexpr quint32 kPatientName = 1024;
inline constexpr quint32 kClientName = 2048;
} // namespace event_field

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
    quint32 notCarried = 0; // event_field bits: not in this row's source (DOM fallback)
    // The older shape's `status` was in the row (Optional: className stands in for it); when Neo stops
    // sending it altogether (drift), the stored status is kept instead.
    bool statusGiven = true;

    friend bool operator==(const NeoScheduleEvent&, const NeoScheduleEvent&) = default;
};

struct NeoSchedule
{
    NeoScheduleShape shape = NeoScheduleShape::BareArray;
    QList<NeoScheduleEvent> events; // in Neo's order, refused rows left out
    int droppedRows = 0;            // rows repeating an appointment id already read
    // Rows the contract refused (too long, invalid UTF-8): their appointment ids, still in Neo, so never
    // taken as removed, and the refusals themselves.
    QStringList refusedIds;

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
    QString id; // whose visit it is when the schedule row does not say (older schedule shape)
    QString species;

    friend bool operator==(const NeoConsultationPatient&, const NeoConsultationPatient&) = default;
};

struct NeoConsultationClient
{
    QString phone;          // raw
    bool phoneGiven = true; // `phone` was in the answer (Optional in the current shape)

    friend bool operator==(const NeoConsultationClient&, const NeoConsultationClient&) = default;
};

struct NeoProvider
{
    QString id;
    QString name;
    QString userType; // "Vet", "Nurse", "Tech"

    friend bool operator==(const NeoProvider&, const NeoProvider&) = default;
};

struct NeoProductLine
{
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
    QList<NeoProductLine> lines; // in Neo's order, declined ones included
    // Neither dischargeSummary nor consultationNotes was in the answer: "no summary", unless the run finds
    // that Neo stopped sending them (drift), when the stored summary is kept.
    bool summaryGiven = true;
    // The DOM fallback's page names the providers but gives neither their ids nor their roles: the stored
    // ones of the same name are kept.
    bool providersNamesOnly = false;

    friend bool operator==(const NeoConsultation&, const NeoConsultation&) = default;
};

// ---- One appointment: GET /appointments/getAppointment?id= ----------------------------------------

struct NeoAppointmentClient
{
    QString homePhone;   // raw
    QString mobilePhone; // raw

    friend bool operator==(const NeoAppointmentClient&, const NeoAppointmentClient&) = default;
};

// What the agent reads of one appointment: its phones (a finished visit whose row shows none), and
// whether it still is where the schedule had it (the proof a removal needs: deleted, or moved).
struct NeoAppointmentDetail
{
    QString id;
    QString statusRaw;
    NeoStatus status = NeoStatus::Unknown;
    LocalDateTime start; // startAtLocal
    bool deleted = false;
    bool isBlock = false;
    NeoAppointmentClient client;

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
