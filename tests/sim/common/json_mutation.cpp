#include "tests/sim/common/json_mutation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <algorithm>
namespace odis::sim {

namespace {

// Stands for an invalid UTF-8 sequence until the body is serialised: JSON itself cannot hold one.
const QString kInvalidUtf8Marker = QStringLiteral("\u0001odis-invalid-utf8\u0001");
const QByteArray kInvalidUtf8Escaped = QByteArrayLiteral("\\u0001odis-invalid-utf8\\u0001");
// 0xC3 announces a two-byte sequence that '(' does not continue; 0xFF is never valid in UTF-8.
const QByteArray kInvalidUtf8Bytes = QByteArrayLiteral("\xC3(\xFF");

std::unexpected<Error> invalid(const QString& field, const QString& problem)
{
    return fail(QStringLiteral("invalid_fault"),
                QStringLiteral("mutate.") + field + QStringLiteral(": ") + problem);
}

Result<QJsonValue> valueOfType(const QString& type)
{
    if (type == u"string")
        return QJsonValue(QStringLiteral("odis-retyped"));
    if (type == u"number")
        return QJsonValue(4242);
    if (type == u"boolean")
        return QJsonValue(true);
    if (type == u"object")
        return QJsonValue(QJsonObject{{QStringLiteral("odis"), QStringLiteral("retyped")}});
    if (type == u"array")
        return QJsonValue(QJsonArray{QStringLiteral("odis-retyped")});
    if (type == u"null")
        return QJsonValue(QJsonValue::Null);
    return invalid(QStringLiteral("to"), QStringLiteral("string, number, boolean, object, array or null"));
}

struct Walk
{
    const JsonMutation& mutation;
    QStringList segments;
    qsizetype innermostArray = -1; // index of the last "[]" segment before the field
    int changed = 0;
};

QJsonValue changeField(QJsonObject object, const QString& key, Walk& walk)
{
    if (!object.contains(key))
        return object;
    const JsonMutation& m = walk.mutation;
    switch (m.op) {
    case JsonMutation::Op::Drop:
        object.remove(key);
        break;
    case JsonMutation::Op::Rename: {
        const QJsonValue value = object.take(key);
        object.insert(m.to.isEmpty() ? key + QStringLiteral("_renamed") : m.to, value);
        break;
    }
    case JsonMutation::Op::Retype:
        object.insert(key, *valueOfType(m.to));
        break;
    case JsonMutation::Op::Oversize:
        object.insert(key, QString(m.length, u'x'));
        break;
    case JsonMutation::Op::InvalidUtf8:
        object.insert(key, QString(object.value(key).toString() + kInvalidUtf8Marker));
        break;
    }
    ++walk.changed;
    return object;
}

QJsonValue walkInto(const QJsonValue& node, qsizetype i, Walk& walk)
{
    const QString& segment = walk.segments.at(i);
    const bool isArray = segment.endsWith(QStringLiteral("[]"));
    const QString key = isArray ? segment.chopped(2) : segment;
    const bool last = i + 1 == walk.segments.size();
    const auto eachElement = [&](const QJsonArray& array) {
        QJsonArray out;
        for (qsizetype n = 0; n < array.size(); ++n) {
            const bool skip = walk.mutation.some && i == walk.innermostArray && n % 2 == 0;
            out.append(skip || last ? array.at(n) : walkInto(array.at(n), i + 1, walk));
        }
        return out;
    };
    if (key.isEmpty()) // a leading "[]": the root is an array
        return node.isArray() ? QJsonValue(eachElement(node.toArray())) : node;
    if (!node.isObject())
        return node;
    QJsonObject object = node.toObject();
    if (last)
        return changeField(object, key, walk);
    if (!object.contains(key))
        return node;
    object.insert(key, isArray ? QJsonValue(eachElement(object.value(key).toArray()))
                               : walkInto(object.value(key), i + 1, walk));
    return object;
}

} // namespace

Result<JsonMutation> JsonMutation::fromJson(const QJsonObject& json)
{
    static const QStringList known{QStringLiteral("op"), QStringLiteral("path"), QStringLiteral("to"),
                                   QStringLiteral("length"), QStringLiteral("rows")};
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!known.contains(it.key()))
            return invalid(it.key(), QStringLiteral("unknown"));
    }
    JsonMutation m;
    const QString op = json.value(QStringLiteral("op")).toString();
    static const QList<QPair<QString, Op>> ops{{QStringLiteral("drop"), Op::Drop},
                                               {QStringLiteral("rename"), Op::Rename},
                                               {QStringLiteral("retype"), Op::Retype},
                                               {QStringLiteral("oversize"), Op::Oversize},
                                               {QStringLiteral("invalid_utf8"), Op::InvalidUtf8}};
    const auto found = std::ranges::find_if(ops, [&](const auto& o) { return o.first == op; });
    if (found == ops.end())
        return invalid(QStringLiteral("op"),
                       QStringLiteral("drop, rename, retype, oversize or invalid_utf8"));
    m.op = found->second;
    m.path = json.value(QStringLiteral("path")).toString();
    if (m.path.isEmpty() || m.path.endsWith(QStringLiteral("[]")) || m.path.contains(QStringLiteral("..")))
        return invalid(QStringLiteral("path"), QStringLiteral("a dotted path to a field"));
    m.to = json.value(QStringLiteral("to")).toString();
    if (m.op == Op::Retype) {
        if (auto type = valueOfType(m.to); !type)
            return std::unexpected(type.error());
    }
    if (m.op == Op::Oversize) {
        const QJsonValue length = json.value(QStringLiteral("length"));
        if (!length.isDouble() || length.toInt() < 1 || length.toInt() > 50'000'000)
            return invalid(QStringLiteral("length"), QStringLiteral("an integer in [1, 50000000]"));
        m.length = length.toInt();
    }
    const QString rows = json.value(QStringLiteral("rows")).toString(QStringLiteral("all"));
    if (rows != u"all" && rows != u"some")
        return invalid(QStringLiteral("rows"), QStringLiteral("all or some"));
    m.some = rows == u"some";
    return m;
}

