#pragma once

// The simulated clinic: the world the IDEXX Neo simulator serves. Pure data and rules on Qt Core; the
// HTTP side (neo_server.*) renders snapshots of it in Neo's JSON and HTML shapes.
//
// Time model: the clinic is generated once (seed, size, days) as a set of appointments, each with a
// timeline of changes (status progress, notes written and edited, cancellation, move, deletion). What
// Neo shows at simulated time t is snapshotAt(t): every change whose time <= t applied. The simulator
// owns a settable clock (sim_clock.h); nothing here reads the real clock.
//
// A clinic can also be built by hand (tests, the server's admin API): construct an empty ClinicModel,
// addAppointment() its initial states and addChange() what happens to them later.

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
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

    friend bool operator==(const SimProductLine&, const SimProductLine&) = default;
};

// What kind of line a generated number is. North American numbers are MobileOrFixed: their numbering
// plan does not tell mobiles from fixed lines.
enum class SimPhoneKind
{
    Mobile,
    MobileOrFixed,
    FixedLine,
};

// A phone number as the clinic typed it, with what the generator meant by it. The ground truth takes the
// meaning from here and never reads the text back (it must not share the agent's number rules).
struct SimPhone
{
    QString raw;  // as Neo shows it, in one of the formats clinics use; empty: no number
    QString e164; // the number meant; empty when the text is not a valid number (wrong length,
                  // unassigned area code, missing area code)
    SimPhoneKind kind = SimPhoneKind::MobileOrFixed;
    bool international = false; // outside the clinic's country calling code (written with '+')

    [[nodiscard]] static SimPhone valid(QString raw, QString e164, SimPhoneKind kind,
                                        bool international = false);
    [[nodiscard]] static SimPhone invalid(QString raw);

    [[nodiscard]] bool isEmpty() const { return raw.isEmpty(); }
    [[nodiscard]] bool isValid() const { return !e164.isEmpty(); }
    // 0 is the best number to dial (docs/discharge-rules.md, "Phones"): domestic before international,
    // mobiles (and North American numbers, which may be) before fixed lines.
    [[nodiscard]] int preference() const;

    friend bool operator==(const SimPhone&, const SimPhone&) = default;
};

struct SimClient
{
    qint64 id = 0;
    QString firstName;
    QString lastName;     // may hold two surnames
    QString email;        // may be empty
    SimPhone homePhone;   // may be empty
    SimPhone mobilePhone; // may be empty (and may hold a fixed line: people swap the fields)

    friend bool operator==(const SimClient&, const SimClient&) = default;
};

struct SimPatient
{
    qint64 id = 0;
    QString name;    // often upper case; accents and non-Latin scripts occur
    QString species; // "Canine", "Feline", ...
    QString breed;

    friend bool operator==(const SimPatient&, const SimPatient&) = default;
};

struct SimProvider
{
    qint64 id = 0;
    QString name;
    QString email;
    QString licenseNumber;
    QString userType; // "Vet", "Nurse", "Tech"

    friend bool operator==(const SimProvider&, const SimProvider&) = default;
};

// Neo's raw status strings, as Neo shows them ("not arrived", "Checked In", "Finalized", ...).
// Normalised meaning is the reader's business, not the model's.
struct SimAppointment
{
    qint64 appointmentId = 0;             // ~6 digits
    qint64 calendarEventId = 0;           // the schedule's `id`
    std::optional<qint64> consultationId; // set once a consultation exists (visit checked in)
    QDate date;                           // clinic-local
    QTime start;                          // clinic-local
    QTime end;                            // clinic-local
    QString resourceId;                   // calendar column, e.g. "9"
    QString typeDescription;              // "Exam", "Vaccines", "Euthanasia", "Groomer", ...
    QString reason;
    QString status;        // raw Neo status string; blocks and roster rows show "Scheduled"
    bool isBlock = false;  // blocked period: no patient, client or provider data
    bool isRoster = false; // staff roster row
    QString blockText;     // title of a block/roster row, e.g. "Dr out 11:00am-2:00pm"
    SimPatient patient;
    SimClient client;
    SimProvider provider;
    bool schedulePhoneHidden = false; // the schedule row shows no phone although the client has one
    QString notesHtml;                // consultation notes as Neo stores them (may be HTML, long)
    QString dischargeSummary;         // may be empty
    QList<SimProductLine> lines;
    QString cancelledReason;
    bool deleted = false; // deleted in Neo: no longer returned anywhere
    // When it was booked (getAppointment's createdAt); Neo does not show it before. Invalid: always shown.
    QDateTime bookedUtc;

    // The phone the schedule row and the consultation show: the mobile when there is one, else the
    // home phone; empty when hidden (docs/idexx-neo.md, "Phones in the data").
    [[nodiscard]] SimPhone schedulePhone() const;

    friend bool operator==(const SimAppointment&, const SimAppointment&) = default;
};

