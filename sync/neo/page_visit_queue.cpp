#include "sync/neo/page_visit_queue.h"

#include <QObject>

#include <algorithm>

namespace odis::sync {

quint64 PageVisitQueue::add(PageVisitRequest request, QueuedVisit::Callback done)
{
    const quint64 id = m_nextId++;
    m_visits.append(QueuedVisit{id, std::move(request), std::move(done)});
    return id;
}

QueuedVisit* PageVisitQueue::find(quint64 id)
{
    const auto it =
        std::find_if(m_visits.begin(), m_visits.end(), [id](const QueuedVisit& v) { return v.id == id; });
    return it == m_visits.end() ? nullptr : &*it;
}

QueuedVisit* PageVisitQueue::first()
{
    return m_visits.isEmpty() ? nullptr : &m_visits.first();
}

void PageVisitQueue::complete(quint64 id, Result<PageVisitResult> result)
{
    const auto it =
        std::find_if(m_visits.begin(), m_visits.end(), [id](const QueuedVisit& v) { return v.id == id; });
    if (it == m_visits.end()) {
        return;
    }
    QueuedVisit::Callback done = std::move(it->done);
    m_visits.erase(it);
    QMetaObject::invokeMethod(
        m_context,
        [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
}

void PageVisitQueue::failAll(const Error& error)
{
    const QList<QueuedVisit> visits = std::exchange(m_visits, {});
    for (const QueuedVisit& visit : visits) {
        QMetaObject::invokeMethod(
            m_context, [done = visit.done, error] { done(std::unexpected(error)); }, Qt::QueuedConnection);
    }
}

} // namespace odis::sync
