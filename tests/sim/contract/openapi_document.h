#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace odis::sim::contract {

// An OpenAPI 3.0 document (docs/openapi/agent-api-v1.yaml) read with the YAML subset reader, and a
// validator for the subset of Schema Objects it uses: $ref, type, nullable, required, properties,
// additionalProperties, items, enum, format (date, date-time, uuid), pattern, minimum, maximum,
// minLength, maxLength, minItems, maxItems, oneOf, allOf. A schema with any other keyword fails
// validation, so the document cannot say something this validator silently ignores.
class OpenApiDocument
{
public:
    struct Operation
    {
        QString path;   // the template, e.g. /v1/sync/runs/{run_id}
        QString method; // lower case, as in the document
        QJsonObject json;
    };

    static Result<OpenApiDocument> load(const QString& filePath);
    static Result<OpenApiDocument> fromJson(const QJsonObject& root);

    [[nodiscard]] const QJsonObject& root() const { return m_root; }
    [[nodiscard]] QList<Operation> operations() const;
    [[nodiscard]] std::optional<Operation> operation(const QString& pathTemplate,
                                                     QByteArrayView method) const;

    // Header parameters marked required, plus Authorization when the operation needs the bearer scheme.
    [[nodiscard]] QStringList requiredRequestHeaders(const Operation& operation) const;
    // The application/json schema of the request body; empty when the operation has no body.
    [[nodiscard]] QJsonObject requestSchema(const Operation& operation) const;
    // The documented response for a status; "status_undocumented" when there is none.
    [[nodiscard]] Result<QJsonObject> response(const Operation& operation, int status) const;
    // The schema of a response's content (application/json); empty when it has no content.
    [[nodiscard]] QJsonObject responseSchema(const QJsonObject& response) const;
    [[nodiscard]] QStringList requiredResponseHeaders(const QJsonObject& response) const;
    [[nodiscard]] QJsonObject schema(const QString& componentName) const;

    // The first way `value` breaks `schema`, as "<json path>: <problem>"; nothing when it conforms.
    [[nodiscard]] std::optional<QString> validate(const QJsonValue& value, const QJsonObject& schema) const;
    // Follows a {"$ref": "#/..."} (repeatedly); other objects are returned as they are.
    [[nodiscard]] QJsonObject resolve(const QJsonObject& object) const;

private:
    std::optional<QString> check(const QJsonValue& value, const QJsonObject& schema, const QString& at) const;
    std::optional<QString> checkObject(const QJsonObject& value, const QJsonObject& schema,
                                       const QString& at) const;

    QJsonObject m_root;
};

} // namespace odis::sim::contract
