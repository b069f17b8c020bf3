#pragma once

#include "storage/result.h"
#include "sync/neo/page_visit.h"

#include <QList>

#include <functional>

class QObject;

namespace odis::sync {

// A page visit the session was asked for, waiting or running.
struct QueuedVisit
{
    using Callback = std::function<void(Result<PageVisitResult>)>;

    quint64 id = 0;
    PageVisitRequest request;
    Callback done;
    bool reloginUsed = false;    // each visit may cause one new login
    quint64 loginGeneration = 0; // the login it last ran under
};

// The session's page visits in call order. Each callback runs exactly once, later from the event loop
// (queued on `context`), when the visit is completed or failed.
class PageVisitQueue
{
public:
    explicit PageVisitQueue(QObject* context)
        : m_context(context)
    {}

    quint64 add(PageVisitRequest request, QueuedVisit::Callback done);
    [[nodiscard]] QueuedVisit* find(quint64 id);
    [[nodiscard]] QueuedVisit* first();

    void complete(quint64 id, Result<PageVisitResult> result);
    void failAll(const Error& error);
    [[nodiscard]] bool isEmpty() const { return m_visits.isEmpty(); }

private:
    QObject* m_context;
    QList<QueuedVisit> m_visits;
    quint64 m_nextId = 1;
};

} // namespace odis::sync
