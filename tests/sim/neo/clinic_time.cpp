#include "tests/sim/neo/clinic_time.h"

#include <algorithm>
#include <cstdlib>

namespace odis::sim::neo {

namespace {

// Seconds since the epoch of a wall-clock time read as if it were UTC.
qint64 naiveSecs(QDate date, QTime time)
{
    return QDateTime(date, time, Qt::UTC).toSecsSinceEpoch();
}

// The UTC instants whose clinic-local reading is exactly `naive`: none in a gap, two when ambiguous.
QList<qint64> instantsFor(qint64 naive, const QTimeZone& zone)
{
    // Offsets a day either side cover every transition a wall-clock time can fall next to.
    const int before = zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(naive - 86400, Qt::UTC));
    const int after = zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(naive + 86400, Qt::UTC));
    QList<qint64> found;
    for (const int offset : {before, after}) {
        const qint64 candidate = naive - offset;
        if (zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(candidate, Qt::UTC)) == offset &&
            !found.contains(candidate))
            found.append(candidate);
    }
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace

QDateTime localToUtc(QDate date, QTime time, const QTimeZone& zone)
{
    const qint64 naive = naiveSecs(date, time);
    QList<qint64> instants = instantsFor(naive, zone);
    if (instants.isEmpty()) {
        // In a gap: walk forward minute by minute (gaps are at most a few hours) to the first wall-clock
        // minute that exists, counted from the start of the minute the requested time is in.
        const qint64 minuteStart = naive - (naive % 60 + 60) % 60;
        for (qint64 step = 1; step <= 24 * 60 && instants.isEmpty(); ++step)
            instants = instantsFor(minuteStart + step * 60, zone);
    }
    if (instants.isEmpty())
        return {};
    return QDateTime::fromSecsSinceEpoch(instants.first(), Qt::UTC);
}

QDateTime utcToLocal(const QDateTime& utc, const QTimeZone& zone)
{
    const QDateTime local = utc.toTimeZone(zone);
    return QDateTime(local.date(), local.time(), Qt::UTC);
}

QString isoUtc(const QDateTime& utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('Z');
}

QString isoLocalWithOffset(const QDateTime& utc, const QTimeZone& zone)
{
    const QDateTime local = utc.toTimeZone(zone);
    const int offset = zone.offsetFromUtc(utc);
    const int minutes = std::abs(offset) / 60;
    return local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
           (offset < 0 ? QLatin1Char('-') : QLatin1Char('+')) +
           QStringLiteral("%1:%2")
               .arg(minutes / 60, 2, 10, QLatin1Char('0'))
               .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

QDateTime ceilToMinute(const QDateTime& utc)
{
    const qint64 ms = utc.toMSecsSinceEpoch();
    const qint64 minuteMs = 60'000;
    const qint64 floor = ms - ((ms % minuteMs) + minuteMs) % minuteMs;
    return QDateTime::fromMSecsSinceEpoch(floor == ms ? ms : floor + minuteMs, Qt::UTC);
}

} // namespace odis::sim::neo
