#include "sync/neo/page_script_calls.h"

#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_bridge.h"
#include "sync/neo/page_scripts.h"

#include <QPointer>
#include <QTimer>
#include <QVariant>
#include <QWebEnginePage>
#include <QWebEngineScript>

namespace odis::sync {

PageScriptCalls::PageScriptCalls(QWebEnginePage* page, PageBridge* bridge, QObject* parent)
    : QObject(parent)
    , m_page(page)
{
    connect(bridge, &PageBridge::delivered, this, &PageScriptCalls::onDelivered);
}

int PageScriptCalls::begin(std::chrono::milliseconds watchdog, Callback done)
{
    const int callId = m_nextId++;
    if (m_nextId <= 0) {
        m_nextId = 1; // ids stay positive; a wrapped id cannot collide with one still pending for long
    }
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, callId, watchdog] {
        finish(callId,
               fail(QString(neo_session_error::kPageHung),
                    QStringLiteral("the page did not answer a script within %1 ms").arg(watchdog.count())));
    });
    timer->start(watchdog);
    m_pending.insert(callId, Pending{std::move(done), timer});
    return callId;
}

void PageScriptCalls::runSync(const QString& function, const QJsonObject& args,
                              std::chrono::milliseconds watchdog, Callback done)
{
    const int callId = begin(watchdog, std::move(done));
    m_page->runJavaScript(page_scripts::syncInvocation(function, args), QWebEngineScript::ApplicationWorld,
                          [self = QPointer(this), callId](const QVariant& value) {
                              if (self) {
                                  self->finish(callId, QJsonValue::fromVariant(value));
                              }
                          });
}

void PageScriptCalls::runAsync(const QString& function, const QJsonObject& args,
                               std::chrono::milliseconds watchdog, Callback done)
{
    const int callId = begin(watchdog, std::move(done));
    m_page->runJavaScript(
        page_scripts::asyncInvocation(callId, function, args), QWebEngineScript::ApplicationWorld,
        [self = QPointer(this), callId](const QVariant& accepted) {
            if (self && accepted.toBool() != true) {
                self->finish(callId, fail(QString(neo_session_error::kScriptFailed),
                                          QStringLiteral("the page's script bridge is missing")));
            }
        });
}

void PageScriptCalls::onDelivered(int callId, bool ok, const QJsonValue& value)
{
    if (ok) {
        finish(callId, value);
        return;
    }
    // The script's own error text (an exception message), never page content.
    finish(callId, fail(QString(neo_session_error::kScriptFailed),
                        QStringLiteral("a page script failed: ") + value.toString().left(200)));
}

void PageScriptCalls::finish(int callId, Result<QJsonValue> result)
{
    const auto it = m_pending.find(callId);
    if (it == m_pending.end()) {
        return; // answered after its watchdog, or abandoned
    }
    Pending pending = std::move(it.value());
    m_pending.erase(it);
    pending.watchdog->deleteLater();
    QMetaObject::invokeMethod(
        this,
        [this, epoch = m_epoch, done = std::move(pending.done), result = std::move(result)]() mutable {
            if (epoch == m_epoch) {
                done(std::move(result));
            }
        },
        Qt::QueuedConnection);
}

void PageScriptCalls::abandonAll()
{
    for (Pending& pending : m_pending) {
        pending.watchdog->deleteLater();
    }
    m_pending.clear();
    ++m_epoch; // results already on their way back are dropped too
}

} // namespace odis::sync
