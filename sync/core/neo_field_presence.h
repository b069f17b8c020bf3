#pragma once

// Drift of Optional fields (neo_contract.h): Neo leaves an optional field out when it has nothing to say
// (a client without a phone, a visit without a discharge summary), so one answer without it means
// nothing. A field that earlier reads had and that is absent from EVERY answer of a run, where its
// presence rate in earlier reads makes that all but impossible by chance, is drift: Neo stopped sending
// it. Its values are then unknown in this run, and the stored ones are kept.
//
// The presence baseline per endpoint, shape and field is kept in the store (neo_field_presence table,
// sync/neo/neo_read_store.h) and grows with every run that did not drift.

#include "sync/core/neo_contract.h"

#include <QHash>
#include <QList>
#include <QString>

namespace odis::sync {

struct FieldPresence
{
    qint64 rows = 0;    // rows (answers, array elements) on which the field could have been
    qint64 present = 0; // of those, how many had it

    friend bool operator==(const FieldPresence&, const FieldPresence&) = default;
};

// "page-data current consultation.dischargeSummary": endpoint, shape and field path.
[[nodiscard]] QString presenceKey(const NeoShapeContract& contract, QStringView field);

using PresenceCounts = QHash<QString, FieldPresence>; // by presenceKey()

// Adds one answer's optional-field counts (NeoAnswerCheck) to a run's.
void addPresence(PresenceCounts& run, const NeoAnswerCheck& check);

struct FieldDrift
{
    QString key;      // presenceKey()
    QString endpoint; // "page-data"
    QString shape;    // "current"
    QString field;    // "consultation.dischargeSummary"
    qint64 rows = 0;  // rows of this run, none with the field
    double baselineRate = 0;

    friend bool operator==(const FieldDrift&, const FieldDrift&) = default;
};

struct DriftThresholds
{
    qint64 minBaselineRows = 20; // a baseline this young judges nothing
    qint64 minRunRows = 5;       // nor do fewer rows than this in a run
    double chance = 1e-4;        // drift when (1 - rate)^rows is below this
};

// The optional fields that drifted in this run against `baseline`, sorted by key.
[[nodiscard]] QList<FieldDrift> findFieldDrift(const PresenceCounts& run, const PresenceCounts& baseline,
                                               const DriftThresholds& thresholds = {});

// The baseline after this run: its counts added for every field that did not drift (a drifted field's
// baseline stays as it was, so the drift is seen again until Neo sends the field again). Counts are
// halved past a cap so that the rate follows Neo when it changes slowly.
[[nodiscard]] PresenceCounts updatedBaseline(const PresenceCounts& baseline, const PresenceCounts& run,
                                             const QList<FieldDrift>& drift);

inline constexpr qint64 kPresenceCap = 10'000;

} // namespace odis::sync
