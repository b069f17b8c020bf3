#pragma once

// The contract with IDEXX Neo: every field the agent reads, per endpoint and shape, with whether it must
// be there, the JSON types it may have, what its value must look like and how long it may be. One table,
// mirrored in docs/idexx-neo.md ("The contract, field by field"); the parsers check every answer against
// it before they read a value, and the generated tests drop, rename and retype every field of it.
//
// What the table decides (docs/idexx-neo.md, "Absent is not empty"):
// - a Required field that is missing, or any field of a type or form the table does not allow, makes the
//   whole answer invalid: nothing of it is handed on (neo_layout_changed, with the field's path);
// - a VisitRequired field is Required on rows that are visits (blocks and roster rows may leave it out);
// - an Optional field may be absent: absent means "Neo did not say", never "empty". When an optional
//   field that earlier reads had is absent from every row of this run's answers, that is drift
//   (neo_field_presence.h): the stored value is kept;
// - a string longer than its maximum, or one that held invalid UTF-8, refuses the item it belongs to
//   (one schedule row, one consultation, one appointment), never the answer, and is never truncated;
// - Ignored fields are documented but not read: nothing about them is checked.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/neo_drift.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <span>

namespace odis::sync {

// Every endpoint shape the agent reads.
enum class NeoShapeId
{
    ScheduleCurrent,     // getCalendarEventData, current event fields (one row per event)
    ScheduleOlder,       // getCalendarEventData, older event fields
    ConsultationCurrent, // page-data: consultation, patient, client at the top
    ConsultationOlder,   // page-data: everything under pageData
    Appointment,         // getAppointment: {appointment: {...}}
};

enum class FieldNeed
{
    Required,
    VisitRequired,
    Optional,
    Ignored,
};

// JSON types a field may have (a bit set).
namespace json_type {
inline constexpr quint8 kString = 1;
inline constexpr quint8 kNumber = 2;
inline constexpr quint8 kBool = 4;
inline constexpr quint8 kNull = 8;
inline constexpr quint8 kObject = 16;
inline constexpr quint8 kArray = 32;
} // namespace json_type

// What a value must look like beyond its JSON type.
enum class FieldFormat
{
    Any,           // objects, arrays
    Text,          // any string (limited by maxLength)
    Id,            // a Neo id: an integral number or a string of decimal digits, 1..2^53-1
    Key,           // a string or an integral number (calendar columns)
    LocalDateTime, // clinic-local "YYYY-MM-DD HH:MM[:SS]" (or with 'T'), no zone
    LocalDate,     // the same, or a date alone
    Flag,          // true/false, 0/1, "0"/"1"/"true"/"false"
    Quantity,      // a finite number, or a string holding one
};

struct NeoFieldSpec
{
    // Dotted from the row (schedule) or from the answer's root; "[]" after a name: each element of that
    // array ("pageData.providers[].name").
    QLatin1StringView path;
    FieldNeed need = FieldNeed::Required;
    quint8 types = json_type::kString;
    FieldFormat format = FieldFormat::Text;
    qsizetype maxLength = 0; // strings: UTF-16 code units; 0 for non-strings
};

// Which rows are visits (for VisitRequired).
enum class VisitRule
{
    ScheduleFlags,     // not is_block, not is_roster
    ScheduleClassName, // className has neither a "block" nor a "roster" token
    AppointmentFlags,  // appointment.block and appointment.deleted both false
    Always,
};

struct NeoShapeContract
{
    NeoShapeId id = NeoShapeId::ScheduleCurrent;
    QLatin1StringView endpoint; // neo_endpoint::k*
    QLatin1StringView shape;    // "current", "older"
    bool rows = false;          // the paths are relative to each row of the answer's event array
    VisitRule visits = VisitRule::Always;
    std::span<const NeoFieldSpec> fields;

    [[nodiscard]] const NeoFieldSpec* field(QStringView path) const;
};

// The whole table, in the order docs/idexx-neo.md lists it.
[[nodiscard]] std::span<const NeoShapeContract> neoContract();
[[nodiscard]] const NeoShapeContract& neoShapeContract(NeoShapeId id);
// "getCalendarEventData current", for messages and reports.
[[nodiscard]] QString shapeLabel(const NeoShapeContract& contract);

// The longest notes (HTML) and discharge summary accepted, in UTF-16 code units.
inline constexpr qsizetype kMaxNotesLength = 500'000;

// Error codes of an item refusal (neo_extraction_errors.h has the answer-level neo_layout_changed).
namespace neo_refusal {
inline constexpr QLatin1StringView kValueTooLong{codes::kNeoValueTooLong};
inline constexpr QLatin1StringView kInvalidUtf8{codes::kNeoInvalidUtf8};
} // namespace neo_refusal

// The field a refusal names when the whole answer was refused unread (its size: NeoResponse::tooLargeBytes).
inline constexpr QLatin1StringView kWholeAnswerField{"(answer)"};

// One item the contract refused: which row (0 for an answer that is one item), the field and why.
struct NeoItemRefusal
{
    int row = 0;
    QString code;  // neo_refusal::k*
    QString field; // the field's path
    QString detail;

