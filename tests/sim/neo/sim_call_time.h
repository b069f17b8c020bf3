#pragma once

// When a planned discharge call happens (docs/discharge-rules.md, "When: the time of a planned call" and
// "Stagger"), in the clinic's IANA zone, whole minutes, correct across daylight-saving changes.

#include "tests/sim/neo/clinic_profile.h"

#include <QDate>
#include <QDateTime>
#include <QList>

namespace odis::sim::neo {

class CallTimePlanner
{
public:
    explicit CallTimePlanner(const SimClinicProfile& profile);

    // Steps 1-5: visit date + call_delay_days at call_time, moved off closed days, clamped into the call
    // window, and never earlier than now + 15 minutes (then the earliest whole minute in the window on a
    // day calls are made). UTC.
    [[nodiscard]] QDateTime propose(QDate visitDate, const QDateTime& nowUtc) const;

    // The stagger: the first time from `proposed` on that keeps stagger_minutes away from every time in
    // `held` (UTC instants of planned calls not yet passed), moving to the next calling day's window start
    // when pushed past the window's end. Does not add the result to `held`.
    [[nodiscard]] QDateTime stagger(const QDateTime& proposed, const QList<QDateTime>& held) const;

private:
    // A day calls may be placed on: every day, or only open days when skip_closed_days.
    [[nodiscard]] bool callingDay(QDate date) const;
    [[nodiscard]] QDate firstCallingDayFrom(QDate date) const;
    [[nodiscard]] QDateTime windowStartOn(QDate date) const;

    const SimClinicProfile& m_profile;
};

} // namespace odis::sim::neo
