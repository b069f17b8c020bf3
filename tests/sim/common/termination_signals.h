#pragma once

#include "storage/result.h"

#include <QObject>

class QSocketNotifier;

namespace odis::sim {

// Turns SIGTERM and SIGINT into a Qt signal: the POSIX handler only writes the signal number to a
// socketpair (async-signal-safe), and a QSocketNotifier reads it in the event loop. One instance at a time.
class TerminationSignals : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignals(QObject* parent = nullptr);
    ~TerminationSignals() override;

    Status install();

Q_SIGNALS:
    void received(int signalNumber);

private:
    void readPending();

    QSocketNotifier* m_notifier = nullptr;
    bool m_installed = false;
};

} // namespace odis::sim
