#pragma once

// The session's two queues, data calls and page visits, are one queue of a different item: each item has an
// id and a callback that runs exactly once, later from the event loop (queued on `context`), when the item
// is completed or failed. (They were two near-identical classes; what differs is the item.)

#include "storage/result.h"
#include "sync/core/neo_json.h"
#include "sync/neo/page_visit.h"

#include <QList>
#include <QObject>
#include <QString>

#include <algorithm>
#include <functional>
#include <utility>

namespace odis::sync {

template <typename Item, typename Value> class SessionQueue
{
public:
    using Callback = std::function<void(Result<Value>)>;

    explicit SessionQueue(QObject* context)
        : m_context(context)
    {}

    // Appends `item` with a new id and `done` as its callback; returns the id.
    quint64 add(Item item, Callback done)
    {
        item.id = m_nextId++;
        item.done = std::move(done);
        m_items.append(std::move(item));
        return m_items.last().id;
    }

    [[nodiscard]] Item* find(quint64 id)
    {
        const auto it =
            std::find_if(m_items.begin(), m_items.end(), [id](const Item& i) { return i.id == id; });
        return it == m_items.end() ? nullptr : &*it;
    }

    [[nodiscard]] Item* first() { return m_items.isEmpty() ? nullptr : &m_items.first(); }

    // Removes the item and queues its callback with `result`; an unknown id (already completed) is ignored.
    void complete(quint64 id, Result<Value> result)
    {
        const auto it =
            std::find_if(m_items.begin(), m_items.end(), [id](const Item& i) { return i.id == id; });
        if (it == m_items.end())
            return;
        Callback done = std::move(it->done);
        m_items.erase(it);
        QMetaObject::invokeMethod(
            m_context,
            [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
            Qt::QueuedConnection);
    }

    // Empties the queue, failing every item with `error`.
    void failAll(const Error& error)
    {
        const QList<Item> items = std::exchange(m_items, {});
        for (const Item& item : items) {
            QMetaObject::invokeMethod(
                m_context, [done = item.done, error] { done(std::unexpected(error)); }, Qt::QueuedConnection);
        }
    }

    // The ids of the items `keep` holds for, in queue order.
    template <typename Predicate> [[nodiscard]] QList<quint64> idsWhere(Predicate keep) const
    {
        QList<quint64> ids;
        for (const Item& item : m_items) {
            if (keep(item))
                ids.append(item.id);
        }
        return ids;
    }

    template <typename Change> void forEach(Change change)
    {
        for (Item& item : m_items)
            change(item);
    }

    [[nodiscard]] bool isEmpty() const { return m_items.isEmpty(); }

private:
    QObject* m_context;
    QList<Item> m_items;
    quint64 m_nextId = 1;
};

// One data call of the session and what it has used up on its way.
struct NeoCall
{
    quint64 id = 0;
    QString path;
    std::function<void(Result<NeoResponse>)> done;
    bool inFlight = false;
    bool reloginUsed = false;    // each call may cause one new login
    int redispatches = 0;        // sent again because Neo's page navigated under it
    quint64 loginGeneration = 0; // the login it was last sent under
};
using NeoCallQueue = SessionQueue<NeoCall, NeoResponse>;

// A page visit the session was asked for, waiting or running; visits run in call order.
struct QueuedVisit
{
    quint64 id = 0;
    PageVisitRequest request;
    std::function<void(Result<PageVisitResult>)> done;
    bool reloginUsed = false;    // each visit may cause one new login
    quint64 loginGeneration = 0; // the login it last ran under
};
using PageVisitQueue = SessionQueue<QueuedVisit, PageVisitResult>;

} // namespace odis::sync