// One thing that happens to an appointment at `atUtc`. Only the fields that are set change.
struct SimChange
{
    QDateTime atUtc;
    std::optional<QString> status;
    std::optional<qint64> consultationId;
    std::optional<QString> notesHtml;
    std::optional<QString> dischargeSummary;
    std::optional<QList<SimProductLine>> lines;
    std::optional<QString> cancelledReason;
    std::optional<QDate> date; // a move to another day; start/end too when the time changes
    std::optional<QTime> start;
    std::optional<QTime> end;
    std::optional<QString> typeDescription;
    std::optional<QString> reason;
    std::optional<SimClient> client; // e.g. a phone number removed
    std::optional<bool> schedulePhoneHidden;
    bool deleted = false;

    void applyTo(SimAppointment& appointment) const;

    friend bool operator==(const SimChange&, const SimChange&) = default;
};

// The largest clinic the generator makes: a 20-vet hospital (bench/ measures how a sync scales to it).
inline constexpr int kMaxVets = 20;

struct ClinicOptions
{
    quint32 seed = 7;
    int providers = 3;                  // vets, clamped to 1-kMaxVets: ~10 appointments a day each
    int days = 7;                       // calendar days generated from firstDay
    QDate firstDay = QDate(2026, 3, 9); // clinic-local first generated day (a Monday)
    QTimeZone zone = QTimeZone("America/Los_Angeles");
    // Business hours (`business_hours`) and notes timing (`sync.lookback_hours`) come from this clinic
    // profile (the backend's GET /v1/clinic shape); empty means tests/sim/common/default-clinic-profile.json.
    QJsonObject clinicProfile;
    // Owners change their phone numbers now and then (clinic_phone_changes.h); off: the clinics other tests
    // know stay as they are.
    bool phoneChanges = false;
};

class ClinicModel
{
public:
    // An empty clinic, to be filled with addAppointment()/addChange().
    explicit ClinicModel(ClinicOptions options = {});

    // Deterministic: the same options give the same clinic, byte for byte.
    static ClinicModel generate(const ClinicOptions& options);

    // Every appointment as Neo shows it at `nowUtc` (deleted ones excluded, moved ones at their new
    // date, notes only once written, statuses as far as they have progressed), ordered by date, start,
    // column and appointment id.
    [[nodiscard]] QList<SimAppointment> snapshotAt(const QDateTime& nowUtc) const;
    // One appointment at `nowUtc`; nullopt when unknown, not booked yet or deleted.
    [[nodiscard]] std::optional<SimAppointment> appointmentAt(qint64 appointmentId,
                                                              const QDateTime& nowUtc) const;
    // Looks an appointment up by consultation id; nullopt when the consultation does not exist at
    // `nowUtc` (future visit, unknown id, deleted appointment).
    [[nodiscard]] std::optional<SimAppointment> consultationAt(qint64 consultationId,
                                                               const QDateTime& nowUtc) const;

    [[nodiscard]] const ClinicOptions& options() const { return m_options; }
    [[nodiscard]] QList<SimProvider> providers() const { return m_providers; }
    // Rooms / calendar columns: {id, name}.
    [[nodiscard]] QList<QPair<QString, QString>> columns() const { return m_columns; }

    // The clinic's Neo login (printed at start so a person can log in with a browser).
    [[nodiscard]] QString companyId() const { return m_companyId; }
    [[nodiscard]] QString username() const { return m_username; }
    [[nodiscard]] QString password() const { return m_password; }

    // Building. addAppointment() replaces an appointment with the same id (and its changes);
    // addChange() returns false for an unknown appointment id. Changes may be added in any order.
    void addProvider(const SimProvider& provider);
    void addColumn(const QString& id, const QString& name);
    void setCredentials(const QString& companyId, const QString& username, const QString& password);
    void addAppointment(const SimAppointment& initial);
    bool addChange(qint64 appointmentId, const SimChange& change);

    // Introspection for tests, the server's admin API and fast-forwarding.
    [[nodiscard]] QList<qint64> appointmentIds() const; // in the order they were added
    [[nodiscard]] std::optional<SimAppointment> initialState(qint64 appointmentId) const;
    [[nodiscard]] QList<SimChange> changesOf(qint64 appointmentId) const; // sorted by time
    // Every distinct instant at which something in the clinic changes (bookings included), sorted.
    [[nodiscard]] QList<QDateTime> changeTimes() const;

private:
    struct Record
    {
        SimAppointment initial;
        QList<SimChange> changes; // stable-sorted by atUtc
    };

    [[nodiscard]] std::optional<SimAppointment> stateAt(const Record& record, const QDateTime& nowUtc) const;

    ClinicOptions m_options;
    QList<SimProvider> m_providers;
    QList<QPair<QString, QString>> m_columns;
    QList<Record> m_records;
    QHash<qint64, qsizetype> m_indexById;
    // Consultation id -> appointment id, from every change that assigns one.
    QHash<qint64, qint64> m_appointmentByConsultation;
    QString m_companyId;
    QString m_username;
    QString m_password;
};

} // namespace odis::sim::neo
