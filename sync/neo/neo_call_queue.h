#pragma once

#include "storage/result.h"
#include "sync/core/neo_json.h"

#include <QList>
#include <QString>

#include <functional>

class QObject;

namespace odis::sync {

// One data call of the session and what it has used up on its way.
struct NeoCall
{
    using Callback = std::function<void(Result<NeoResponse>)>;

    quint64 id = 0;
    QString path;
    Callback done;
    bool inFlight = false;
    bool reloginUsed = false;    // each call may cause one new login
    int redispatches = 0;        // sent again because Neo's page navigated under it
    quint64 loginGeneration = 0; // the login it was last sent under
};

// The session's calls, waiting or in flight. Each call's callback runs exactly once, later from the
// event loop (queued on `context`), when the call is completed or failed.
class NeoCallQueue
{
public:
    explicit NeoCallQueue(QObject* context)
        : m_context(context)
    {}

    quint64 add(const QString& path, NeoCall::Callback done);
    [[nodiscard]] NeoCall* find(quint64 id);

    void complete(quint64 id, Result<NeoResponse> result);
    void failAll(const Error& error);

    // Every call in flight is waiting again (its page or document is gone).
    void markAllWaiting();
    [[nodiscard]] QList<quint64> waitingIds() const;
    [[nodiscard]] QList<quint64> inFlightIds() const;
    [[nodiscard]] bool isEmpty() const { return m_calls.isEmpty(); }

private:
    QObject* m_context;
    QList<NeoCall> m_calls;
    quint64 m_nextId = 1;
};

} // namespace odis::sync
