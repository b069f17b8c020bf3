#include "tests/sim/contract/openapi_document.h"

#include "tests/sim/contract/yaml_subset.h"

#include <QDate>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <climits>
#include <cmath>

namespace odis::sim::contract {

namespace {

const QStringList& httpMethods()
{
    static const QStringList methods{QStringLiteral("get"), QStringLiteral("put"), QStringLiteral("post"),
                                     QStringLiteral("delete"), QStringLiteral("patch")};
    return methods;
}

const QSet<QString>& knownKeywords()
{
    static const QSet<QString> keywords{
        QStringLiteral("$ref"),         QStringLiteral("type"),       QStringLiteral("nullable"),
        QStringLiteral("required"),     QStringLiteral("properties"), QStringLiteral("additionalProperties"),
        QStringLiteral("items"),        QStringLiteral("enum"),       QStringLiteral("format"),
        QStringLiteral("pattern"),      QStringLiteral("minimum"),    QStringLiteral("maximum"),
        QStringLiteral("minLength"),    QStringLiteral("maxLength"),  QStringLiteral("minItems"),
        QStringLiteral("maxItems"),     QStringLiteral("oneOf"),      QStringLiteral("allOf"),
        QStringLiteral("description"),  QStringLiteral("example"),    QStringLiteral("title"),
        QStringLiteral("discriminator")};
    return keywords;
}

bool hasType(const QJsonValue& value, const QString& type)
{
    if (type == QStringLiteral("string"))
        return value.isString();
    if (type == QStringLiteral("boolean"))
        return value.isBool();
    if (type == QStringLiteral("number"))
        return value.isDouble();
    if (type == QStringLiteral("integer"))
        return value.isDouble() && std::trunc(value.toDouble()) == value.toDouble();
    if (type == QStringLiteral("object"))
        return value.isObject();
    if (type == QStringLiteral("array"))
        return value.isArray();
    return false;
}

std::optional<QString> checkFormat(const QString& value, const QString& format)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    bool valid = false;
    if (format == QStringLiteral("date-time"))
        valid = QDateTime::fromString(value, Qt::ISODateWithMs).isValid() && value.contains(u'T');
    else if (format == QStringLiteral("date"))
        valid = value.size() == 10 && QDate::fromString(value, Qt::ISODate).isValid();
    else if (format == QStringLiteral("uuid"))
        valid = uuid.match(value).hasMatch();
    else
        return QStringLiteral("unsupported format ") + format;
    if (valid)
        return std::nullopt;
    return QStringLiteral("is not a valid ") + format;
}

} // namespace

Result<OpenApiDocument> OpenApiDocument::load(const QString& filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("openapi_unreadable"), QStringLiteral("cannot read ") + filePath);
    auto parsed = parseYamlSubset(file.readAll());
    if (!parsed)
        return std::unexpected(parsed.error());
    if (!parsed->isObject())
        return fail(QStringLiteral("openapi_invalid"), QStringLiteral("the document is not a mapping"));
    return fromJson(parsed->toObject());
}

Result<OpenApiDocument> OpenApiDocument::fromJson(const QJsonObject& root)
{
    if (!root.value(QStringLiteral("openapi")).toString().startsWith(QStringLiteral("3.0.")))
        return fail(QStringLiteral("openapi_invalid"), QStringLiteral("not an OpenAPI 3.0 document"));
    if (!root.value(QStringLiteral("paths")).isObject())
        return fail(QStringLiteral("openapi_invalid"), QStringLiteral("the document has no paths"));
    OpenApiDocument doc;
    doc.m_root = root;
    return doc;
}

QList<OpenApiDocument::Operation> OpenApiDocument::operations() const
{
    QList<Operation> out;
    const QJsonObject paths = m_root.value(QStringLiteral("paths")).toObject();
    for (auto p = paths.constBegin(); p != paths.constEnd(); ++p) {
        const QJsonObject item = p.value().toObject();
        for (const QString& method : httpMethods()) {
            if (item.contains(method))
                out.append(Operation{p.key(), method, item.value(method).toObject()});
        }
    }
    return out;
}

