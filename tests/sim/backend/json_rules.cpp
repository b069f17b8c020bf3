#include "tests/sim/backend/json_rules.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTime>
#include <QTimeZone>

#include <cmath>

namespace odis::sim::backend {

namespace {

QString join(const QString& path, const QString& name)
{
    return path.isEmpty() ? name : path + u'.' + name;
}

QString typeName(JsonType type)
{
    switch (type) {
    case JsonType::String:
        return QStringLiteral("a string");
    case JsonType::Boolean:
        return QStringLiteral("a boolean");
    case JsonType::Number:
        return QStringLiteral("a number");
    case JsonType::Integer:
        return QStringLiteral("an integer");
    case JsonType::Object:
        return QStringLiteral("an object");
    case JsonType::Array:
        return QStringLiteral("an array");
    case JsonType::Any:
        break;
    }
    return QStringLiteral("a value");
}

bool hasType(const QJsonValue& value, JsonType type)
{
    switch (type) {
    case JsonType::String:
        return value.isString();
    case JsonType::Boolean:
        return value.isBool();
    case JsonType::Number:
        return value.isDouble();
    case JsonType::Integer:
        return value.isDouble() && std::trunc(value.toDouble()) == value.toDouble() &&
               std::fabs(value.toDouble()) < 9007199254740992.0;
    case JsonType::Object:
        return value.isObject();
    case JsonType::Array:
        return value.isArray();
    case JsonType::Any:
        return !value.isUndefined();
    }
    return false;
}

bool matches(const QString& value, const char* pattern)
{
    // Compiled once per pattern: a 500-item batch checks thousands of fields.
    static QHash<const char*, QRegularExpression> compiled;
    auto it = compiled.find(pattern);
    if (it == compiled.end())
        it = compiled.insert(
            pattern, QRegularExpression(QRegularExpression::anchoredPattern(QLatin1StringView(pattern))));
    return it->match(value).hasMatch();
}

bool validInstant(const QString& value, bool millisecondsAllowed)
{
    const char* pattern = millisecondsAllowed ? R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)"
                                              : R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)";
    return matches(value, pattern) && QDateTime::fromString(value, Qt::ISODateWithMs).isValid();
}

std::optional<Violation> checkValue(const QJsonValue& value, const Field& field, const QString& path)
{
    if (value.isNull()) {
        if (field.nullable)
            return std::nullopt;
        return Violation{path, QStringLiteral("must not be null"), true};
    }
    if (!hasType(value, field.type))
        return Violation{path, QStringLiteral("must be ") + typeName(field.type), true};
    if (value.isString()) {
        if (!field.allowed.isEmpty() && !field.allowed.contains(value.toString()))
            return Violation{
                path, QStringLiteral("must be one of ") + field.allowed.join(QStringLiteral(", ")), false};
        return checkFormat(value.toString(), field.format, path);
    }
    if (value.isDouble() && field.minimum && value.toDouble() < *field.minimum)
        return Violation{path, QStringLiteral("must be at least %1").arg(*field.minimum), false};
    if (value.isObject() && field.fields)
        return checkObject(value.toObject(), *field.fields, path);
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        Field element;
        element.type = field.elementType;
        element.format = field.elementFormat;
        element.fields = field.fields;
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto bad = checkValue(array.at(i), element, path + QStringLiteral("[%1]").arg(i)))
                return bad;
        }
    }
    return std::nullopt;
}

} // namespace

QJsonObject Violation::toJson() const
{
    return QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("problem"), problem}};
}

