#pragma once

// Plausibility of what a run read (docs/architecture.md, "validate (shape, types, plausible volume)"):
// the appointments per clinic-local day against the same weekday a week earlier (the schedule_volume
// table), and whether so many consultation reads failed that the step fails. A collapse alone is a
// warning: Neo may have changed what its endpoint returns without breaking its shape, or the clinic
// may simply be closed; a person decides.

#include "storage/codes/sync_core_codes.h"
#include "sync/core/neo_types.h"

#include <QDate>
#include <QLatin1StringView>
#include <QList>
#include <QMap>

namespace odis::sync {

inline constexpr QLatin1StringView kVolumeCollapseWarning{codes::kNeoVolumeCollapse};

// A day collapses when its baseline (the same weekday 7 days earlier) had at least minBaseline
// appointments and the day has none, or fewer than collapseRatio of the baseline: 25 -> 4 warns
// (4 < 5), 25 -> 5 does not; 9 -> 0 does not (a small clinic's quiet day is no signal).
struct VolumeThresholds
{
    int minBaseline = 10;
    double collapseRatio = 0.2;
};

struct VolumeWarning
{
    QDate date;
    int count = 0;
    QDate baselineDate;
    int baselineCount = 0;

    friend bool operator==(const VolumeWarning&, const VolumeWarning&) = default;
};

// Appointments per clinic-local start date for every date from `first` to `last` (0 for a day without
// any). Blocks and roster rows are not appointments; cancelled and no-show visits are (they were
// booked, which is what the volume measures). Rows outside the dates are not counted.
[[nodiscard]] QMap<QDate, int> appointmentsPerDay(const QList<NeoScheduleEvent>& events, QDate first,
                                                  QDate last);

// The days of `counts` up to and including `today` (later days are still being booked) that collapsed
// against `baseline` (schedule_volume: date -> count), in date order. A day without a baseline row is
// not judged.
[[nodiscard]] QList<VolumeWarning> checkScheduleVolume(const QMap<QDate, int>& counts,
                                                       const QMap<QDate, int>& baseline, QDate today,
                                                       const VolumeThresholds& thresholds = {});

// Whether a step whose `attempted` items include `failed` failed ones fails as a whole: when most of
// them (more than half) failed. Fewer failures leave the step successful; the failed items are
// recorded and tried again next run. Nothing attempted is no failure.
[[nodiscard]] bool mostItemsFailed(int attempted, int failed);

} // namespace odis::sync