std::optional<OpenApiDocument::Operation> OpenApiDocument::operation(const QString& pathTemplate,
                                                                     QByteArrayView method) const
{
    const QString name = QString::fromLatin1(method).toLower();
    const QJsonObject item = m_root.value(QStringLiteral("paths")).toObject().value(pathTemplate).toObject();
    if (!item.contains(name))
        return std::nullopt;
    return Operation{pathTemplate, name, item.value(name).toObject()};
}

QJsonObject OpenApiDocument::resolve(const QJsonObject& object) const
{
    QJsonObject current = object;
    for (int depth = 0; depth < 16 && current.contains(QStringLiteral("$ref")); ++depth) {
        const QString ref = current.value(QStringLiteral("$ref")).toString();
        if (!ref.startsWith(QStringLiteral("#/")))
            return {};
        QJsonValue target = m_root;
        for (const QString& part : ref.mid(2).split(u'/'))
            target = target.toObject().value(part);
        current = target.toObject();
    }
    return current;
}

QStringList OpenApiDocument::requiredRequestHeaders(const Operation& operation) const
{
    QStringList headers;
    for (const QJsonValue p : operation.json.value(QStringLiteral("parameters")).toArray()) {
        const QJsonObject parameter = resolve(p.toObject());
        if (parameter.value(QStringLiteral("in")).toString() == QStringLiteral("header") &&
            parameter.value(QStringLiteral("required")).toBool())
            headers << parameter.value(QStringLiteral("name")).toString();
    }
    const QJsonArray security = operation.json.contains(QStringLiteral("security"))
                                    ? operation.json.value(QStringLiteral("security")).toArray()
                                    : m_root.value(QStringLiteral("security")).toArray();
    if (!security.isEmpty())
        headers << QStringLiteral("Authorization");
    return headers;
}

QJsonObject OpenApiDocument::requestSchema(const Operation& operation) const
{
    const QJsonObject body = resolve(operation.json.value(QStringLiteral("requestBody")).toObject());
    return body.value(QStringLiteral("content"))
        .toObject()
        .value(QStringLiteral("application/json"))
        .toObject()
        .value(QStringLiteral("schema"))
        .toObject();
}

Result<QJsonObject> OpenApiDocument::response(const Operation& operation, int status) const
{
    const QJsonObject responses = operation.json.value(QStringLiteral("responses")).toObject();
    const QString code = QString::number(status);
    if (responses.contains(code))
        return resolve(responses.value(code).toObject());
    if (responses.contains(QStringLiteral("default")))
        return resolve(responses.value(QStringLiteral("default")).toObject());
    return fail(QStringLiteral("status_undocumented"),
                QStringLiteral("%1 %2 does not document status %3")
                    .arg(operation.method.toUpper(), operation.path, code));
}

QJsonObject OpenApiDocument::responseSchema(const QJsonObject& response) const
{
    return response.value(QStringLiteral("content"))
        .toObject()
        .value(QStringLiteral("application/json"))
        .toObject()
        .value(QStringLiteral("schema"))
        .toObject();
}

QStringList OpenApiDocument::requiredResponseHeaders(const QJsonObject& response) const
{
    QStringList out;
    const QJsonObject headers = response.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        if (resolve(it.value().toObject()).value(QStringLiteral("required")).toBool())
            out << it.key();
    }
    return out;
}

QJsonObject OpenApiDocument::schema(const QString& componentName) const
{
    return m_root.value(QStringLiteral("components"))
        .toObject()
        .value(QStringLiteral("schemas"))
        .toObject()
        .value(componentName)
        .toObject();
}

std::optional<QString> OpenApiDocument::validate(const QJsonValue& value, const QJsonObject& schema) const
{
    return check(value, schema, QStringLiteral("$"));
}

