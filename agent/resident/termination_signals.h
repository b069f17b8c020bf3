#pragma once

// SIGTERM, SIGINT and SIGHUP (the end of the user's session: logind and terminals send SIGHUP and
// SIGTERM to a session's processes) as a Qt signal in the event loop, so that the resident agent stops at a
// safe point. The POSIX handler only writes the signal number to a socketpair (async-signal-safe); a
// QSocketNotifier reads it. One instance per process. On Windows the console's close and Ctrl-C events.

#include "storage/result.h"

#include <QObject>

class QSocketNotifier;

namespace odis::agent {

class TerminationSignals : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignals(QObject* parent = nullptr);
    ~TerminationSignals() override;

    // Error signals_unavailable (or signals_in_use: another instance has them).
    [[nodiscard]] Status install();

Q_SIGNALS:
    void received(int signalNumber);

private:
    void readPending();

    QSocketNotifier* m_notifier = nullptr;
    bool m_installed = false;
};

} // namespace odis::agent