QJsonObject JsonMutation::toJson() const
{
    static const QStringList names{QStringLiteral("drop"), QStringLiteral("rename"), QStringLiteral("retype"),
                                   QStringLiteral("oversize"), QStringLiteral("invalid_utf8")};
    QJsonObject json{{QStringLiteral("op"), names.at(int(op))},
                     {QStringLiteral("path"), path},
                     {QStringLiteral("rows"), some ? QStringLiteral("some") : QStringLiteral("all")}};
    if (!to.isEmpty())
        json.insert(QStringLiteral("to"), to);
    if (op == Op::Oversize)
        json.insert(QStringLiteral("length"), length);
    return json;
}

int mutateJsonBody(QByteArray& body, const QList<JsonMutation>& mutations, const QString& wrap,
                   qint64 answerIndex)
{
    if (mutations.isEmpty() && wrap.isEmpty())
        return 0;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return 0;
    QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    int changed = 0;
    for (const JsonMutation& m : mutations) {
        Walk walk{m, m.path.split(u'.'), -1, 0};
        for (qsizetype i = 0; i + 1 < walk.segments.size(); ++i) {
            if (walk.segments.at(i).endsWith(QStringLiteral("[]")))
                walk.innermostArray = i;
        }
        if (m.some && walk.innermostArray < 0 && answerIndex % 2 == 0)
            continue; // without an array, "some" is every other answer
        root = walkInto(root, 0, walk);
        changed += walk.changed;
    }
    if (!wrap.isEmpty()) {
        root = QJsonObject{{wrap, root}};
        ++changed;
    }
    body = root.isArray() ? QJsonDocument(root.toArray()).toJson(QJsonDocument::Compact)
                          : QJsonDocument(root.toObject()).toJson(QJsonDocument::Compact);
    body.replace(kInvalidUtf8Escaped, kInvalidUtf8Bytes);
    return changed;
}

} // namespace odis::sim
