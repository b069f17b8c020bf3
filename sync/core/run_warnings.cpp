#include "sync/core/run_warnings.h"

#include <QHash>
#include <QJsonValue>

#include <algorithm>
#include <array>

namespace odis::sync {

namespace {

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString mergeKey(const RunWarning& w)
{
    return w.code + u'\n' + w.endpoint + u'\n' + w.field + u'\n' + w.kind + u'\n' + w.detail;
}

} // namespace

bool RunWarning::makesPartial() const
{
    return code != warning_code::kDrift;
}

QString RunWarning::toString() const
{
    QString text = code;
    if (!endpoint.isEmpty())
        text += u' ' + endpoint;
    if (!field.isEmpty())
        text += u' ' + field;
    if (!kind.isEmpty())
        text += u' ' + kind;
    if (!detail.isEmpty())
        text += QStringLiteral(": ") + detail;
    if (count > 1)
        text += QStringLiteral(" (x%1)").arg(count);
    return text;
}

QJsonObject RunWarning::toJson() const
{
    return QJsonObject{{QStringLiteral("code"), code},
                       {QStringLiteral("endpoint"), textOrNull(endpoint)},
                       {QStringLiteral("field"), textOrNull(field)},
                       {QStringLiteral("kind"), textOrNull(kind)},
                       {QStringLiteral("detail"), textOrNull(detail)},
                       {QStringLiteral("count"), count}};
}

RunWarning RunWarning::fromJson(const QJsonObject& json)
{
    return RunWarning{json.value(QStringLiteral("code")).toString(),
                      json.value(QStringLiteral("endpoint")).toString(),
                      json.value(QStringLiteral("field")).toString(),
                      json.value(QStringLiteral("kind")).toString(),
                      json.value(QStringLiteral("detail")).toString(),
                      std::max(1, json.value(QStringLiteral("count")).toInt(1))};
}

QList<RunWarning> mergedWarnings(const QList<RunWarning>& warnings, qsizetype limit)
{
    QList<RunWarning> out;
    QHash<QString, qsizetype> index;
    qsizetype overflow = -1;
    for (const RunWarning& w : warnings) {
        const QString key = mergeKey(w);
        if (const auto it = index.constFind(key); it != index.cend()) {
            out[*it].count += w.count;
            continue;
        }
        if (out.size() >= limit) {
            if (overflow < 0) {
                overflow = out.size();
                out.append(RunWarning{w.code, {}, {}, {}, QStringLiteral("further warnings"), 0});
            }
            out[overflow].count += w.count;
            continue;
        }
        index.insert(key, out.size());
        out.append(w);
    }
    return out;
}

QJsonArray warningsJson(const QList<RunWarning>& warnings)
{
    QJsonArray array;
    for (const RunWarning& w : warnings)
        array.append(w.toJson());
    return array;
}

QList<RunWarning> warningsFromJson(const QJsonArray& array)
{
    QList<RunWarning> out;
    for (const QJsonValue value : array) {
        if (value.isObject())
            out.append(RunWarning::fromJson(value.toObject()));
    }
    return out;
}

QString leadingWarningCode(const QList<RunWarning>& warnings)
{
    static const std::array kOrder{warning_code::kLayoutChanged,  warning_code::kValueTooLong,
                                   warning_code::kInvalidUtf8,    warning_code::kFieldDrift,
                                   warning_code::kVolumeCollapse, warning_code::kHeldBack};
    for (const QLatin1StringView code : kOrder) {
        for (const RunWarning& w : warnings) {
            if (w.code == code)
                return w.code;
        }
    }
    return {};
}

} // namespace odis::sync
