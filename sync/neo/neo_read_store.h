#pragma once

// The rows a Neo read needs from the store and the rows the run writes back after it (schema v2:
// neo_reads, schedule_volume; v5: neo_field_presence, and what it reads of observations and
// held_changes). The extractor itself never writes: the run code calls the store*
// functions inside the one transaction that also commits the run's observations.

#include "storage/result.h"
#include "sync/core/neo_field_presence.h"
#include "sync/core/neo_read_plan.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QSet>

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

// Every appointment the store holds and has not marked removed: its Neo id and clinic-local date.
[[nodiscard]] Result<QHash<QString, QDate>> loadStoredAppointments(storage::Database& db);

// The reads that settle the changes held back (held_changes): the consultations whose notes were
// emptied, the appointments whose phone disappeared.
[[nodiscard]] Result<ConfirmReads> loadHeldReads(storage::Database& db);

// The presence baseline of the Optional fields (sync/core/neo_field_presence.h).
[[nodiscard]] Result<PresenceCounts> loadFieldPresence(storage::Database& db);
// Replaces the baseline rows of `counts`.
[[nodiscard]] Status storeFieldPresence(storage::Database& db, const PresenceCounts& counts,
                                        const QDateTime& observedAt);

} // namespace odis::sync