std::optional<QString> OpenApiDocument::check(const QJsonValue& value, const QJsonObject& raw,
                                              const QString& at) const
{
    const QJsonObject schema = resolve(raw);
    for (auto it = schema.constBegin(); it != schema.constEnd(); ++it) {
        if (!knownKeywords().contains(it.key()))
            return at + QStringLiteral(": the schema uses the unsupported keyword ") + it.key();
    }
    if (value.isNull()) {
        const bool enumAllowsNull = schema.value(QStringLiteral("enum")).toArray().contains(QJsonValue());
        if (schema.value(QStringLiteral("nullable")).toBool() || enumAllowsNull || schema.isEmpty())
            return std::nullopt;
        return at + QStringLiteral(": must not be null");
    }
    for (const QJsonValue part : schema.value(QStringLiteral("allOf")).toArray()) {
        if (auto bad = check(value, part.toObject(), at))
            return bad;
    }
    if (schema.contains(QStringLiteral("oneOf"))) {
        int matches = 0;
        QStringList reasons;
        for (const QJsonValue option : schema.value(QStringLiteral("oneOf")).toArray()) {
            const auto bad = check(value, option.toObject(), at);
            matches += bad ? 0 : 1;
            if (bad)
                reasons << *bad;
        }
        if (matches != 1)
            return at + QStringLiteral(": matches %1 of the oneOf schemas (%2)")
                            .arg(matches)
                            .arg(reasons.join(QStringLiteral("; ")));
    }
    const QString type = schema.value(QStringLiteral("type")).toString();
    if (!type.isEmpty() && !hasType(value, type))
        return at + QStringLiteral(": must be of type ") + type;
    if (schema.contains(QStringLiteral("enum")) &&
        !schema.value(QStringLiteral("enum")).toArray().contains(value))
        return at + QStringLiteral(": is not one of the enum values");
    if (value.isString()) {
        const QString s = value.toString();
        if (schema.contains(QStringLiteral("format"))) {
            if (auto bad = checkFormat(s, schema.value(QStringLiteral("format")).toString()))
                return at + QStringLiteral(": ") + *bad;
        }
        if (schema.contains(QStringLiteral("pattern")) &&
            !QRegularExpression(schema.value(QStringLiteral("pattern")).toString()).match(s).hasMatch())
            return at + QStringLiteral(": does not match ") +
                   schema.value(QStringLiteral("pattern")).toString();
        if (s.size() < schema.value(QStringLiteral("minLength")).toInt(0) ||
            s.size() > schema.value(QStringLiteral("maxLength")).toInt(INT_MAX))
            return at + QStringLiteral(": has the wrong length");
    }
    if (value.isDouble()) {
        const double d = value.toDouble();
        if ((schema.contains(QStringLiteral("minimum")) &&
             d < schema.value(QStringLiteral("minimum")).toDouble()) ||
            (schema.contains(QStringLiteral("maximum")) &&
             d > schema.value(QStringLiteral("maximum")).toDouble()))
            return at + QStringLiteral(": is out of range");
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.size() < schema.value(QStringLiteral("minItems")).toInt(0) ||
            array.size() > schema.value(QStringLiteral("maxItems")).toInt(INT_MAX))
            return at + QStringLiteral(": has the wrong number of items");
        if (schema.contains(QStringLiteral("items"))) {
            for (qsizetype i = 0; i < array.size(); ++i) {
                if (auto bad = check(array.at(i), schema.value(QStringLiteral("items")).toObject(),
                                     at + QStringLiteral("[%1]").arg(i)))
                    return bad;
            }
        }
    }
    if (value.isObject())
        return checkObject(value.toObject(), schema, at);
    return std::nullopt;
}

std::optional<QString> OpenApiDocument::checkObject(const QJsonObject& value, const QJsonObject& schema,
                                                    const QString& at) const
{
    for (const QJsonValue name : schema.value(QStringLiteral("required")).toArray()) {
        if (!value.contains(name.toString()))
            return at + u'.' + name.toString() + QStringLiteral(": is required");
    }
    const QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
    const QJsonValue additional = schema.value(QStringLiteral("additionalProperties"));
    for (auto it = value.constBegin(); it != value.constEnd(); ++it) {
        const QString path = at + u'.' + it.key();
        if (properties.contains(it.key())) {
            if (auto bad = check(it.value(), properties.value(it.key()).toObject(), path))
                return bad;
        } else if (additional.isBool() && !additional.toBool()) {
            return path + QStringLiteral(": is not a documented property");
        } else if (additional.isObject()) {
            if (auto bad = check(it.value(), additional.toObject(), path))
                return bad;
        }
    }
    return std::nullopt;
}

} // namespace odis::sim::contract
