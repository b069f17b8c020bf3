#include "sync/core/neo_fields.h"

#include "sync/core/html_text.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace odis::sync {

namespace {

QString numberText(const QJsonValue& value)
{
    const double d = value.toDouble();
    if (std::trunc(d) == d && std::fabs(d) <= double(kMaxNeoId))
        return QString::number(value.toInteger());
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

} // namespace

NeoObjectReader::NeoObjectReader(QJsonObject object, QString path, DriftLog& log)
    : m_object(std::move(object))
    , m_path(std::move(path))
    , m_log(log)
{}

NeoObjectReader NeoObjectReader::absent(QString path, DriftLog& log)
{
    NeoObjectReader reader(QJsonObject(), std::move(path), log);
    reader.m_absent = true;
    return reader;
}

bool NeoObjectReader::hasValue(QLatin1StringView key) const
{
    const QJsonValue v = m_object.value(key);
    return !v.isNull() && !v.isUndefined();
}

QString NeoObjectReader::fieldPath(const QString& key) const
{
    if (m_path.isEmpty())
        return key;
    return m_path + u'.' + key;
}

std::optional<QJsonValue> NeoObjectReader::present(QLatin1StringView key, Need need) const
{
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd()) {
        if (need == Need::Required && !m_absent)
            m_log.missing(fieldPath(key));
        return std::nullopt;
    }
    const QJsonValue value = *it;
    if (value.isNull() || value.isUndefined())
        return std::nullopt;
    return value;
}

void NeoObjectReader::wrongType(QLatin1StringView key, QStringView expected, const QJsonValue& got) const
{
    m_log.warn(fieldPath(key), jsonTypeName(got) + QStringLiteral(" instead of ") + expected);
}

QString NeoObjectReader::text(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (!value)
        return {};
    QString result;
    if (value->isString()) {
        result = value->toString();
    } else if (value->isDouble()) {
        m_log.warn(fieldPath(key), QStringLiteral("number instead of string"));
        result = numberText(*value);
    } else {
        wrongType(key, u"string", *value);
        return {};
    }
    return result;
}

QString NeoObjectReader::name(QLatin1StringView key, Need need) const
{
    return normaliseName(text(key, need));
}

QString NeoObjectReader::keyText(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (value && value->isDouble()) {
        const double d = value->toDouble();
        if (std::trunc(d) == d && std::fabs(d) <= double(kMaxNeoId))
            return QString::number(value->toInteger());
    }
    return value ? text(key, need).trimmed() : QString();
}

NeoId NeoObjectReader::id(QLatin1StringView key, Need need) const
{
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd()) {
        if (need == Need::Required && !m_absent)
            m_log.missing(fieldPath(key));
        return {NeoId::State::Absent, {}};
    }
    const QJsonValue value = *it;
    if (value.isNull() || value.isUndefined())
        return {NeoId::State::Null, {}};
    Result<QString> normalised = normaliseNeoId(value);
    if (!normalised) {
        m_log.warn(fieldPath(key), normalised.error().message);
        return {NeoId::State::Invalid, {}};
    }
    return {NeoId::State::Valid, std::move(*normalised)};
}

bool NeoObjectReader::flag(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (!value)
        return false;
    if (value->isBool())
        return value->toBool();
    if (value->isDouble() && (value->toDouble() == 0 || value->toDouble() == 1))
        return value->toDouble() == 1;
    if (value->isString()) {
        const QString s = value->toString().trimmed().toLower();
        if (s == u"1" || s == u"true")
            return true;
        if (s == u"0" || s == u"false" || s.isEmpty())
            return false;
    }
    m_log.warn(fieldPath(key), QStringLiteral("not a boolean (%1), read as false").arg(jsonTypeName(*value)));
    return false;
}

std::optional<double> NeoObjectReader::number(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (!value)
        return std::nullopt;
    if (value->isDouble())
        return value->toDouble();
    if (value->isString()) {
        bool ok = false;
        const double d = value->toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d)) {
            m_log.warn(fieldPath(key), QStringLiteral("string instead of number"));
            return d;
        }
        m_log.warn(fieldPath(key), QStringLiteral("not a finite number"));
        return std::nullopt;
    }
    wrongType(key, u"number", *value);
    return std::nullopt;
}

std::optional<int> NeoObjectReader::minutes(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (!value)
        return std::nullopt;
    constexpr double kWeekMinutes = 7 * 24 * 60;
    if (value->isDouble()) {
        const double d = value->toDouble();
        if (std::trunc(d) == d && d >= 0 && d <= kWeekMinutes)
            return int(d);
        m_log.warn(fieldPath(key), QStringLiteral("not a whole number of minutes"));
        return std::nullopt;
    }
    if (value->isString()) {
        if (const std::optional<int> m = parseMinutesOfDay(value->toString()))
            return m;
        m_log.warn(fieldPath(key), QStringLiteral("not minutes or HH:MM"));
        return std::nullopt;
    }
    wrongType(key, u"number", *value);
    return std::nullopt;
}

LocalDateTime NeoObjectReader::dateTime(QLatin1StringView key, Need need, bool allowDateOnly) const
{
    const QString raw = text(key, need);
    if (raw.isEmpty())
        return {};
    Result<LocalDateTime> parsed = parseLocalDateTime(raw, allowDateOnly);
    if (!parsed) {
        m_log.warn(fieldPath(key), parsed.error().message);
        return {};
    }
    return *parsed;
}

std::optional<QJsonObject> NeoObjectReader::object(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (!value)
        return std::nullopt;
    if (!value->isObject()) {
        wrongType(key, u"object", *value);
        return std::nullopt;
    }
    return value->toObject();
}

std::optional<QJsonArray> NeoObjectReader::array(QLatin1StringView key, Need need) const
{
    const std::optional<QJsonValue> value = present(key, need);
    if (!value)
        return std::nullopt;
    if (!value->isArray()) {
        wrongType(key, u"array", *value);
        return std::nullopt;
    }
    return value->toArray();
}

QString unknownStatusDetail(QStringView raw)
{
    return QStringLiteral("unknown status \"%1\"").arg(driftSafe(raw));
}

NeoStatusField readStatus(const NeoObjectReader& reader, std::span<const QLatin1StringView> keys, Need need)
{
    std::optional<NeoStatusField> known;
    std::optional<NeoStatusField> fallback;
    bool anyPresent = false;
    for (QLatin1StringView key : keys) {
        anyPresent = anyPresent || reader.has(key);
        const QString raw = reader.text(key, Need::Optional).trimmed();
        if (raw.isEmpty())
            continue;
        const NeoStatus status = normaliseNeoStatus(raw);
        if (status == NeoStatus::Unknown)
            reader.log().warn(reader.fieldPath(key), unknownStatusDetail(raw));
        if (status != NeoStatus::Unknown && !known)
            known = NeoStatusField{raw, status};
        if (!fallback)
            fallback = NeoStatusField{raw, status};
    }
    if (known)
        return *known;
    if (fallback)
        return *fallback;
    if (need == Need::Required && !keys.empty()) {
        if (anyPresent)
            reader.log().warn(reader.fieldPath(keys.front()), QStringLiteral("empty"));
        else
            reader.log().missing(reader.fieldPath(keys.front()));
    }
    return {};
}

void NeoObjectReader::reportUnknownKeys(std::span<const QLatin1StringView> known) const
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        const QString key = it.key();
        const bool isKnown =
            std::any_of(known.begin(), known.end(), [&](QLatin1StringView k) { return key == k; });
        if (!isKnown)
            m_log.unknownField(fieldPath(driftSafe(key, 64)));
    }
}

} // namespace odis::sync
