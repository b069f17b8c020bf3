#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace odis::sim::backend {

// A small declarative checker for the contract's JSON bodies: required fields, types, nullability, enums
// and string formats. It is the double's own reading of docs/backend-api.md (the OpenAPI document is
// checked against the double separately, so the two cannot silently agree on a mistake).
enum class JsonType
{
    String,
    Boolean,
    Number,
    Integer,
    Object,
    Array,
    Any
};

enum class Format
{
    None,
    NonEmpty,
    Date,         // YYYY-MM-DD, a real date
    TimeHm,       // HH:MM, 24 h
    Instant,      // YYYY-MM-DDTHH:MM:SSZ
    InstantMs,    // the same, milliseconds allowed
    LocalInstant, // YYYY-MM-DDTHH:MM:SS+HH:MM (clinic-local with its offset)
    DigitsId,     // a Neo id: decimal digits
    Uuid,         // 8-4-4-4-12 hex
    Sha256Hex,    // 64 lower-case hex digits
    E164,         // + and 8 to 15 digits
    IanaZone,     // a time zone id this system knows
};

struct Field
{
    QString name;
    JsonType type = JsonType::Any;
    bool nullable = false;
    bool required = true;
    Format format = Format::None;
    QStringList allowed;                        // enum values (strings)
    std::optional<double> minimum;              // numbers
    std::shared_ptr<const QList<Field>> fields; // an object's fields, or each array element's
    JsonType elementType = JsonType::Any;       // arrays
    Format elementFormat = Format::None;
};

// Where a body breaks its rules. `shape` is a missing field or a wrong type (-> 400); otherwise a value
// breaks an enum, a format or a minimum (-> 422).
struct Violation
{
    QString field; // dotted path: "items[3].payload.client.phone_e164"
    QString problem;
    bool shape = true;

    [[nodiscard]] QJsonObject toJson() const;
};

std::optional<Violation> checkObject(const QJsonObject& object, const QList<Field>& fields,
                                     const QString& path = {});
std::optional<Violation> checkFormat(const QString& value, Format format, const QString& path);

// Builders that keep the rule tables short.
namespace rules {
Field string(const QString& name, Format format = Format::None);
Field nullableString(const QString& name, Format format = Format::None);
Field oneOf(const QString& name, const QStringList& allowed);
Field boolean(const QString& name);
Field integer(const QString& name, std::optional<double> minimum = 0);
Field nullableInteger(const QString& name, std::optional<double> minimum = 0);
Field number(const QString& name);
Field object(const QString& name, QList<Field> fields);
Field nullableObject(const QString& name, QList<Field> fields);
Field anyObject(const QString& name);
Field arrayOf(const QString& name, JsonType element, Format format = Format::None);
Field arrayOfObjects(const QString& name, QList<Field> fields);
Field optional(Field field);
Field nullable(Field field);
} // namespace rules

} // namespace odis::sim::backend
