#pragma once

#include "storage/result.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/neo_variants.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QUrlQuery>

namespace odis::sim::neo {

// The inclusive clinic-local window of a schedule call. Times are held as naive date-times (UTC spec
// used only as a zone-free container) so that no machine zone or DST rule touches them.
struct ScheduleWindow
{
    QDateTime startLocal;
    QDateTime endLocal;
};

// Reads `start` and `end` (`YYYY-MM-DD HH:MM:SS`, URL-encoded, `+` taken as a space as form encoding
// writes it). Missing, malformed or reversed bounds are an error with code "bad_request".
[[nodiscard]] odis::Result<ScheduleWindow> parseScheduleWindow(const QUrlQuery& query);

// The appointments of `snapshot` whose start lies inside the window, in schedule order (date, start
// time, calendar column, id).
[[nodiscard]] QList<SimAppointment> appointmentsInWindow(const QList<SimAppointment>& snapshot,
                                                         const ScheduleWindow& window);

// One event in each field set the spec lists.
[[nodiscard]] QJsonObject currentScheduleEvent(const SimAppointment& appointment);
[[nodiscard]] QJsonObject olderScheduleEvent(const SimAppointment& appointment);

// The whole response body in the chosen field set and envelope.
[[nodiscard]] QByteArray renderSchedule(const QList<SimAppointment>& events, ScheduleShape shape);

// Neo's title: "BISCUIT; DOE, JANE" for a visit, the block's own text for a block or roster row.
[[nodiscard]] QString scheduleTitle(const SimAppointment& appointment);

// The status as a CSS class, as the older shape's `className` carries it ("Checked In" ->
// "checked-in"); "block" / "roster" for rows that are not visits.
[[nodiscard]] QString statusClassName(const SimAppointment& appointment);

} // namespace odis::sim::neo
