#pragma once

#include "storage/result.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>

#include <chrono>
#include <functional>

class QTimer;
class QWebEnginePage;

namespace odis::sync {

class PageBridge;

// Runs page scripts in the isolated ApplicationWorld of one page and hands their results back, each
// call with a watchdog: a page that does not answer in time is reported as hung (neo_page_hung), which
// the session treats as a sign to recreate the page. Callbacks always run later from the event loop,
// never inside a QtWebEngine callback, so a caller may delete the page from a callback.
class PageScriptCalls final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(Result<QJsonValue>)>;

    PageScriptCalls(QWebEnginePage* page, PageBridge* bridge, QObject* parent = nullptr);

    // A script function that returns its result at once (page_scripts::syncInvocation).
    void runSync(const QString& function, const QJsonObject& args, std::chrono::milliseconds watchdog,
                 Callback done);
    // A script function whose result (possibly a Promise) comes back through the bridge.
    void runAsync(const QString& function, const QJsonObject& args, std::chrono::milliseconds watchdog,
                  Callback done);

    // Forgets every pending call without calling back: the page is going away and its owner has
    // already decided what becomes of the work.
    void abandonAll();
    [[nodiscard]] qsizetype pendingCount() const { return m_pending.size(); }

private:
    int begin(std::chrono::milliseconds watchdog, Callback done);
    void finish(int callId, Result<QJsonValue> result);
    void onDelivered(int callId, bool ok, const QJsonValue& value);

    struct Pending
    {
        Callback done;
        QTimer* watchdog = nullptr;
    };

    QWebEnginePage* m_page;
    QHash<int, Pending> m_pending;
    int m_nextId = 1;
    quint64 m_epoch = 0;
};

} // namespace odis::sync
