#pragma once

#include <QJsonValue>
#include <QObject>

namespace odis::sync {

// The one object the session's page scripts can reach, through a QWebChannel that exists only in
// Qt's ApplicationWorld: Neo's own scripts run in the main world and cannot see the channel, call
// deliver() or forge a result. Asynchronous page work (fetch, waiting for the login outcome) reports
// back through it, so nothing polls the page.
class PageBridge final : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Called from JavaScript: the result of the script call `callId`. `ok` false: `value` is the
    // script's error text (its message only; it never holds page content).
    Q_INVOKABLE void deliver(int callId, bool ok, const QJsonValue& value);

Q_SIGNALS:
    void delivered(int callId, bool ok, const QJsonValue& value);
};

} // namespace odis::sync
