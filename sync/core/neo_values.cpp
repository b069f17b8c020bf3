#include "sync/core/neo_values.h"

#include "storage/codes/sync_core_codes.h"
#include "sync/core/html_text.h"

#include <cmath>

namespace odis::sync {

namespace {

// Digits at [from, from + count) as a number; -1 when one of them is not a digit.
int digits(QStringView s, qsizetype from, qsizetype count)
{
    if (from + count > s.size())
        return -1;
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const char16_t c = s.at(i).unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

bool isZoneStart(QChar c)
{
    return c == u'Z' || c == u'z' || c == u'+' || c == u'-';
}

} // namespace

QString jsonTypeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

Result<QString> normaliseNeoId(const QJsonValue& value)
{
    const QString code = codes::kInvalidId;
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (!std::isfinite(d) || std::trunc(d) != d)
            return fail(code, QStringLiteral("id is not an integer"));
        const qint64 id = value.toInteger(0); // 0 also when beyond qint64
        if (id < 1 || id > kMaxNeoId)
            return fail(code, QStringLiteral("id out of range"));
        return QString::number(id);
    }
    if (value.isString()) {
        const QString text = value.toString().trimmed();
        if (text.isEmpty())
            return fail(code, QStringLiteral("id is an empty string"));
        qsizetype start = 0;
        for (const QChar c : text) {
            if (c.unicode() < u'0' || c.unicode() > u'9')
                return fail(code, QStringLiteral("id is not a decimal number"));
        }
        while (start + 1 < text.size() && text.at(start) == u'0')
            ++start;
        constexpr qsizetype kMaxDigits = 16; // kMaxNeoId has 16 digits
        if (text.size() - start > kMaxDigits)
            return fail(code, QStringLiteral("id out of range"));
        const qint64 id = QStringView(text).sliced(start).toLongLong();
        if (id < 1 || id > kMaxNeoId)
            return fail(code, QStringLiteral("id out of range"));
        return QString::number(id);
    }
    return fail(code, jsonTypeName(value) + QStringLiteral(" instead of an id"));
}

Result<LocalDateTime> parseLocalDateTime(QStringView text, bool allowDateOnly)
{
    const QString code = codes::kInvalidLocalTime;
    const QStringView s = text.trimmed();
    const int year = digits(s, 0, 4);
    const int month = digits(s, 5, 2);
    const int day = digits(s, 8, 2);
    if (year < 0 || month < 0 || day < 0 || s.at(4) != u'-' || s.at(7) != u'-')
        return fail(code, QStringLiteral("not a YYYY-MM-DD date"));
    const QDate date(year, month, day);
    if (!date.isValid())
        return fail(code, QStringLiteral("not a calendar date"));
    if (s.size() == 10) {
        if (allowDateOnly)
            return LocalDateTime{date, QTime()};
        return fail(code, QStringLiteral("date without a time"));
    }
    const QChar separator = s.at(10);
    if (separator != u' ' && separator != u'T' && separator != u't')
        return fail(code, QStringLiteral("not a clinic-local date-time"));

    const int hour = digits(s, 11, 2);
    const int minute = digits(s, 14, 2);
    if (hour < 0 || minute < 0 || s.size() < 16 || s.at(13) != u':')
        return fail(code, QStringLiteral("not a clinic-local date-time"));
    qsizetype pos = 16;
    int second = 0;
    int millisecond = 0;
    if (pos < s.size() && s.at(pos) == u':') {
        second = digits(s, pos + 1, 2);
        if (second < 0)
            return fail(code, QStringLiteral("not a clinic-local date-time"));
        pos += 3;
        if (pos < s.size() && s.at(pos) == u'.') {
            ++pos;
            const qsizetype fractionStart = pos;
            while (pos < s.size() && s.at(pos).isDigit() && pos - fractionStart < 9)
                ++pos;
            const QString fraction =
                QString(s.sliced(fractionStart, pos - fractionStart) + QStringLiteral("00")).left(3);
            millisecond = digits(fraction, 0, 3);
            if (pos == fractionStart || millisecond < 0)
                return fail(code, QStringLiteral("not a clinic-local date-time"));
        }
    }
    if (pos < s.size()) {
        if (isZoneStart(s.at(pos)))
            return fail(code, QStringLiteral("has a time zone; clinic-local time expected"));
        return fail(code, QStringLiteral("not a clinic-local date-time"));
    }
    if (hour == 24 && minute == 0 && second == 0 && millisecond == 0)
        return LocalDateTime{date.addDays(1), QTime(0, 0)};
    const QTime time(hour, minute, second, millisecond);
    if (!time.isValid())
        return fail(code, QStringLiteral("not a time of day"));
    return LocalDateTime{date, time};
}

std::optional<int> parseMinutesOfDay(QStringView text)
{
    const QStringView s = text.trimmed();
    const qsizetype colon = s.indexOf(u':');
    if (colon < 1 || colon > 2)
        return std::nullopt;
    const int hour = digits(s, 0, colon);
    const int minute = digits(s, colon + 1, 2);
    qsizetype end = colon + 3;
    int second = 0;
    if (end < s.size() && s.at(end) == u':') {
        second = digits(s, end + 1, 2);
        end += 3;
    }
    if (hour < 0 || minute < 0 || second < 0 || end != s.size() || minute > 59 || second > 59)
        return std::nullopt;
    if (hour > 24 || (hour == 24 && (minute != 0 || second != 0)))
        return std::nullopt;
    return hour * 60 + minute;
}

SplitName splitClientName(QStringView raw)
{
    const QString name = normaliseName(raw);
    if (const qsizetype comma = name.indexOf(u','); comma >= 0)
        return {normaliseName(QStringView(name).sliced(comma + 1)),
                normaliseName(QStringView(name).first(comma))};
    if (const qsizetype space = name.indexOf(u' '); space >= 0)
        return {name.first(space), name.sliced(space + 1)};
    return {QString(), name};
}
} // namespace odis::sync
