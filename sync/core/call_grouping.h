#pragma once

// One call per owner per day (docs/discharge-rules.md, "One call per owner per day"): the live calls to
// one number on one clinic-local date become a single call at the earliest of their times.

#include "sync/core/discharge_decision.h"

#include <QDateTime>
#include <QList>
#include <QTimeZone>

namespace odis::sync {

struct LiveCall
{
    DischargeDecision decision; // Planned or Grouped, with scheduledFor and customerPhone
    QDateTime visitEnd;         // for the carrier order on a tie; invalid: the call's time stands in
    bool plannedBefore = false; // planned (not grouped) before this run and kept at its time
};

// Regroups `calls` in place. Per (customer_phone, clinic-local date of scheduledFor), the carrier is the
// call with the earliest time, then the one planned before this run, then the earlier visit end, then the
// lower appointment id. The carrier becomes Planned with `group` (every appointment id of the group in
// appointmentIdLess() order; empty when it is alone); every other member becomes Grouped (reason
// Grouped) with the carrier's time and `groupedInto`. The last trace entry says which:
// "planned:hit" or "grouped:hit into <carrier>". A call without a number is alone.
void groupCalls(QList<LiveCall>& calls, const QTimeZone& zone);

} // namespace odis::sync
