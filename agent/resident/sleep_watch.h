#pragma once

// Notices that the machine slept, so that an overdue sync is caught up soon after it wakes (scheduler.h).
// Everywhere: the wall clock's advance is compared with the monotonic clock's (which stands still while
// the machine is suspended) at every check, that is on a slow periodic tick and whenever the time source
// says it changed; a wall clock ahead by more than kJumpThreshold means the machine slept or the clock was
// set forward, behind means it was set back: either way the due times are looked at again. On Linux, logind
// also says it at once: PrepareForSleep(false) on the system bus (org.freedesktop.login1.Manager).

#include "agent/resident/time_source.h"

#include <QDBusConnection>
#include <QObject>
#include <QTimer>

#include <chrono>

namespace odis::agent {

class SleepWatch : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::seconds kJumpThreshold{60};

    // `tick`: how often the clocks are compared (a minute is cheap and soon enough).
    SleepWatch(TimeSource& time, std::chrono::milliseconds tick, QObject* parent = nullptr);

    // Subscribes to logind's PrepareForSleep on `bus` (the system bus in production). False when the bus is
    // not connected (no system bus: the clock comparison still works).
    bool listenToLogind(const QDBusConnection& bus);

    // Compares the clocks now (also called by the tick and the time source).
    void check();

Q_SIGNALS:
    // The machine woke up (`how`: "clock_jump" or "logind"), or the wall clock jumped.
    void resumed(const QString& how);
    // logind: the machine is about to sleep.
    void suspending();
    // Every check, jump or not: a good moment to look at due times again.
    void checked();

private Q_SLOTS:
    void onPrepareForSleep(bool start);

private:
    void rebase();

    TimeSource& m_time;
    QTimer m_tick;
    QDateTime m_lastWall;
    qint64 m_lastMonotonicMs = 0;
};

} // namespace odis::agent
