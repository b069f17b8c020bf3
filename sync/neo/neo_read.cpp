#include "sync/neo/neo_read.h"

#include "sync/core/neo_json.h"

#include <algorithm>
#include <cmath>

namespace odis::sync {

int NeoRead::failedVisits() const
{
    return int(std::count_if(visits.cbegin(), visits.cend(),
                             [](const VisitReadOutcome& v) { return v.failure.has_value(); }));
}

bool NeoRead::drifted(NeoShapeId shape, QStringView field) const
{
    const QString key = presenceKey(neoShapeContract(shape), field);
    return std::ranges::any_of(fieldDrift, [&](const FieldDrift& d) { return d.key == key; });
}

QList<RunWarning> NeoRead::runWarnings() const
{
    QList<RunWarning> out;
    for (const NeoRefusal& refusal : refusals)
        out.append(refusalWarnings(refusal));
    out.append(itemRefusals);
    for (const FieldDrift& d : fieldDrift) {
        out.append(RunWarning{QString(warning_code::kFieldDrift),
                              d.endpoint,
                              d.field,
                              {},
                              QStringLiteral("absent from every %1 answer of this run; present in %2% before")
                                  .arg(d.shape)
                                  .arg(static_cast<int>(std::lround(d.baselineRate * 100))),
                              int(d.rows)});
    }
    for (const DayCollapse& day : collapsedDays) {
        const QString against = day.stored > 0 ? QStringLiteral("%1 stored").arg(day.stored)
                                               : QStringLiteral("%1 a week before").arg(day.weekBefore);
        out.append(RunWarning{QString(warning_code::kVolumeCollapse),
                              QString(neo_endpoint::kSchedule),
                              {},
                              {},
                              QStringLiteral("%1: %2 rows read against %3")
                                  .arg(day.date.toString(Qt::ISODate))
                                  .arg(day.read)
                                  .arg(against),
                              1});
    }
    QMap<QString, int> heldByReason;
    for (const HeldRemoval& held : heldRemovals)
        ++heldByReason[held.reason];
    for (auto it = heldByReason.cbegin(); it != heldByReason.cend(); ++it)
        out.append(RunWarning{
            QString(warning_code::kHeldBack), {}, {}, QString(held_kind::kRemoval), it.key(), it.value()});
    for (const DriftWarning& w : driftWarnings)
        out.append(
            RunWarning{QString(warning_code::kDrift), w.endpoint, w.field, {}, w.detail, w.occurrences});
    return mergedWarnings(out);
}

} // namespace odis::sync
