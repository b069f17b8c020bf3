#include "agent/heartbeat/command_journal.h"

#include "storage/clock.h"
#include "storage/codes/agent_codes.h"
#include "storage/database.h"
#include "sync/backend/utc_text.h"

#include <QJsonDocument>
#include <QUuid>

namespace odis::agent {

CommandJournal::CommandJournal(storage::Database& db, const Clock& clock)
    : m_db(db)
    , m_clock(clock)
{}

Result<std::optional<JournalEntry>> CommandJournal::find(const QString& id)
{
    auto rows = m_db.query(QStringLiteral("SELECT id, type, received_at, result, ack_key, acked_at FROM "
                                          "remote_commands WHERE id = ?"),
                           {id});
    if (!rows)
        return propagate(rows);
    if (rows->isEmpty())
        return std::optional<JournalEntry>();
    const QVariantList& row = rows->first();
    JournalEntry entry;
    entry.id = row.at(0).toString();
    entry.type = row.at(1).toString();
    entry.receivedAt = sync::fromUtcText(row.at(2).toString());
    if (!row.at(3).isNull()) {
        const QJsonDocument doc = QJsonDocument::fromJson(row.at(3).toString().toUtf8());
        if (!doc.isObject())
            return fail(codes::kCommandJournalCorrupt,
                        QStringLiteral("the stored result of command %1 does not parse").arg(id));
        entry.result = doc.object();
    }
    entry.ackKey = row.at(4).toString();
    if (!row.at(5).isNull())
        entry.ackedAt = sync::fromUtcText(row.at(5).toString());
    return std::optional<JournalEntry>(entry);
}

Result<JournalEntry> CommandJournal::begin(const QString& id, const QString& type)
{
    JournalEntry entry;
    entry.id = id;
    entry.type = type;
    entry.receivedAt = m_clock.nowUtc();
    entry.ackKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto inserted = m_db.execute(
        QStringLiteral("INSERT INTO remote_commands(id, type, received_at, ack_key) VALUES(?, ?, ?, ?)"),
        {id, type, sync::utcText(entry.receivedAt), entry.ackKey});
    if (!inserted)
        return propagate(inserted);
    return entry;
}

Status CommandJournal::finish(const QString& id, const QJsonObject& result)
{
    auto updated =
        m_db.execute(QStringLiteral("UPDATE remote_commands SET result = ?, finished_at = ? WHERE id = ?"),
                     {QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)),
                      sync::utcText(m_clock.nowUtc()), id});
    if (!updated)
        return propagate(updated);
    return ok();
}

Status CommandJournal::markAcknowledged(const QString& id)
{
    auto updated = m_db.execute(
        QStringLiteral("UPDATE remote_commands SET acked_at = COALESCE(acked_at, ?) WHERE id = ?"),
        {sync::utcText(m_clock.nowUtc()), id});
    if (!updated)
        return propagate(updated);
    return ok();
}

Result<qint64> CommandJournal::purgeAcknowledgedBefore(const QDateTime& cutoff)
{
    return m_db.execute(
        QStringLiteral("DELETE FROM remote_commands WHERE acked_at IS NOT NULL AND received_at < ?"),
        {sync::utcText(cutoff)});
}

} // namespace odis::agent
