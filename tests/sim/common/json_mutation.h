#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace odis::sim {

// One change a fault makes to a JSON answer, at a path: the general ways an API drifts or misbehaves
// (a field dropped, renamed or of another type, a value too long or not valid UTF-8), for any field of
// any answer. As the fault plan takes it:
//   {"op": "drop" | "rename" | "retype" | "oversize" | "invalid_utf8",
//    "path": "[].phone_number" | "consultation.notes" | "pageData.providers[].name",
//    "to": "<new name>" (rename; default "<name>_renamed") | "string|number|boolean|object|array|null"
//    (retype), "length": n (oversize: a string of n characters), "rows": "all" (default) | "some"}
// Paths are dotted; "name[]" walks into each element of an array, a leading "[]" into each element of a
// root array. "some" changes every other element (odd indexes) of the innermost array on the path, or,
// for a path without arrays, every other answer of the route (its 2nd, 4th, ...).
struct JsonMutation
{
    enum class Op
    {
        Drop,
        Rename,
        Retype,
        Oversize,
        InvalidUtf8,
    };

    Op op = Op::Drop;
    QString path;
    QString to;
    int length = 0;
    bool some = false;

    static Result<JsonMutation> fromJson(const QJsonObject& json);
    [[nodiscard]] QJsonObject toJson() const;
};

// Applies `mutations` to a JSON body, then wraps it in {wrap: <body>} when `wrap` is not empty (an
// answer under an unknown envelope). `answerIndex` counts the route's answers from 0 ("some" without an
// array). Returns how many values were changed (a wrap counts one). A body that is not JSON is left as
// it is (0).
int mutateJsonBody(QByteArray& body, const QList<JsonMutation>& mutations, const QString& wrap,
                   qint64 answerIndex);

} // namespace odis::sim
