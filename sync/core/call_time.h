#pragma once

// When a planned discharge call happens (docs/discharge-rules.md, "When"): the call slots of the clinic
// (its call window, on call days, while it is open unless calls_outside_hours), in the clinic's IANA
// zone, correct across daylight-saving changes.

#include "sync/core/clinic_policy.h"

#include <QDate>
#include <QDateTime>
#include <QTimeZone>

#include <array>

namespace odis::sync {

// Minutes between "now" and the earliest call placed for a visit whose notes arrived late.
inline constexpr int kLateNotesLeadMinutes = 15;

class CallCalendar
{
public:
    // `policy` is expected to pass validateClinicPolicy(); otherwise slots may not exist and the
    // functions below return invalid QDateTimes.
    explicit CallCalendar(const ClinicPolicy& policy);

    // A day calls may be made on: an open day, or any day when closed days are not skipped.
    [[nodiscard]] bool isCallDay(QDate localDate) const;
    // True when `instant` is a call slot: inside one of its clinic-local day's callMinutes() ranges
    // (resolved across DST like every local time), both ends included.
    [[nodiscard]] bool isCallSlot(const QDateTime& instant) const;

    // The first whole minute at or after `instant` that is a call slot: `instant` itself (rounded up) when
    // it is; the next slot that day (a time before the day's slots or in a gap such as lunch); otherwise
    // the first slot of the next day that has one. Invalid only when no day has a slot.
    [[nodiscard]] QDateTime firstSlotAtOrAfter(const QDateTime& instant) const;

    // Steps 1-3 (and 5) for a visit that started on `visitStartDate` (clinic-local):
    // 1. day = visit date + call_delay_days, time = call_time;
    // 2. a closed day moves to the next open day, same time, when closed days are skipped;
    // 3. the first call slot at or after that day and time;
    // 5. local times that do not exist move to the end of the gap, ambiguous ones take their first
    //    occurrence (resolveLocalTime()).
    [[nodiscard]] QDateTime scheduledCallTime(QDate visitStartDate) const;

    // scheduledCallTime(), and step 4: if that is earlier than now + 15 min (notes arrived late), the
    // first slot at or after now + 15 min instead. A whole-minute UTC instant; staggering comes after
    // (staggerCalls()).
    [[nodiscard]] QDateTime proposedCallTime(QDate visitStartDate, const QDateTime& nowUtc) const;

    [[nodiscard]] const QTimeZone& zone() const { return m_zone; }

private:
    // `localDate` itself or the first call day after it; invalid when none exists.
    [[nodiscard]] QDate nextCallDay(QDate localDate) const;
    [[nodiscard]] const QList<MinuteRange>& slotsOn(QDate localDate) const;
    [[nodiscard]] QDateTime instantOf(QDate localDate, int minuteOfDay) const;

    QTimeZone m_zone;
    BusinessHours m_hours;
    bool m_skipClosedDays;
    int m_callDelayDays;
    QTime m_callTime;
    std::array<QList<MinuteRange>, 7> m_slots; // callMinutes() by Qt::DayOfWeek - 1
};

} // namespace odis::sync
