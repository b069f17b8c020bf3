#include "tests/sim/neo/sim_call_time.h"

#include "tests/sim/neo/clinic_time.h"

#include <cstdlib>

namespace odis::sim::neo {

namespace {

constexpr qint64 kMinuteSecs = 60;
// Bounds the search for a day with a call slot.
constexpr int kMaxDaysAhead = 14;

// The part of [from, to] (minutes, both included) inside the call window, if any.
void addClipped(QList<QPair<QTime, QTime>>& out, QTime from, QTime to, QTime windowStart, QTime windowEnd)
{
    const QTime first = std::max(from, windowStart);
    const QTime last = std::min(to, windowEnd);
    if (first <= last)
        out.append({first, last});
}

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

QList<QPair<QTime, QTime>> CallTimePlanner::slotsOn(QDate date) const
{
    const SimDischargePolicy& p = m_profile.policy;
    QList<QPair<QTime, QTime>> out;
    if (!callingDay(date))
        return out;
    if (p.callsOutsideHours) {
        out.append({p.windowStart, p.windowEnd});
        return out;
    }
    const auto hours = m_profile.hoursOn(date);
    if (!hours)
        return out;
    // Open from `open` until the minute before `close`, closed from lunch_start until the minute before
    // lunch_end.
    const QTime lastOpen = hours->close.addSecs(-kMinuteSecs);
    if (hours->lunchStart && hours->lunchEnd) {
        if (*hours->lunchStart > hours->open)
            addClipped(out, hours->open, std::min(lastOpen, hours->lunchStart->addSecs(-kMinuteSecs)),
                       p.windowStart, p.windowEnd);
        addClipped(out, std::max(hours->open, *hours->lunchEnd), lastOpen, p.windowStart, p.windowEnd);
    } else {
        addClipped(out, hours->open, lastOpen, p.windowStart, p.windowEnd);
    }
    return out;
}

QDateTime CallTimePlanner::firstSlotFrom(const QDateTime& utc) const
{
    QDateTime from = ceilToMinute(utc);
    const QDate firstDay = utcToLocal(from, m_profile.zone).date();
    for (int i = 0; i < kMaxDaysAhead; ++i) {
        const QDate day = firstDay.addDays(i);
        for (const auto& [first, last] : slotsOn(day)) {
            const QDateTime start = localToUtc(day, first, m_profile.zone);
            const QDateTime end = localToUtc(day, last, m_profile.zone);
            if (from <= end)
                return std::max(from, start);
        }
    }
    return from; // no slot within two weeks: a profile the agent refuses
}

bool CallTimePlanner::isSlot(const QDateTime& utc) const
{
    const QDate day = utcToLocal(utc, m_profile.zone).date();
    for (const auto& [first, last] : slotsOn(day)) {
        if (utc >= localToUtc(day, first, m_profile.zone) && utc <= localToUtc(day, last, m_profile.zone))
            return true;
    }
    return false;
}

QDateTime CallTimePlanner::scheduled(QDate visitDate) const
{
    const SimDischargePolicy& p = m_profile.policy;
    const QDate day = firstCallingDayFrom(visitDate.addDays(p.callDelayDays));
    return firstSlotFrom(localToUtc(day, p.callTime, m_profile.zone));
}

QDateTime CallTimePlanner::propose(QDate visitDate, const QDateTime& nowUtc) const
{
    QDateTime planned = scheduled(visitDate);
    const QDateTime earliest = nowUtc.addSecs(15 * kMinuteSecs);
    if (planned >= earliest)
        return planned;
    // Notes arrived late: the earliest call slot at or after now + 15 min.
    return firstSlotFrom(earliest);
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
        time = firstSlotFrom(latestConflict.addSecs(spacing));
    }
}

} // namespace odis::sim::neo
