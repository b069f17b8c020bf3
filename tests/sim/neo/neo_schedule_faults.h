#pragma once

#include "storage/result.h"
#include "tests/sim/neo/clinic_model.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QMap>

#include <optional>

namespace odis::sim::neo {

// A schedule that Neo serves short: a day empty (a silent outage) or shrunken (part of its rows
// missing), while getAppointment still knows every appointment. As the admin API takes it
// (PUT /__admin/schedule-days): {"2026-03-10": 0, "2026-03-11": 0.3, "all": 0.5}: per clinic-local date
// (or every date: "all") the share of that day's rows kept, 0..1, the first ones in schedule order.
// Both the JSON schedule and the /schedule pages serve the short days.
struct ScheduleDayFaults
{
    QMap<QDate, double> keep;
    std::optional<double> keepAll;

    [[nodiscard]] bool isEmpty() const { return keep.isEmpty() && !keepAll; }
    [[nodiscard]] QJsonObject toJson() const;
    // Error "bad_request" for a key that is neither a date nor "all", or a share outside 0..1.
    [[nodiscard]] static odis::Result<ScheduleDayFaults> fromJson(const QJsonObject& json);

    // `rows` (in schedule order) without the rows these faults take away.
    [[nodiscard]] QList<SimAppointment> apply(const QList<SimAppointment>& rows) const;
};

} // namespace odis::sim::neo
