#include "sync/neo/neo_read_store.h"

#include "storage/database.h"
#include "sync/core/local_time.h"

namespace odis::sync {

Result<QHash<QString, NeoReadState>> loadNeoReadStates(storage::Database& db)
{
    auto rows =
        db.query(QStringLiteral("SELECT consultation_id, appointment_id, row_version, fetched_at, failures, "
                                "last_error FROM neo_reads"));
    if (!rows) {
        return propagate(rows);
    }
    QHash<QString, NeoReadState> states;
    for (const QVariantList& row : std::as_const(*rows)) {
        NeoReadState state;
        state.key = row.at(0).toString();
        state.appointmentId = row.at(1).toString();
        state.rowVersion = row.at(2).toString();
        state.fetchedAt = parseUtcInstant(row.at(3).toString()); // invalid for NULL: never read
        state.failures = row.at(4).toInt();
        state.lastError = row.at(5).toString();
        states.insert(state.key, state);
    }
    return states;
}

Result<QMap<QDate, int>> loadScheduleVolume(storage::Database& db, QDate first, QDate last)
{
    auto rows = db.query(QStringLiteral("SELECT local_date, count FROM schedule_volume "
                                        "WHERE local_date >= ? AND local_date <= ?"),
                         {first.toString(Qt::ISODate), last.toString(Qt::ISODate)});
    if (!rows) {
        return propagate(rows);
    }
    QMap<QDate, int> counts;
    for (const QVariantList& row : std::as_const(*rows)) {
        const QDate date = QDate::fromString(row.at(0).toString(), Qt::ISODate);
        if (date.isValid()) {
            counts.insert(date, row.at(1).toInt());
        }
    }
    return counts;
}

Status storeNeoReadState(storage::Database& db, const NeoReadState& state)
{
    // NULL for what was never known: no successful read yet.
    const QVariant rowVersion = state.rowVersion.isEmpty() ? QVariant() : QVariant(state.rowVersion);
    const QVariant fetchedAt =
        state.fetchedAt.isValid() ? QVariant(formatUtcInstant(state.fetchedAt)) : QVariant();
    const QVariant lastError = state.lastError.isEmpty() ? QVariant() : QVariant(state.lastError);
    auto done =
        db.execute(QStringLiteral("INSERT OR REPLACE INTO neo_reads (consultation_id, appointment_id, "
                                  "row_version, fetched_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?)"),
                   {state.key, state.appointmentId, rowVersion, fetchedAt, state.failures, lastError});
    if (!done) {
        return propagate(done);
    }
    return ok();
}

Status storeScheduleVolume(storage::Database& db, const QMap<QDate, int>& counts, const QDateTime& observedAt)
{
    const QString at = formatUtcInstant(observedAt);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        auto done = db.execute(
            QStringLiteral("INSERT OR REPLACE INTO schedule_volume (local_date, count, observed_at) "
                           "VALUES (?, ?, ?)"),
            {it.key().toString(Qt::ISODate), it.value(), at});
        if (!done) {
            return propagate(done);
        }
    }
    return ok();
}

Result<QHash<QString, QDate>> loadStoredAppointments(storage::Database& db)
{
    auto rows = db.query(QStringLiteral("SELECT key, local_date FROM observations "
                                        "WHERE kind = 'appointment' AND removed = 0"));
    if (!rows) {
        return propagate(rows);
    }
    QHash<QString, QDate> stored;
    const QString prefix = QStringLiteral("appointment:");
    for (const QVariantList& row : std::as_const(*rows)) {
        const QString key = row.at(0).toString();
        const QDate date = QDate::fromString(row.at(1).toString(), Qt::ISODate);
        if (key.startsWith(prefix) && date.isValid()) {
            stored.insert(key.sliced(prefix.size()), date);
        }
    }
    return stored;
}

Result<ConfirmReads> loadHeldReads(storage::Database& db)
{
    auto rows = db.query(QStringLiteral("SELECT key, kind FROM held_changes"));
    if (!rows) {
        return propagate(rows);
    }
    ConfirmReads confirm;
    for (const QVariantList& row : std::as_const(*rows)) {
        const QString key = row.at(0).toString();
        const QString id = key.section(u':', 1);
        if (key.startsWith(QStringLiteral("consultation:"))) {
            confirm.consultations.insert(id);
        } else if (row.at(1).toString() == QStringLiteral("phone_removed")) {
            confirm.appointments.insert(id);
        }
    }
    return confirm;
}

Result<PresenceCounts> loadFieldPresence(storage::Database& db)
{
    auto rows = db.query(QStringLiteral("SELECT field_key, rows_seen, rows_present FROM neo_field_presence"));
    if (!rows) {
        return propagate(rows);
    }
    PresenceCounts counts;
    for (const QVariantList& row : std::as_const(*rows)) {
        counts.insert(row.at(0).toString(), FieldPresence{row.at(1).toLongLong(), row.at(2).toLongLong()});
    }
    return counts;
}

Status storeFieldPresence(storage::Database& db, const PresenceCounts& counts, const QDateTime& observedAt)
{
    const QString at = formatUtcInstant(observedAt);
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        auto done =
            db.execute(QStringLiteral("INSERT OR REPLACE INTO neo_field_presence (field_key, rows_seen, "
                                      "rows_present, updated_at) VALUES (?, ?, ?, ?)"),
                       {it.key(), it.value().rows, it.value().present, at});
        if (!done) {
            return propagate(done);
        }
    }
    return ok();
}

} // namespace odis::sync
