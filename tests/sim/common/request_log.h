#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <deque>

namespace odis::sim {

// What a simulator received: a count per route (never reset by the log's capacity) and the most recent
// requests with how they were answered. Only route names, methods, paths, statuses and fault names are
// kept: never headers or bodies, which may hold tokens or clinic data.
class RequestLog
{
public:
    static constexpr int kDefaultCapacity = 2000;
    static inline const QString kUnmatched = QStringLiteral("(unmatched)");

    struct Entry
    {
        qint64 seq = 0;
        QDateTime receivedAt; // UTC
        QString route;        // kUnmatched when no route matched
        QByteArray method;
        QString path;
        int status = 0; // 0 while unanswered, and for a hang or a reset
        QStringList faults;
        bool answered = false;
    };

    explicit RequestLog(int capacity = kDefaultCapacity);

    // Counts the request at arrival (so a hung request is counted) and returns its sequence number.
    qint64 record(const QString& route, const QByteArray& method, const QString& path,
                  const QStringList& faults);
    // Sets how the request was answered; status 0 for a hang or a reset.
    void complete(qint64 seq, int status);

    [[nodiscard]] qint64 count(const QString& route) const { return m_counts.value(route); }
    [[nodiscard]] QHash<QString, qint64> counts() const { return m_counts; }
    [[nodiscard]] qint64 total() const { return m_total; }
    [[nodiscard]] QList<Entry> entries() const;
    // {"total": n, "counts": {route: n}, "statuses": {route: {"200": n}}, "entries": [...]}
    [[nodiscard]] QJsonObject toJson() const;
    void clear();

private:
    Entry* findEntry(qint64 seq);

    int m_capacity;
    qint64 m_nextSeq = 1;
    qint64 m_total = 0;
    QHash<QString, qint64> m_counts;
    QHash<QString, QHash<int, qint64>> m_statuses;
    std::deque<Entry> m_entries;
};

} // namespace odis::sim