    friend bool operator==(const NeoItemRefusal&, const NeoItemRefusal&) = default;
};

// What the contract check found in one answer, for the parsers' callers: which shape it was, what made
// it invalid (field paths and problems, never values), which items it refused, and how often each
// Optional field was present (drift is judged over a whole run: neo_field_presence.h).
struct NeoAnswerCheck
{
    std::optional<NeoShapeId> shape; // none: no known shape at all
    QList<DriftWarning> violations;  // non-empty: the answer is invalid
    QList<NeoItemRefusal> refusals;
    QHash<QString, int> optionalPresent;
    QHash<QString, int> optionalChecked;
    int rows = 0;
};

// The check of one answer (or of the rows of one answer) against one shape's contract.
class NeoContractCheck
{
public:
    // `invalidUtf8`: the answer's bytes were not valid UTF-8 (the page decoded them with U+FFFD in their
    // place): every string holding U+FFFD then refuses its item.
    NeoContractCheck(const NeoShapeContract& contract, bool invalidUtf8);

    // Checks one row (the schedule) or the whole answer (`row` 0). Returns false when the row broke the
    // contract (the answer is then invalid).
    bool check(const QJsonObject& object, int row = 0);
    // A row that is not an object at all (`field` says where: "(row)").
    void notAnObject(const QString& field, const QJsonValue& value);

    [[nodiscard]] bool valid() const { return m_violations.warnings().isEmpty(); }
    // What made the answer invalid, per field and problem, with the rows it happened on counted.
    [[nodiscard]] const QList<DriftWarning>& violations() const { return m_violations.warnings(); }
    [[nodiscard]] const QList<NeoItemRefusal>& refusals() const { return m_refusals; }
    [[nodiscard]] QSet<int> refusedRows() const;
    // Keys of checked objects that the contract does not know (neither read nor ignored): "unknown field".
    [[nodiscard]] const QList<DriftWarning>& unknownFields() const { return m_unknown.warnings(); }
    // Per Optional field: on how many checked rows (whose parent object was there) it was present.
    [[nodiscard]] const QHash<QString, int>& optionalPresent() const { return m_present; }
    [[nodiscard]] const QHash<QString, int>& optionalChecked() const { return m_checked; }
    [[nodiscard]] int rowsChecked() const { return m_rows; }

    // neo_layout_changed: "<endpoint> <shape>: <field> <problem> (xN); ..." (field paths, never values).
    [[nodiscard]] Error error() const;
    [[nodiscard]] NeoAnswerCheck result() const;

private:
    void checkField(const NeoFieldSpec& spec, const QJsonObject& object, int row, bool visit);
    void checkValue(const NeoFieldSpec& spec, const QString& path, const QJsonValue& value, int row);
    void violate(const QString& field, const QString& detail);
    void refuse(int row, QLatin1StringView code, const QString& field, const QString& detail);
    void reportUnknownKeys(const QJsonObject& object, const QString& prefix, const QString& shown);

    const NeoShapeContract& m_contract;
    bool m_invalidUtf8 = false;
    DriftLog m_violations;
    DriftLog m_unknown;
    QList<NeoItemRefusal> m_refusals;
    QHash<QString, int> m_present;
    QHash<QString, int> m_checked;
    int m_rows = 0;
    bool m_rowBroke = false;
};

// neo_layout_changed for an answer of no known shape (an unknown wrapper, a scalar, a wrong root):
// `what` says what was found, by its keys at most.
[[nodiscard]] Error unknownShapeError(QLatin1StringView endpoint, const QString& what);
// The keys of an object as a short list for unknownShapeError ("keys: a, b"), each made log-safe.
[[nodiscard]] QString keysText(const QJsonObject& object);

// The JSON type names of a type set, "string or null".
[[nodiscard]] QString jsonTypesText(quint8 types);

} // namespace odis::sync
