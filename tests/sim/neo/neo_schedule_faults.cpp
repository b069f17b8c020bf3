#include "tests/sim/neo/neo_schedule_faults.h"

#include <QHash>
#include <QJsonValue>

#include <cmath>

namespace odis::sim::neo {

QJsonObject ScheduleDayFaults::toJson() const
{
    QJsonObject json;
    for (auto it = keep.cbegin(); it != keep.cend(); ++it)
        json.insert(it.key().toString(Qt::ISODate), it.value());
    if (keepAll)
        json.insert(QStringLiteral("all"), *keepAll);
    return json;
}

odis::Result<ScheduleDayFaults> ScheduleDayFaults::fromJson(const QJsonObject& json)
{
    ScheduleDayFaults faults;
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        const double share = it.value().toDouble(-1);
        if (!it.value().isDouble() || share < 0 || share > 1)
            return odis::fail(QStringLiteral("bad_request"),
                              it.key() + QStringLiteral(": a share of rows kept, 0..1"));
        if (it.key() == u"all") {
            faults.keepAll = share;
            continue;
        }
        const QDate date = QDate::fromString(it.key(), Qt::ISODate);
        if (!date.isValid())
            return odis::fail(QStringLiteral("bad_request"),
                              QStringLiteral("keys are YYYY-MM-DD dates or \"all\""));
        faults.keep.insert(date, share);
    }
    return faults;
}

QList<SimAppointment> ScheduleDayFaults::apply(const QList<SimAppointment>& rows) const
{
    if (isEmpty())
        return rows;
    QHash<QDate, int> perDay;
    for (const SimAppointment& a : rows)
        ++perDay[a.date];
    QHash<QDate, int> served;
    QList<SimAppointment> out;
    for (const SimAppointment& a : rows) {
        const std::optional<double> share =
            keep.contains(a.date) ? std::optional(keep.value(a.date)) : keepAll;
        if (share && served.value(a.date) >= int(std::floor(*share * perDay.value(a.date))))
            continue;
        ++served[a.date];
        out.append(a);
    }
    return out;
}

} // namespace odis::sim::neo
