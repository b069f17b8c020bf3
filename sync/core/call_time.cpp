#include "sync/core/call_time.h"

#include "sync/core/local_time.h"

#include <algorithm>

namespace odis::sync {

namespace {

// Every week has a call day in a valid policy; one more day covers starting after today's window.
constexpr int kDaysToSearch = 8;

} // namespace

CallCalendar::CallCalendar(const ClinicPolicy& policy)
    : m_zone(policy.zone)
    , m_hours(policy.businessHours)
    , m_skipClosedDays(policy.discharge.skipClosedDays)
    , m_callDelayDays(policy.discharge.callDelayDays)
    , m_callTime(policy.discharge.callTime)
    , m_window(policy.discharge.callWindow)
{}

bool CallCalendar::isCallDay(QDate localDate) const
{
    return localDate.isValid() && (!m_skipClosedDays || m_hours.isOpenOn(localDate));
}

QDateTime CallCalendar::windowStart(QDate localDate) const
{
    return resolveLocalTime(localDate, m_window.start, m_zone);
}

QDateTime CallCalendar::windowEnd(QDate localDate) const
{
    return resolveLocalTime(localDate, m_window.end, m_zone);
}

bool CallCalendar::isInsideWindow(const QDateTime& instant) const
{
    const QDate day = toClinicLocal(instant, m_zone).date();
    return isCallDay(day) && instant >= windowStart(day) && instant <= windowEnd(day);
}

QDateTime CallCalendar::firstSlotAtOrAfter(const QDateTime& instant) const
{
    const QDateTime from = ceilToMinute(instant);
    if (!from.isValid())
        return {};
    const QDate firstDay = toClinicLocal(from, m_zone).date();
    for (int offset = 0; offset < kDaysToSearch; ++offset) {
        const QDate day = firstDay.addDays(offset);
        if (!isCallDay(day))
            continue;
        if (from <= windowEnd(day))
            return std::max(from, windowStart(day));
    }
    return {};
}

QDate CallCalendar::nextCallDay(QDate localDate) const
{
    for (int offset = 0; offset < kDaysToSearch; ++offset) {
        if (isCallDay(localDate.addDays(offset)))
            return localDate.addDays(offset);
    }
    return {};
}

QDateTime CallCalendar::proposedCallTime(QDate visitStartDate, const QDateTime& nowUtc) const
{
    // Steps 1-3 on the wall clock: a closed day keeps the time of day, a clamp changes it.
    QDate day = nextCallDay(visitStartDate.addDays(m_callDelayDays));
    QTime time = m_callTime;
    if (time < m_window.start) {
        time = m_window.start;
    } else if (time > m_window.end) {
        day = nextCallDay(day.addDays(1));
        time = m_window.start;
    }
    // Step 5 happens in resolveLocalTime(); the slot search only matters when a DST gap pushed the time
    // past the window's end, and otherwise returns the time unchanged.
    const QDateTime proposed = firstSlotAtOrAfter(resolveLocalTime(day, time, m_zone));
    // Step 4.
    const QDateTime earliest = ceilToMinute(nowUtc.addSecs(qint64(kLateNotesLeadMinutes) * 60));
    if (proposed.isValid() && earliest.isValid() && proposed < earliest)
        return firstSlotAtOrAfter(earliest);
    return proposed;
}

} // namespace odis::sync
