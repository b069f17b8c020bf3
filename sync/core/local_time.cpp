#include "sync/core/local_time.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <optional>

namespace odis::sync {

namespace {

constexpr qint64 kSecsPerDay = qint64{24} * 60 * 60;
constexpr qint64 kMSecsPerMinute = qint64{60} * 1000;

QDateTime utcFromSecs(qint64 secs)
{
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
}

int offsetAt(const QTimeZone& zone, qint64 utcSecs)
{
    return zone.offsetFromUtc(utcFromSecs(utcSecs));
}

// The offsets in force a day before, at and a day after the wall time (read as if it were UTC). Every
// real zone changes its offset at most once in such a span, so these bracket both sides of a transition.
std::array<int, 3> offsetsAround(const QTimeZone& zone, qint64 wallSecs)
{
    return {offsetAt(zone, wallSecs - kSecsPerDay), offsetAt(zone, wallSecs),
            offsetAt(zone, wallSecs + kSecsPerDay)};
}

// The earliest instant whose wall-clock reading in `zone` is `wallSecs`; nullopt inside a gap.
std::optional<qint64> earliestOccurrence(const QTimeZone& zone, qint64 wallSecs)
{
    std::optional<qint64> earliest;
    for (const int offset : offsetsAround(zone, wallSecs)) {
        const qint64 candidate = wallSecs - offset;
        if (offsetAt(zone, candidate) == offset && (!earliest || candidate < *earliest))
            earliest = candidate;
    }
    return earliest;
}

} // namespace

QDateTime resolveLocalTime(QDate date, QTime time, const QTimeZone& zone)
{
    if (!date.isValid() || !time.isValid() || !zone.isValid())
        return {};
    const qint64 wallSecs = QDateTime(date, time, Qt::UTC).toSecsSinceEpoch();
    if (const auto occurrence = earliestOccurrence(zone, wallSecs))
        return utcFromSecs(*occurrence);

    // A gap: the wall clock jumps over `wallSecs`. The first valid time after it is the transition
    // itself, which lies between the readings with the new (larger) and the old (smaller) offset.
    const auto offsets = offsetsAround(zone, wallSecs);
    const auto [smallest, largest] = std::minmax_element(offsets.begin(), offsets.end());
    const qint64 earliestBound = wallSecs - *largest;
    const qint64 latestBound = wallSecs - *smallest;
    if (zone.hasTransitions()) {
        const QTimeZone::OffsetData transition = zone.nextTransition(utcFromSecs(earliestBound - 1));
        if (transition.atUtc.isValid() && transition.atUtc.toSecsSinceEpoch() <= latestBound)
            return ceilToMinute(transition.atUtc.toUTC());
    }
    // A backend without transition data: walk forward minute by minute to the first valid reading.
    for (qint64 wall = wallSecs - wallSecs % 60 + 60; wall <= wallSecs + 2 * kSecsPerDay; wall += 60) {
        if (const auto occurrence = earliestOccurrence(zone, wall))
            return utcFromSecs(*occurrence);
    }
    return {};
}

QDateTime resolveLocalTime(const LocalDateTime& local, const QTimeZone& zone)
{
    return resolveLocalTime(local.date, local.time, zone);
}

QDateTime ceilToMinute(const QDateTime& instant)
{
    if (!instant.isValid())
        return {};
    const qint64 msecs = instant.toMSecsSinceEpoch();
    const qint64 remainder = ((msecs % kMSecsPerMinute) + kMSecsPerMinute) % kMSecsPerMinute;
    const qint64 ceiled = remainder == 0 ? msecs : msecs + (kMSecsPerMinute - remainder);
    return QDateTime::fromMSecsSinceEpoch(ceiled, Qt::UTC);
}

QDateTime toClinicLocal(const QDateTime& instant, const QTimeZone& zone)
{
    if (!instant.isValid() || !zone.isValid())
        return {};
    return QDateTime::fromMSecsSinceEpoch(instant.toMSecsSinceEpoch(), zone);
}

QString formatUtcInstant(const QDateTime& instant)
{
    if (!instant.isValid())
        return {};
    return instant.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('Z');
}

QString formatClinicLocal(const QDateTime& instant, const QTimeZone& zone)
{
    const QDateTime local = toClinicLocal(instant, zone);
    if (!local.isValid())
        return {};
    const int offset = local.offsetFromUtc();
    const int absMinutes = (offset < 0 ? -offset : offset) / 60;
    return local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char(offset < 0 ? '-' : '+') +
           QStringLiteral("%1:%2")
               .arg(absMinutes / 60, 2, 10, QLatin1Char('0'))
               .arg(absMinutes % 60, 2, 10, QLatin1Char('0'));
}

QDateTime parseUtcInstant(const QString& text)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return {};
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt());
    const QTime time(match.captured(4).toInt(), match.captured(5).toInt(), match.captured(6).toInt());
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

QString LocalDateTime::toString() const
{
    if (!date.isValid())
        return {};
    QString day = date.toString(QStringLiteral("yyyy-MM-dd"));
    if (!time.isValid())
        return day;
    return day + u' ' + time.toString(QStringLiteral("HH:mm:ss"));
}

QDateTime LocalDateTime::toZoned(const QTimeZone& zone) const
{
    if (!isValid() || !zone.isValid())
        return {};
    return resolveLocalTime(date, time, zone);
}

bool LocalDateTime::isBefore(const LocalDateTime& other) const
{
    if (date != other.date)
        return date < other.date;
    return (time.isValid() ? time : QTime(0, 0)) < (other.time.isValid() ? other.time : QTime(0, 0));
}

} // namespace odis::sync
