#include "sync/core/removal_proof.h"

#include <QSet>

#include <algorithm>

namespace odis::sync {

QMap<QDate, int> rowsPerDay(const QList<NeoScheduleEvent>& events)
{
    QMap<QDate, int> counts;
    for (const NeoScheduleEvent& event : events) {
        if (event.start.date.isValid())
            ++counts[event.start.date];
    }
    return counts;
}

RemovalPlan planRemovals(const QHash<QString, QDate>& stored, const QMap<QDate, int>& readPerDay,
                         const QSet<QString>& seenIds, const ReconcileWindow& window,
                         const QList<VolumeWarning>& weekCollapses, const CollapseThresholds& thresholds)
{
    QMap<QDate, int> storedPerDay;
    for (auto it = stored.cbegin(); it != stored.cend(); ++it) {
        if (window.contains(it.value()))
            ++storedPerDay[it.value()];
    }
    RemovalPlan plan;
    QSet<QDate> untrusted;
    for (auto it = storedPerDay.cbegin(); it != storedPerDay.cend(); ++it) {
        const int read = readPerDay.value(it.key());
        if (it.value() >= thresholds.minStored && double(read) < thresholds.keepRatio * it.value()) {
            untrusted.insert(it.key());
            plan.collapsed.append(DayCollapse{it.key(), read, it.value(), 0});
        }
    }
    for (const VolumeWarning& w : weekCollapses) {
        if (!untrusted.contains(w.date)) {
            untrusted.insert(w.date);
            plan.collapsed.append(DayCollapse{w.date, w.count, 0, w.baselineCount});
        }
    }
    std::ranges::sort(plan.collapsed, {}, &DayCollapse::date);

    QStringList candidates;
    for (auto it = stored.cbegin(); it != stored.cend(); ++it) {
        if (window.contains(it.value()) && !seenIds.contains(it.key()))
            candidates.append(it.key());
    }
    std::ranges::sort(candidates, [](const QString& a, const QString& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    for (const QString& id : std::as_const(candidates)) {
        const QDate date = stored.value(id);
        if (untrusted.contains(date))
            plan.held.append(HeldRemoval{id, date, QString(removal_hold::kDayCollapsed)});
        else
            plan.toConfirm.append(id);
    }
    return plan;
}

RemovalVerdict removalVerdict(const NeoAppointmentDetail& detail, const ReconcileWindow& window)
{
    if (detail.deleted)
        return RemovalVerdict::Gone;
    if (detail.start.isValid() && !window.contains(detail.start.date))
        return RemovalVerdict::Gone;
    return RemovalVerdict::StillThere;
}

} // namespace odis::sync
