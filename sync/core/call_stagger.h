#pragma once

// Spacing one clinic's calls so that no two share a minute (docs/discharge-rules.md, "Stagger").

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/call_time.h"

#include <QDateTime>
#include <QLatin1StringView>
#include <QList>
#include <QString>

namespace odis::sync {

inline constexpr QLatin1StringView kDischargeNoCallSlot{codes::kDischargeNoCallSlot};

struct StaggerRequest
{
    QString appointmentId;
    QDateTime proposed; // a call slot, from CallCalendar::proposedCallTime()
    QDateTime visitEnd; // instant, for the order of calls proposed at the same time
    QDateTime latest;   // a placed time after this makes the visit too old (rule 7); invalid: no limit
};

struct StaggeredCall
{
    QString appointmentId;
    QDateTime scheduledFor;
    bool tooLate = false; // placed after `latest`: not a call, and it holds no minute

    bool operator==(const StaggeredCall&) const = default;
};

// Places the new calls of one run. They are taken in the order (proposed time, visit end, appointment
// id); each takes its proposed time unless a call already holds a time less than `staggerMinutes` away
// (before or after), in which case it moves to the latest such call's time plus `staggerMinutes` and is
// checked again; a move goes to the first call slot at or after that time (CallCalendar::
// firstSlotAtOrAfter()). `held` are the times of every planned call not yet passed; each placed call
// holds its time for the ones after it, unless it landed after its `latest` (then it is too late and
// holds nothing). The result is in placement order; the same inputs in any order give the same result.
// Fails (kDischargeNoCallSlot) only when the calendar has no call slot, which a valid policy excludes.
[[nodiscard]] Result<QList<StaggeredCall>> staggerCalls(QList<StaggerRequest> requests,
                                                        const QList<QDateTime>& held, int staggerMinutes,
                                                        const CallCalendar& calendar);

} // namespace odis::sync
