#include "agent/telemetry/telemetry_queue.h"

#include "agent/telemetry/telemetry_allow_list.h"
#include "storage/codes/agent_codes.h"
#include "storage/database.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QStringList>

namespace odis::agent {

namespace {

Q_LOGGING_CATEGORY(lcQueue, "odis.agent.telemetry")

QString instantText(const QDateTime& at)
{
    return at.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

TelemetryQueue::TelemetryQueue(storage::Database& db, int capacity)
    : m_db(db)
    , m_capacity(std::max(1, capacity))
{}

Status TelemetryQueue::enqueue(const TelemetryEvent& event)
{
    if (auto allowed = checkTelemetryEvent(event.name, event.properties); !allowed)
        return allowed;
    if (event.uuid.isNull() || !event.timestamp.isValid())
        return fail(codes::kTelemetryEventIncomplete,
                    QStringLiteral("%1 has no uuid or no time").arg(event.name));
    if (m_db.inTransaction())
        return insertAndTrim(event);
    return m_db.transaction([this, &event] { return insertAndTrim(event); });
}

Status TelemetryQueue::insertAndTrim(const TelemetryEvent& event)
{
    auto inserted = m_db.execute(
        QStringLiteral("INSERT INTO telemetry_queue(uuid, event, timestamp, properties) VALUES(?, ?, ?, ?)"),
        {event.uuid.toString(QUuid::WithoutBraces), event.name, instantText(event.timestamp),
         QString::fromUtf8(QJsonDocument(event.properties).toJson(QJsonDocument::Compact))});
    if (!inserted)
        return propagate(inserted);
    // Everything at or below the (capacity + 1)-th newest id goes: the oldest first.
    auto dropped = m_db.execute(QStringLiteral("DELETE FROM telemetry_queue WHERE id <= (SELECT id FROM "
                                               "telemetry_queue ORDER BY id DESC LIMIT 1 OFFSET ?)"),
                                {m_capacity});
    if (!dropped)
        return propagate(dropped);
    if (*dropped > 0) {
        m_dropped += *dropped;
        qCInfo(lcQueue) << "telemetry queue full: dropped" << *dropped << "oldest event(s)";
    }
    return ok();
}

Result<QList<QueuedTelemetryEvent>> TelemetryQueue::oldest(int limit)
{
    auto rows =
        m_db.query(QStringLiteral("SELECT id, uuid, event, timestamp, properties FROM telemetry_queue "
                                  "ORDER BY id LIMIT ?"),
                   {std::max(0, limit)});
    if (!rows)
        return propagate(rows);
    QList<QueuedTelemetryEvent> out;
    QList<qint64> unusable;
    for (const QVariantList& row : *rows) {
        QueuedTelemetryEvent queued;
        queued.id = row.value(0).toLongLong();
        queued.event.uuid = QUuid::fromString(row.value(1).toString());
        queued.event.name = row.value(2).toString();
        queued.event.timestamp = QDateTime::fromString(row.value(3).toString(), Qt::ISODateWithMs).toUTC();
        const QJsonDocument properties = QJsonDocument::fromJson(row.value(4).toString().toUtf8());
        queued.event.properties = properties.object();
        if (queued.event.uuid.isNull() || !queued.event.timestamp.isValid() || !properties.isObject() ||
            !checkTelemetryEvent(queued.event.name, queued.event.properties)) {
            unusable.append(queued.id);
            continue;
        }
        out.append(std::move(queued));
    }
    if (!unusable.isEmpty()) {
        qCWarning(lcQueue) << "deleting" << unusable.size() << "queued event(s) the allow-list refuses";
        if (auto removed = remove(unusable); !removed)
            return propagate(removed);
    }
    return out;
}

Status TelemetryQueue::remove(const QList<qint64>& ids)
{
    // SQLite 3.15 binds at most 999 parameters per statement.
    constexpr qsizetype kChunk = 500;
    for (qsizetype from = 0; from < ids.size(); from += kChunk) {
        QStringList marks;
        QVariantList params;
        for (const qint64 id : ids.mid(from, kChunk)) {
            marks.append(QStringLiteral("?"));
            params.append(id);
        }
        auto removed = m_db.execute(
            QStringLiteral("DELETE FROM telemetry_queue WHERE id IN (") + marks.join(u',') + u')', params);
        if (!removed)
            return propagate(removed);
    }
    return ok();
}

Status TelemetryQueue::clear()
{
    auto removed = m_db.execute(QStringLiteral("DELETE FROM telemetry_queue"));
    if (!removed)
        return propagate(removed);
    return ok();
}

Result<qint64> TelemetryQueue::size()
{
    auto count = m_db.scalar(QStringLiteral("SELECT COUNT(*) FROM telemetry_queue"));
    if (!count)
        return propagate(count);
    return count->toLongLong();
}

} // namespace odis::agent
