#include "tests/sim/neo/clinic_ids.h"

#include "tests/sim/neo/clinic_timeline.h"

#include <algorithm>
#include <tuple>

namespace odis::sim::neo {

void numberRows(SimRandom& random, QList<SimAppointment*>& rows)
{
    std::stable_sort(rows.begin(), rows.end(), [](const SimAppointment* x, const SimAppointment* y) {
        return std::tie(x->bookedUtc, x->date, x->start, x->resourceId) <
               std::tie(y->bookedUtc, y->date, y->start, y->resourceId);
    });
    qint64 appointmentId = random.range(400'000, 700'000);
    qint64 eventId = random.range(100'000, 300'000);
    for (SimAppointment* a : rows) {
        a->appointmentId = appointmentId += random.range(1, 9);
        a->calendarEventId = eventId += random.range(1, 5);
    }
}

void numberConsultations(SimRandom& random, QList<QPair<qint64, QList<SimChange>>>& timelines)
{
    QList<std::tuple<QDateTime, qint64, SimChange*>> pending;
    for (auto& [appointmentId, changes] : timelines) {
        for (SimChange& c : changes) {
            if (c.consultationId == kPendingConsultationId)
                pending.append({c.atUtc, appointmentId, &c});
        }
    }
    std::sort(pending.begin(), pending.end(), [](const auto& x, const auto& y) {
        return std::tie(std::get<0>(x), std::get<1>(x)) < std::tie(std::get<0>(y), std::get<1>(y));
    });
    qint64 id = random.range(200'000, 400'000);
    for (auto& entry : pending)
        std::get<2>(entry)->consultationId = id += random.range(1, 4);
}

} // namespace odis::sim::neo
