#include "agent/resident/sleep_watch.h"

#include <spdlog/spdlog.h>

namespace odis::agent {

SleepWatch::SleepWatch(TimeSource& time, std::chrono::milliseconds tick, QObject* parent)
    : QObject(parent)
    , m_time(time)
{
    rebase();
    m_tick.setTimerType(Qt::VeryCoarseTimer);
    m_tick.setInterval(tick);
    connect(&m_tick, &QTimer::timeout, this, &SleepWatch::check);
    connect(&m_time, &TimeSource::changed, this, &SleepWatch::check);
    m_tick.start();
}

bool SleepWatch::listenToLogind(const QDBusConnection& bus)
{
    if (!bus.isConnected())
        return false;
    QDBusConnection connection = bus;
    return connection.connect(QStringLiteral("org.freedesktop.login1"),
                              QStringLiteral("/org/freedesktop/login1"),
                              QStringLiteral("org.freedesktop.login1.Manager"),
                              QStringLiteral("PrepareForSleep"), this, SLOT(onPrepareForSleep(bool)));
}

void SleepWatch::rebase()
{
    m_lastWall = m_time.nowUtc();
    m_lastMonotonicMs = m_time.monotonicMs();
}

void SleepWatch::check()
{
    const qint64 wallMs = m_lastWall.msecsTo(m_time.nowUtc());
    const qint64 monotonicMs = m_time.monotonicMs() - m_lastMonotonicMs;
    rebase();
    const qint64 drift = wallMs - monotonicMs;
    const qint64 threshold = std::chrono::milliseconds(kJumpThreshold).count();
    if (drift > threshold || drift < -threshold) {
        spdlog::info("the wall clock moved {} s against the monotonic clock: the machine slept or the "
                     "clock was set",
                     drift / 1000);
        Q_EMIT resumed(QStringLiteral("clock_jump"));
    }
    Q_EMIT checked();
}

void SleepWatch::onPrepareForSleep(bool start)
{
    if (start) {
        spdlog::info("logind: the machine is going to sleep");
        Q_EMIT suspending();
        return;
    }
    spdlog::info("logind: the machine woke up");
    rebase(); // the jump is explained: the next check must not report it again
    Q_EMIT resumed(QStringLiteral("logind"));
    Q_EMIT checked();
}

} // namespace odis::agent
