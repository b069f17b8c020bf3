#include "tests/sim/common/request_log.h"

#include <QJsonArray>

namespace odis::sim {

RequestLog::RequestLog(int capacity)
    : m_capacity(qMax(1, capacity))
{}

qint64 RequestLog::record(const QString& route, const QByteArray& method, const QString& path,
                          const QStringList& faults)
{
    Entry entry;
    entry.seq = m_nextSeq++;
    entry.receivedAt = QDateTime::currentDateTimeUtc();
    entry.route = route;
    entry.method = method;
    entry.path = path;
    entry.faults = faults;
    ++m_total;
    ++m_counts[route];
    m_entries.push_back(std::move(entry));
    while (m_entries.size() > static_cast<size_t>(m_capacity))
        m_entries.pop_front();
    return m_entries.back().seq;
}

void RequestLog::complete(qint64 seq, int status)
{
    Entry* entry = findEntry(seq);
    if (!entry || entry->answered)
        return;
    entry->status = status;
    entry->answered = true;
    ++m_statuses[entry->route][status];
}

RequestLog::Entry* RequestLog::findEntry(qint64 seq)
{
    if (m_entries.empty() || seq < m_entries.front().seq || seq > m_entries.back().seq)
        return nullptr;
    return &m_entries.at(static_cast<size_t>(seq - m_entries.front().seq));
}

QList<RequestLog::Entry> RequestLog::entries() const
{
    return QList<Entry>(m_entries.cbegin(), m_entries.cend());
}

QJsonObject RequestLog::toJson() const
{
    QJsonObject counts;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        counts.insert(it.key(), it.value());
    QJsonObject statuses;
    for (auto it = m_statuses.cbegin(); it != m_statuses.cend(); ++it) {
        QJsonObject perStatus;
        for (auto s = it.value().cbegin(); s != it.value().cend(); ++s)
            perStatus.insert(QString::number(s.key()), s.value());
        statuses.insert(it.key(), perStatus);
    }
    QJsonArray entries;
    for (const Entry& e : m_entries) {
        entries.append(QJsonObject{
            {QStringLiteral("seq"), e.seq},
            {QStringLiteral("received_at"), e.receivedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("route"), e.route},
            {QStringLiteral("method"), QString::fromLatin1(e.method)},
            {QStringLiteral("path"), e.path},
            {QStringLiteral("status"), e.status},
            {QStringLiteral("answered"), e.answered},
            {QStringLiteral("faults"), QJsonArray::fromStringList(e.faults)},
        });
    }
    return QJsonObject{{QStringLiteral("total"), m_total},
                       {QStringLiteral("counts"), counts},
                       {QStringLiteral("statuses"), statuses},
                       {QStringLiteral("entries"), entries}};
}

void RequestLog::clear()
{
    m_total = 0;
    m_counts.clear();
    m_statuses.clear();
    m_entries.clear();
}

} // namespace odis::sim
