#pragma once

// Removing an appointment needs proof (docs/idexx-neo.md, "Destructive changes need proof"). An
// appointment the store holds that this run's schedule no longer shows is taken as removed only when
// 1. its day was read in a way that can be trusted: not empty or collapsed against what the store holds
//    for that day (which also works on a new install, with no week-old baseline), nor against the same
//    weekday a week earlier; and
// 2. Neo confirms it individually: getAppointment answers 404, or `deleted: true`, or shows it moved to a
//    day outside the window. A getAppointment that answers 404 for an appointment the schedule does show
//    (the control read) proves nothing: the endpoint is gone.
// Everything else waits, stored as it was, for the next trustworthy read; the run says so.

#include "sync/core/neo_types.h"
#include "sync/core/reconcile_window.h"
#include "sync/core/schedule_volume.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace odis::sync {

// Why a removal waits.
namespace removal_hold {
inline constexpr QLatin1StringView kDayCollapsed{"day_collapsed"};   // the day's read is not trustworthy
inline constexpr QLatin1StringView kStillInNeo{"still_in_neo"};      // getAppointment shows it in the window
inline constexpr QLatin1StringView kNotConfirmed{"not_confirmed"};   // getAppointment failed or was refused
inline constexpr QLatin1StringView kCannotConfirm{"cannot_confirm"}; // getAppointment answers 404 for all
} // namespace removal_hold

struct CollapseThresholds
{
    int minStored = 3;      // a day with fewer stored appointments is not judged (a quiet day is no signal)
    double keepRatio = 0.5; // collapsed when the read has fewer than this share of the stored ones
};

struct DayCollapse
{
    QDate date;
    int read = 0;       // rows the schedule returned for the day
    int stored = 0;     // appointments the store holds for it (0 when the week baseline judged)
    int weekBefore = 0; // the same weekday a week earlier (0 when the store judged)

    friend bool operator==(const DayCollapse&, const DayCollapse&) = default;
};

struct HeldRemoval
{
    QString appointmentId;
    QDate date;
    QString reason; // removal_hold::k*

    friend bool operator==(const HeldRemoval&, const HeldRemoval&) = default;
};

struct RemovalPlan
{
    QStringList toConfirm;   // read each one individually (getAppointment), in id order
    QList<HeldRemoval> held; // on a day that cannot be trusted
    QList<DayCollapse> collapsed;
};

// `stored`: every appointment the store holds and has not marked removed, by id, with its clinic-local
// date. `seenIds`: every appointment id this run's schedule returned (refused rows included).
// `weekCollapses`: checkScheduleVolume()'s days.
[[nodiscard]] RemovalPlan planRemovals(const QHash<QString, QDate>& stored,
                                       const QMap<QDate, int>& readPerDay, const QSet<QString>& seenIds,
                                       const ReconcileWindow& window,
                                       const QList<VolumeWarning>& weekCollapses,
                                       const CollapseThresholds& thresholds = {});

// Rows per clinic-local start date, blocks and roster rows included (the store holds them too).
[[nodiscard]] QMap<QDate, int> rowsPerDay(const QList<NeoScheduleEvent>& events);

enum class RemovalVerdict
{
    Gone,       // deleted, or moved out of the window
    StillThere, // Neo still has it inside the window
};

// What one getAppointment answer proves about an appointment the schedule no longer shows. (A 404 is Gone
// too, once the control read showed that the endpoint answers for appointments that exist.)
[[nodiscard]] RemovalVerdict removalVerdict(const NeoAppointmentDetail& detail,
                                            const ReconcileWindow& window);

} // namespace odis::sync