std::optional<Violation> checkFormat(const QString& value, Format format, const QString& path)
{
    bool valid = true;
    QString expected;
    switch (format) {
    case Format::None:
        return std::nullopt;
    case Format::NonEmpty:
        valid = !value.trimmed().isEmpty();
        expected = QStringLiteral("a non-empty string");
        break;
    case Format::Date:
        valid = matches(value, R"(\d{4}-\d{2}-\d{2})") && QDate::fromString(value, Qt::ISODate).isValid();
        expected = QStringLiteral("a date YYYY-MM-DD");
        break;
    case Format::TimeHm:
        valid = matches(value, R"(([01]\d|2[0-3]):[0-5]\d)");
        expected = QStringLiteral("a time HH:MM");
        break;
    case Format::Instant:
        valid = validInstant(value, false);
        expected = QStringLiteral("a UTC instant YYYY-MM-DDTHH:MM:SSZ");
        break;
    case Format::InstantMs:
        valid = validInstant(value, true);
        expected = QStringLiteral("a UTC instant YYYY-MM-DDTHH:MM:SS[.mmm]Z");
        break;
    case Format::LocalInstant:
        valid = matches(value, R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})") &&
                QDateTime::fromString(value, Qt::ISODate).isValid();
        expected = QStringLiteral("a local time with its offset YYYY-MM-DDTHH:MM:SS+HH:MM");
        break;
    case Format::DigitsId:
        valid = matches(value, R"(\d+)");
        expected = QStringLiteral("a Neo id (decimal digits)");
        break;
    case Format::Uuid:
        valid =
            matches(value, R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
        expected = QStringLiteral("a UUID");
        break;
    case Format::Sha256Hex:
        valid = matches(value, R"([0-9a-f]{64})");
        expected = QStringLiteral("64 lower-case hex digits");
        break;
    case Format::E164:
        valid = matches(value, R"(\+\d{8,15})");
        expected = QStringLiteral("an E.164 number");
        break;
    case Format::IanaZone:
        valid = QTimeZone::isTimeZoneIdAvailable(value.toUtf8());
        expected = QStringLiteral("an IANA time zone");
        break;
    }
    if (valid)
        return std::nullopt;
    return Violation{path, QStringLiteral("must be ") + expected, false};
}

std::optional<Violation> checkObject(const QJsonObject& object, const QList<Field>& fields,
                                     const QString& path)
{
    for (const Field& field : fields) {
        const QString fieldPath = join(path, field.name);
        const QJsonValue value = object.value(field.name);
        if (value.isUndefined()) {
            if (field.required)
                return Violation{fieldPath, QStringLiteral("is required"), true};
            continue;
        }
        if (auto bad = checkValue(value, field, fieldPath))
            return bad;
    }
    return std::nullopt;
}

namespace rules {

Field string(const QString& name, Format format)
{
    Field f{name, JsonType::String};
    f.format = format;
    return f;
}

Field nullableString(const QString& name, Format format)
{
    Field f = string(name, format);
    f.nullable = true;
    return f;
}

Field oneOf(const QString& name, const QStringList& allowed)
{
    Field f = string(name);
    f.allowed = allowed;
    return f;
}

Field boolean(const QString& name)
{
    return Field{name, JsonType::Boolean};
}

Field integer(const QString& name, std::optional<double> minimum)
{
    Field f{name, JsonType::Integer};
    f.minimum = minimum;
    return f;
}

Field nullableInteger(const QString& name, std::optional<double> minimum)
{
    Field f = integer(name, minimum);
    f.nullable = true;
    return f;
}

Field number(const QString& name)
{
    return Field{name, JsonType::Number};
}

Field object(const QString& name, QList<Field> fields)
{
    Field f{name, JsonType::Object};
    f.fields = std::make_shared<const QList<Field>>(std::move(fields));
    return f;
}

Field nullableObject(const QString& name, QList<Field> fields)
{
    Field f = object(name, std::move(fields));
    f.nullable = true;
    return f;
}

Field anyObject(const QString& name)
{
    return Field{name, JsonType::Object};
}

Field arrayOf(const QString& name, JsonType element, Format format)
{
    Field f{name, JsonType::Array};
    f.elementType = element;
    f.elementFormat = format;
    return f;
}

Field arrayOfObjects(const QString& name, QList<Field> fields)
{
    Field f = arrayOf(name, JsonType::Object);
    f.fields = std::make_shared<const QList<Field>>(std::move(fields));
    return f;
}

Field optional(Field field)
{
    field.required = false;
    return field;
}

Field nullable(Field field)
{
    field.nullable = true;
    return field;
}

} // namespace rules

} // namespace odis::sim::backend
