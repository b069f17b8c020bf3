#include "tests/sim/neo/sim_call_time.h"

#include "tests/sim/neo/clinic_time.h"

#include <cstdlib>

namespace odis::sim::neo {

namespace {

constexpr qint64 kMinuteSecs = 60;
// Bounds the search for an open day; a profile with no open day at all places calls on the next day.
constexpr int kMaxDaysAhead = 14;

} // namespace

CallTimePlanner::CallTimePlanner(const SimClinicProfile& profile)
    : m_profile(profile)
{}

bool CallTimePlanner::callingDay(QDate date) const
{
    return !m_profile.policy.skipClosedDays || m_profile.isOpen(date);
}

QDate CallTimePlanner::firstCallingDayFrom(QDate date) const
{
    for (int i = 0; i < kMaxDaysAhead; ++i) {
        if (callingDay(date.addDays(i)))
            return date.addDays(i);
    }
    return date;
}

QDateTime CallTimePlanner::windowStartOn(QDate date) const
{
    return localToUtc(date, m_profile.policy.windowStart, m_profile.zone);
}

QDateTime CallTimePlanner::propose(QDate visitDate, const QDateTime& nowUtc) const
{
    const SimDischargePolicy& p = m_profile.policy;
    QDate day = firstCallingDayFrom(visitDate.addDays(p.callDelayDays));
    QTime time = p.callTime;
    if (time < p.windowStart) {
        time = p.windowStart;
    } else if (time > p.windowEnd) {
        day = firstCallingDayFrom(day.addDays(1));
        time = p.windowStart;
    }
    const QDateTime planned = localToUtc(day, time, m_profile.zone);
    const QDateTime earliest = nowUtc.addSecs(15 * kMinuteSecs);
    if (planned >= earliest)
        return planned;

    // Notes arrived late: the earliest whole minute at or after now + 15 min inside the window.
    const QDateTime candidate = ceilToMinute(earliest);
    const QDateTime local = utcToLocal(candidate, m_profile.zone);
    const QDate today = local.date();
    if (callingDay(today) && local.time() >= p.windowStart && local.time() <= p.windowEnd)
        return candidate;
    if (callingDay(today) && local.time() < p.windowStart)
        return windowStartOn(today);
    return windowStartOn(firstCallingDayFrom(today.addDays(1)));
}

QDateTime CallTimePlanner::stagger(const QDateTime& proposed, const QList<QDateTime>& held) const
{
    const qint64 spacing = static_cast<qint64>(m_profile.policy.staggerMinutes) * kMinuteSecs;
    QDateTime time = proposed;
    // Each pass either accepts the time or moves it strictly later, and only finitely many held calls
    // can be passed, so the loop ends.
    while (true) {
        QDateTime latestConflict;
        for (const QDateTime& other : held) {
            if (std::abs(other.secsTo(time)) < spacing &&
                (!latestConflict.isValid() || other > latestConflict))
                latestConflict = other;
        }
        if (!latestConflict.isValid())
            return time;
        const QDate dayBefore = utcToLocal(time, m_profile.zone).date();
        time = latestConflict.addSecs(spacing);
        const QDateTime local = utcToLocal(time, m_profile.zone);
        if (local.date() != dayBefore || local.time() > m_profile.policy.windowEnd)
            time = windowStartOn(firstCallingDayFrom(dayBefore.addDays(1)));
    }
}

} // namespace odis::sim::neo
