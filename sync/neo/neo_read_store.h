#pragma once

// The rows a Neo read needs from the store and the rows the run writes back after it (schema v2:
// neo_reads, schedule_volume). The extractor itself never writes: the run code calls the store*
// functions inside the one transaction that also commits the run's observations.

#include "storage/result.h"
#include "sync/core/neo_read_plan.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QMap>

namespace odis::storage {
class Database;
}

namespace odis::sync {

// Every neo_reads row, by key.
[[nodiscard]] Result<QHash<QString, NeoReadState>> loadNeoReadStates(storage::Database& db);

// schedule_volume rows from `first` to `last` (inclusive), the baseline of checkScheduleVolume().
[[nodiscard]] Result<QMap<QDate, int>> loadScheduleVolume(storage::Database& db, QDate first, QDate last);

// Inserts or replaces one neo_reads row (readStateAfter()).
[[nodiscard]] Status storeNeoReadState(storage::Database& db, const NeoReadState& state);

// Inserts or replaces the count of each date (NeoRead::appointmentsPerDay) as observed at `observedAt`.
[[nodiscard]] Status storeScheduleVolume(storage::Database& db, const QMap<QDate, int>& counts,
                                         const QDateTime& observedAt);

} // namespace odis::sync
