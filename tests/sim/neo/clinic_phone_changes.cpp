#include "tests/sim/neo/clinic_phone_changes.h"

#include "tests/sim/neo/clinic_time.h"

#include <QHash>

namespace odis::sim::neo {

int addPhoneChanges(SimRandom& random, ClinicModel& model, int everyNth)
{
    QHash<qint64, int> appointmentsOfClient;
    QList<SimAppointment> visits;
    QList<SimPhone> mobiles;
    for (const qint64 id : model.appointmentIds()) {
        const auto a = model.initialState(id);
        if (!a || a->isBlock || a->isRoster || a->client.id == 0)
            continue;
        ++appointmentsOfClient[a->client.id];
        visits.append(*a);
        if (a->client.mobilePhone.isValid() && !a->client.mobilePhone.international)
            mobiles.append(a->client.mobilePhone);
    }
    if (mobiles.size() < 2)
        return 0;
    int added = 0;
    for (const SimAppointment& a : std::as_const(visits)) {
        if (appointmentsOfClient.value(a.client.id) != 1 || !a.client.mobilePhone.isValid() ||
            a.schedulePhoneHidden || random.range(0, everyNth - 1) != 0)
            continue;
        const SimPhone& phone = mobiles.at(random.range(0, int(mobiles.size()) - 1));
        if (phone == a.client.mobilePhone)
            continue;
        const bool before = (added % 2) == 0;
        const QDateTime start = localToUtc(a.date, a.start, model.options().zone);
        const QDateTime end = localToUtc(a.date, a.end, model.options().zone);
        QDateTime at = before ? start.addSecs(-2 * 3600) : end.addSecs(3 * 3600);
        if (a.bookedUtc.isValid() && at <= a.bookedUtc)
            at = a.bookedUtc.addSecs(60);
        SimChange change;
        change.atUtc = at;
        SimClient client = a.client;
        client.mobilePhone = phone;
        change.client = client;
        if (model.addChange(a.appointmentId, change))
            ++added;
    }
    return added;
}

} // namespace odis::sim::neo
