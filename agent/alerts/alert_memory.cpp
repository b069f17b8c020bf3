#include "agent/alerts/alert_memory.h"

#include "storage/clock.h"
#include "storage/database.h"

#include <QStringList>

namespace odis::agent {

AlertMemory::AlertMemory(storage::Database& db, const Clock& clock)
    : m_db(db)
    , m_clock(clock)
{}

Result<QList<AlertCode>> AlertMemory::previous()
{
    auto value =
        m_db.scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {QString::fromLatin1(kKvKey)});
    if (!value)
        return propagate(value);
    QList<AlertCode> codes;
    if (!value->isValid())
        return codes;
    for (const QString& name : value->toString().split(u',', Qt::SkipEmptyParts)) {
        if (const auto code = alertCodeFromName(name); code && !codes.contains(*code))
            codes.append(*code);
    }
    return codes;
}

Result<AlertChanges> AlertMemory::update(const QList<Alert>& current)
{
    auto before = previous();
    if (!before)
        return propagate(before);
    QStringList names;
    for (const Alert& alert : current)
        names.append(alert.name());
    auto stored = m_db.execute(
        // SQLite 3.15 (SQLCipher 3.4) has no upsert; the row holds nothing else worth keeping.
        QStringLiteral("INSERT OR REPLACE INTO kv(key, value, updated_at) VALUES(?, ?, ?)"),
        {QString::fromLatin1(kKvKey), names.join(u','),
         m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs)});
    if (!stored)
        return propagate(stored);
    return compareAlerts(*before, current);
}

} // namespace odis::agent
