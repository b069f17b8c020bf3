#pragma once

// The remote commands this install received (the remote_commands table, schema v4), so that a command is
// carried out once per id whatever happens: delivered again before its acknowledgement reached the backend,
// or after a restart, it is only acknowledged again, with the result it had.

#include "storage/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::agent {

struct JournalEntry
{
    QString id;
    QString type;
    QDateTime receivedAt;
    std::optional<QJsonObject> result; // absent while it is being carried out
    QString ackKey;                    // Idempotency-Key of its acknowledgement, the same for every retry
    std::optional<QDateTime> ackedAt;
};

// Error codes: the store's (db_*), command_journal_corrupt.
class CommandJournal
{
public:
    CommandJournal(storage::Database& db, const Clock& clock);

    [[nodiscard]] Result<std::optional<JournalEntry>> find(const QString& id);
    // Records a command before it is carried out (with a fresh acknowledgement key).
    [[nodiscard]] Result<JournalEntry> begin(const QString& id, const QString& type);
    [[nodiscard]] Status finish(const QString& id, const QJsonObject& result);
    [[nodiscard]] Status markAcknowledged(const QString& id);
    // Deletes acknowledged entries older than `cutoff`; how many.
    [[nodiscard]] Result<qint64> purgeAcknowledgedBefore(const QDateTime& cutoff);

private:
    storage::Database& m_db;
    const Clock& m_clock;
};

} // namespace odis::agent
