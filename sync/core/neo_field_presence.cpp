#include "sync/core/neo_field_presence.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace odis::sync {

QString presenceKey(const NeoShapeContract& contract, QStringView field)
{
    return shapeLabel(contract) + u' ' + field.toString();
}

void addPresence(PresenceCounts& run, const NeoAnswerCheck& check)
{
    if (!check.shape)
        return;
    const NeoShapeContract& contract = neoShapeContract(*check.shape);
    for (auto it = check.optionalChecked.cbegin(); it != check.optionalChecked.cend(); ++it) {
        FieldPresence& counts = run[presenceKey(contract, it.key())];
        counts.rows += it.value();
        counts.present += check.optionalPresent.value(it.key());
    }
}

QList<FieldDrift> findFieldDrift(const PresenceCounts& run, const PresenceCounts& baseline,
                                 const DriftThresholds& thresholds)
{
    QList<FieldDrift> drift;
    for (auto it = run.cbegin(); it != run.cend(); ++it) {
        const FieldPresence& now = it.value();
        const FieldPresence before = baseline.value(it.key());
        if (now.rows < thresholds.minRunRows || now.present > 0 || before.rows < thresholds.minBaselineRows ||
            before.present == 0)
            continue;
        const double rate = double(before.present) / double(before.rows);
        if (std::pow(1.0 - rate, double(now.rows)) >= thresholds.chance)
            continue;
        // presenceKey() is "<endpoint> <shape> <field>"; none of the three holds a space.
        const QStringList parts = it.key().split(u' ');
        drift.append(FieldDrift{it.key(), parts.value(0), parts.value(1), parts.value(2), now.rows, rate});
    }
    std::ranges::sort(drift, {}, &FieldDrift::key);
    return drift;
}

PresenceCounts updatedBaseline(const PresenceCounts& baseline, const PresenceCounts& run,
                               const QList<FieldDrift>& drift)
{
    QSet<QString> drifted;
    for (const FieldDrift& d : drift)
        drifted.insert(d.key);
    PresenceCounts out = baseline;
    for (auto it = run.cbegin(); it != run.cend(); ++it) {
        if (drifted.contains(it.key()))
            continue;
        FieldPresence& counts = out[it.key()];
        counts.rows += it.value().rows;
        counts.present += it.value().present;
        while (counts.rows > kPresenceCap) {
            counts.rows /= 2;
            counts.present /= 2;
        }
    }
    return out;
}

} // namespace odis::sync
