#pragma once

// When a planned discharge call happens (docs/discharge-rules.md, "When: the time of a planned call" and
// "Stagger"), in the clinic's IANA zone, whole minutes, correct across daylight-saving changes.

#include "tests/sim/neo/clinic_profile.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QTime>

namespace odis::sim::neo {

class CallTimePlanner
{
public:
    explicit CallTimePlanner(const SimClinicProfile& profile);

    // Steps 1-3: visit date + call_delay_days at call_time, moved off closed days (skip_closed_days), then
    // the first call slot from there. UTC.
    [[nodiscard]] QDateTime scheduled(QDate visitDate) const;

    // Steps 1-4: scheduled(), never earlier than now + 15 minutes (then the first call slot from there).
    [[nodiscard]] QDateTime propose(QDate visitDate, const QDateTime& nowUtc) const;

    // The stagger: the first time from `proposed` on that keeps stagger_minutes away from every time in
    // `held` (UTC instants of planned calls not yet passed); each move goes to the first call slot at or
    // after the conflicting call's time plus stagger_minutes. Does not add the result to `held`.
    [[nodiscard]] QDateTime stagger(const QDateTime& proposed, const QList<QDateTime>& held) const;

    // True when `utc` is a call slot: in the call window on a calling day and, unless
    // calls_outside_hours, while the clinic is open (not at lunch).
    [[nodiscard]] bool isSlot(const QDateTime& utc) const;

    // The first call slot at or after `utc` (rounded up to a whole minute).
    [[nodiscard]] QDateTime firstSlotFrom(const QDateTime& utc) const;

private:
    // A day calls may be placed on: every day, or only open days when skip_closed_days.
    [[nodiscard]] bool callingDay(QDate date) const;
    [[nodiscard]] QDate firstCallingDayFrom(QDate date) const;
    // The call slots of a clinic-local day: [first minute, last minute] pairs, ascending.
    [[nodiscard]] QList<QPair<QTime, QTime>> slotsOn(QDate date) const;

    const SimClinicProfile& m_profile;
};

} // namespace odis::sim::neo
