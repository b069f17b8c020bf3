#pragma once

// When a planned discharge call happens (docs/discharge-rules.md, "When"): the clinic's call window on
// the days calls are made, in the clinic's IANA zone, correct across daylight-saving changes.

#include "sync/core/clinic_policy.h"

#include <QDate>
#include <QDateTime>
#include <QTimeZone>

namespace odis::sync {

// Minutes between "now" and the earliest call placed for a visit whose notes arrived late.
inline constexpr int kLateNotesLeadMinutes = 15;

class CallCalendar
{
public:
    // `policy` is expected to pass validateClinicPolicy(); otherwise slots may not exist and the
    // functions below return invalid QDateTimes.
    explicit CallCalendar(const ClinicPolicy& policy);

    // A day calls may be made: an open day, or any day when closed days are not skipped.
    [[nodiscard]] bool isCallDay(QDate localDate) const;
    // The window of a clinic-local day as instants (resolved across DST like every local time).
    [[nodiscard]] QDateTime windowStart(QDate localDate) const;
    [[nodiscard]] QDateTime windowEnd(QDate localDate) const;
    // True when `instant` is inside the window (both ends included) of a call day.
    [[nodiscard]] bool isInsideWindow(const QDateTime& instant) const;

    // The first whole minute at or after `instant` that is inside the window of a call day: `instant`
    // itself (rounded up) when it is; the day's window start when it is earlier that day; otherwise the
    // window start of the next call day. Invalid only when no call day exists.
    [[nodiscard]] QDateTime firstSlotAtOrAfter(const QDateTime& instant) const;

    // Steps 1-5 for a visit that started on `visitStartDate` (clinic-local):
    // 1. day = visit date + call_delay_days, time = call_time;
    // 2. a day without calls moves to the next call day, same time;
    // 3. a time before the window becomes its start; a time after it becomes the start of the next call
    //    day (step 2 again);
    // 4. if that is earlier than now + 15 min (notes arrived late): the first slot at or after
    //    now + 15 min instead;
    // 5. local times that do not exist move to the end of the gap, ambiguous ones take their first
    //    occurrence (resolveLocalTime()).
    // The result is a whole-minute UTC instant; staggering comes after (staggerCalls()).
    [[nodiscard]] QDateTime proposedCallTime(QDate visitStartDate, const QDateTime& nowUtc) const;

    [[nodiscard]] const QTimeZone& zone() const { return m_zone; }

private:
    // `localDate` itself or the first call day after it; invalid when none exists.
    [[nodiscard]] QDate nextCallDay(QDate localDate) const;

    QTimeZone m_zone;
    BusinessHours m_hours;
    bool m_skipClosedDays;
    int m_callDelayDays;
    QTime m_callTime;
    CallWindow m_window;
};

} // namespace odis::sync
