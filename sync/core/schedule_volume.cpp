#include "sync/core/schedule_volume.h"

namespace odis::sync {

QMap<QDate, int> appointmentsPerDay(const QList<NeoScheduleEvent>& events, QDate first, QDate last)
{
    QMap<QDate, int> counts;
    if (!first.isValid() || !last.isValid() || last < first) {
        return counts;
    }
    for (QDate day = first; day <= last; day = day.addDays(1)) {
        counts.insert(day, 0);
    }
    for (const NeoScheduleEvent& event : events) {
        if (event.isBlock || event.isRoster) {
            continue;
        }
        const auto it = counts.find(event.start.date);
        if (it != counts.end()) {
            ++it.value();
        }
    }
    return counts;
}

QList<VolumeWarning> checkScheduleVolume(const QMap<QDate, int>& counts, const QMap<QDate, int>& baseline,
                                         QDate today, const VolumeThresholds& thresholds)
{
    QList<VolumeWarning> warnings;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const QDate day = it.key();
        if (!day.isValid() || day > today) {
            continue;
        }
        const QDate baselineDay = day.addDays(-7);
        const auto base = baseline.constFind(baselineDay);
        if (base == baseline.cend() || base.value() < thresholds.minBaseline) {
            continue;
        }
        const int count = it.value();
        if (count == 0 || static_cast<double>(count) < thresholds.collapseRatio * base.value()) {
            warnings.append(VolumeWarning{day, count, baselineDay, base.value()});
        }
    }
    return warnings;
}

bool mostItemsFailed(int attempted, int failed)
{
    return attempted > 0 && failed > 0 && qint64(failed) * 2 > qint64(attempted);
}

} // namespace odis::sync
