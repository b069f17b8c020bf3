#include "sync/core/call_stagger.h"

#include "sync/core/visit_input.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace odis::sync {

namespace {

bool placedBefore(const StaggerRequest& left, const StaggerRequest& right)
{
    if (left.proposed != right.proposed)
        return left.proposed < right.proposed;
    if (left.visitEnd != right.visitEnd)
        return left.visitEnd < right.visitEnd;
    return appointmentIdLess(left.appointmentId, right.appointmentId);
}

} // namespace

Result<QList<StaggeredCall>> staggerCalls(QList<StaggerRequest> requests, const QList<QDateTime>& held,
                                          int staggerMinutes, const CallCalendar& calendar)
{
    std::ranges::stable_sort(requests, placedBefore);
    const qint64 gap = qint64(std::max(staggerMinutes, 1)) * 60;
    std::multiset<qint64> taken;
    for (const QDateTime& time : held) {
        if (time.isValid())
            taken.insert(time.toSecsSinceEpoch());
    }

    QList<StaggeredCall> placed;
    placed.reserve(requests.size());
    for (const StaggerRequest& request : std::as_const(requests)) {
        if (!request.proposed.isValid())
            return fail(
                QString(kDischargeNoCallSlot),
                QStringLiteral("appointment %1 has no proposed call time").arg(request.appointmentId));
        qint64 time = request.proposed.toSecsSinceEpoch();
        // Each move lands past the latest conflicting call, which then never conflicts again: the loop
        // ends after at most one move per held call (plus the window moves that follow them).
        for (;;) {
            const auto after = taken.lower_bound(time + gap);
            if (after == taken.begin() || *std::prev(after) <= time - gap)
                break;
            const QDateTime next =
                calendar.firstSlotAtOrAfter(QDateTime::fromSecsSinceEpoch(*std::prev(after) + gap, Qt::UTC));
            if (!next.isValid())
                return fail(QString(kDischargeNoCallSlot),
                            QStringLiteral("no call day for appointment %1").arg(request.appointmentId));
            time = next.toSecsSinceEpoch();
        }
        const QDateTime scheduledFor = QDateTime::fromSecsSinceEpoch(time, Qt::UTC);
        const bool tooLate = request.latest.isValid() && scheduledFor > request.latest;
        if (!tooLate)
            taken.insert(time);
        placed.append(StaggeredCall{request.appointmentId, scheduledFor, tooLate});
    }
    return placed;
}

} // namespace odis::sync
