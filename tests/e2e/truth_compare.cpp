// Comparing what the backend double received with the Neo simulator's ground truth.

#include "tests/e2e/truth_compare.h"

#include <QJsonDocument>
#include <QSet>

namespace odis::test {

namespace {

// Members the contract leaves out when they do not apply (docs/backend-api.md, discharge_call); the ground
// truth writes them as null.
bool isOptionalMember(const QString& key)
{
    return key == QLatin1String("group") || key == QLatin1String("grouped_into");
}

// `value` reduced to the shape of `like`: objects keep only like's keys (recursively); anything else as is.
QJsonValue projected(const QJsonValue& like, const QJsonValue& value)
{
    if (!like.isObject() || !value.isObject())
        return value;
    const QJsonObject shape = like.toObject();
    const QJsonObject object = value.toObject();
    QJsonObject out;
    for (auto it = shape.begin(); it != shape.end(); ++it) {
        const QJsonValue absent = isOptionalMember(it.key()) ? QJsonValue(QJsonValue::Null)
                                                             : QJsonValue(QStringLiteral("<missing>"));
        out.insert(it.key(),
                   object.contains(it.key()) ? projected(it.value(), object.value(it.key())) : absent);
    }
    return out;
}

QString compact(const QJsonValue& v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

struct Kind
{
    QString truthList;
    QString itemKind;
    QString idField;
};

} // namespace

QHash<QString, QJsonObject> payloadsByKey(const QJsonArray& items)
{
    QHash<QString, QJsonObject> out;
    for (const QJsonValue v : items) {
        const QJsonObject item = v.toObject();
        out.insert(item.value(QStringLiteral("key")).toString(),
                   item.value(QStringLiteral("payload")).toObject());
    }
    return out;
}

QStringList truthDifferences(const QJsonObject& truth, const QJsonArray& items)
{
    const QHash<QString, QJsonObject> held = payloadsByKey(items);
    const QList<Kind> kinds{
        {QStringLiteral("appointments"), QStringLiteral("appointment"), QStringLiteral("neo_appointment_id")},
        {QStringLiteral("consultations"), QStringLiteral("consultation"),
         QStringLiteral("neo_consultation_id")},
        {QStringLiteral("discharge_calls"), QStringLiteral("discharge_call"),
         QStringLiteral("neo_appointment_id")}};
    QStringList differences;
    QSet<QString> expected;
    for (const Kind& kind : kinds) {
        for (const QJsonValue v : truth.value(kind.truthList).toArray()) {
            const QJsonObject record = v.toObject();
            const QString key = kind.itemKind + QLatin1Char(':') + record.value(kind.idField).toString();
            expected.insert(key);
            const auto it = held.constFind(key);
            if (it == held.constEnd()) {
                differences << QStringLiteral("%1: not uploaded").arg(key);
                continue;
            }
            const QJsonObject got = projected(record, *it).toObject();
            for (auto field = record.begin(); field != record.end(); ++field) {
                if (got.value(field.key()) != field.value())
                    differences << QStringLiteral("%1.%2: expected %3, uploaded %4")
                                       .arg(key, field.key(), compact(field.value()),
                                            compact(got.value(field.key())));
            }
        }
    }
    for (auto it = held.begin(); it != held.end(); ++it) {
        if (!expected.contains(it.key()))
            differences << QStringLiteral("%1: uploaded, not in the ground truth").arg(it.key());
    }
    differences.sort();
    return differences;
}

} // namespace odis::test
