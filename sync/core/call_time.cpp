#include "sync/core/call_time.h"

#include "sync/core/local_time.h"

#include <algorithm>

namespace odis::sync {

namespace {

// Every week has a day with a slot in a valid policy; one more day covers starting after today's slots.
constexpr int kDaysToSearch = 8;

} // namespace

CallCalendar::CallCalendar(const ClinicPolicy& policy)
    : m_zone(policy.zone)
    , m_hours(policy.businessHours)
    , m_skipClosedDays(policy.discharge.skipClosedDays)
    , m_callDelayDays(policy.discharge.callDelayDays)
    , m_callTime(policy.discharge.callTime)
{
    for (int day = 1; day <= 7; ++day)
        m_slots[static_cast<std::size_t>(day - 1)] = callMinutes(policy, day);
}

bool CallCalendar::isCallDay(QDate localDate) const
{
    return localDate.isValid() && (!m_skipClosedDays || m_hours.isOpenOn(localDate));
}

const QList<MinuteRange>& CallCalendar::slotsOn(QDate localDate) const
{
    static const QList<MinuteRange> none;
    if (!localDate.isValid())
        return none;
    return m_slots[static_cast<std::size_t>(localDate.dayOfWeek() - 1)];
}

QDateTime CallCalendar::instantOf(QDate localDate, int minuteOfDay) const
{
    return resolveLocalTime(localDate, QTime(minuteOfDay / 60, minuteOfDay % 60), m_zone);
}

bool CallCalendar::isCallSlot(const QDateTime& instant) const
{
    if (!instant.isValid())
        return false;
    const QDate day = toClinicLocal(instant, m_zone).date();
    return std::ranges::any_of(slotsOn(day), [&](const MinuteRange& range) {
        return instant >= instantOf(day, range.first) && instant <= instantOf(day, range.last);
    });
}

QDateTime CallCalendar::firstSlotAtOrAfter(const QDateTime& instant) const
{
    const QDateTime from = ceilToMinute(instant);
    if (!from.isValid())
        return {};
    const QDate firstDay = toClinicLocal(from, m_zone).date();
    for (int offset = 0; offset < kDaysToSearch; ++offset) {
        const QDate day = firstDay.addDays(offset);
        for (const MinuteRange& range : slotsOn(day)) {
            if (from <= instantOf(day, range.last))
                return std::max(from, instantOf(day, range.first));
        }
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

QDateTime CallCalendar::scheduledCallTime(QDate visitStartDate) const
{
    // Steps 1 and 2 on the wall clock (a closed day keeps the time of day), step 3 on the slots; step 5
    // happens in resolveLocalTime().
    const QDate day = nextCallDay(visitStartDate.addDays(m_callDelayDays));
    if (!day.isValid())
        return {};
    return firstSlotAtOrAfter(resolveLocalTime(day, m_callTime, m_zone));
}

QDateTime CallCalendar::proposedCallTime(QDate visitStartDate, const QDateTime& nowUtc) const
{
    QDateTime scheduled = scheduledCallTime(visitStartDate);
    const QDateTime earliest = ceilToMinute(nowUtc.addSecs(qint64(kLateNotesLeadMinutes) * 60));
    if (scheduled.isValid() && earliest.isValid() && scheduled < earliest)
        return firstSlotAtOrAfter(earliest);
    return scheduled;
}

} // namespace odis::sync
