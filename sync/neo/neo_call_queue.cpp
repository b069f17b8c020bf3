#include "sync/neo/neo_call_queue.h"

#include <QObject>

#include <algorithm>

namespace odis::sync {

quint64 NeoCallQueue::add(const QString& path, NeoCall::Callback done)
{
    const quint64 id = m_nextId++;
    m_calls.append(NeoCall{id, path, std::move(done)});
    return id;
}

NeoCall* NeoCallQueue::find(quint64 id)
{
    const auto it =
        std::find_if(m_calls.begin(), m_calls.end(), [id](const NeoCall& c) { return c.id == id; });
    return it == m_calls.end() ? nullptr : &*it;
}

void NeoCallQueue::complete(quint64 id, Result<NeoResponse> result)
{
    const auto it =
        std::find_if(m_calls.begin(), m_calls.end(), [id](const NeoCall& c) { return c.id == id; });
    if (it == m_calls.end()) {
        return;
    }
    NeoCall::Callback done = std::move(it->done);
    m_calls.erase(it);
    QMetaObject::invokeMethod(
        m_context,
        [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
}

void NeoCallQueue::failAll(const Error& error)
{
    const QList<NeoCall> calls = std::exchange(m_calls, {});
    for (const NeoCall& call : calls) {
        QMetaObject::invokeMethod(
            m_context, [done = call.done, error] { done(std::unexpected(error)); }, Qt::QueuedConnection);
    }
}

void NeoCallQueue::markAllWaiting()
{
    for (NeoCall& call : m_calls) {
        call.inFlight = false;
    }
}

QList<quint64> NeoCallQueue::waitingIds() const
{
    QList<quint64> ids;
    for (const NeoCall& call : m_calls) {
        if (!call.inFlight) {
            ids.append(call.id);
        }
    }
    return ids;
}

QList<quint64> NeoCallQueue::inFlightIds() const
{
    QList<quint64> ids;
    for (const NeoCall& call : m_calls) {
        if (call.inFlight) {
            ids.append(call.id);
        }
    }
    return ids;
}

} // namespace odis::sync
