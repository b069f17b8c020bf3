#pragma once

// The simulated clinic: the world the IDEXX Neo simulator serves. Pure data and rules on Qt Core; the
// HTTP side (neo_server.*) renders snapshots of it in Neo's JSON and HTML shapes.
//
// Time model: the clinic is generated once (seed, size, days) as a set of appointments, each with a
// timeline of changes (status progress, notes written and edited, cancellation, move, deletion). What
// Neo shows at simulated time t is snapshotAt(t): every change whose time <= t applied. The simulator
// owns a settable clock; nothing here reads the real clock.

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QTime>
#include <QTimeZone>

#include <optional>

namespace odis::sim::neo {

struct SimProductLine
{
    qint64 id = 0;
    QString productService;
    double quantity = 1;
    bool isDeclined = false;
};

struct SimClient
{
    qint64 id = 0;
    QString firstName;
    QString lastName;      // may hold two surnames
    QString email;         // may be empty
    QString homePhone;     // raw, in one of the formats clinics use; may be empty
    QString mobilePhone;   // raw; may be empty
};

struct SimPatient
{
    qint64 id = 0;
    QString name;          // often upper case; accents and non-Latin scripts occur
    QString species;       // "Canine", "Feline", ...
    QString breed;
};

struct SimProvider
{
    qint64 id = 0;
    QString name;
    QString email;
    QString licenseNumber;
    QString userType;      // "Vet", "Nurse", "Tech"
};

// Neo's raw status strings, as Neo shows them ("not arrived", "Checked In", "Finalized", ...).
// Normalised meaning is the reader's business, not the model's.
struct SimAppointment
{
    qint64 appointmentId = 0;     // ~6 digits
    qint64 calendarEventId = 0;   // the schedule's `id`
    std::optional<qint64> consultationId; // set once a consultation exists (visit checked in)
    QDate date;                   // clinic-local
    QTime start;                  // clinic-local
    QTime end;                    // clinic-local
    QString resourceId;           // calendar column, e.g. "9"
    QString typeDescription;      // "Exam", "Vaccines", "Euthanasia", "Groomer", ...
    QString reason;
    QString status;               // raw Neo status string
    bool isBlock = false;         // blocked period: no patient, client or provider data
    bool isRoster = false;        // staff roster row
    QString blockText;            // title of a block/roster row, e.g. "Dr out 11:00am-2:00pm"
    SimPatient patient;
    SimClient client;
    SimProvider provider;
    bool schedulePhoneHidden = false; // the schedule row shows no phone although the client has one
    QString notesHtml;            // consultation notes as Neo stores them (may be HTML, long)
    QString dischargeSummary;     // may be empty
    QList<SimProductLine> lines;
    QString cancelledReason;
    bool deleted = false;         // deleted in Neo: no longer returned anywhere
};

struct ClinicOptions
{
    quint32 seed = 7;
    int providers = 3;            // vets; "size": 2-4 gives ~20-40 appointments a day
    int days = 7;                 // calendar days generated around the start date
    QDate firstDay;               // clinic-local first generated day
    QTimeZone zone = QTimeZone("America/Los_Angeles");
};

class ClinicModel
{
public:
    // Deterministic: the same options give the same clinic, byte for byte.
    static ClinicModel generate(const ClinicOptions& options);

    // Every appointment as Neo shows it at `nowUtc` (deleted ones excluded, moved ones at their new
    // date, notes only once written, statuses as far as they have progressed).
    [[nodiscard]] QList<SimAppointment> snapshotAt(const QDateTime& nowUtc) const;
    // One appointment at `nowUtc`; nullopt when unknown or deleted.
    [[nodiscard]] std::optional<SimAppointment> appointmentAt(qint64 appointmentId,
                                                              const QDateTime& nowUtc) const;
    // Looks an appointment up by consultation id; nullopt when the consultation does not exist at
    // `nowUtc` (future visit, unknown id).
    [[nodiscard]] std::optional<SimAppointment> consultationAt(qint64 consultationId,
                                                               const QDateTime& nowUtc) const;

    [[nodiscard]] const ClinicOptions& options() const { return m_options; }
    [[nodiscard]] QList<SimProvider> providers() const;
    // Rooms / calendar columns: {id, name}.
    [[nodiscard]] QList<QPair<QString, QString>> columns() const;

    // The clinic's Neo login (printed at start so a person can log in with a browser).
    [[nodiscard]] QString companyId() const;
    [[nodiscard]] QString username() const;
    [[nodiscard]] QString password() const;

    // ... timeline storage and generator internals are the implementer's choice.

private:
    ClinicOptions m_options;
};

} // namespace odis::sim::neo
