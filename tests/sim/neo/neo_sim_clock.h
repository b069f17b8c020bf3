#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace odis::sim::neo {

// The simulator's notion of "now" (UTC). The clinic, the sessions and the lockout all live on this clock
// so that a test can move a whole day forward in one admin call instead of waiting. It can also run: at
// speed 1 it follows the wall clock (a person clicking through the pages sees time pass), at speed 60
// one real second is a simulated minute, at speed 0 it stands still until set or advanced.
class NeoSimClock
{
public:
    explicit NeoSimClock(QDateTime startUtc, double speed = 0.0);

    [[nodiscard]] QDateTime nowUtc() const;
    [[nodiscard]] double speed() const { return m_speed; }

    void set(const QDateTime& utc);
    void advance(qint64 seconds);
    // Changing the speed keeps the current simulated time; only its future pace changes.
    void setSpeed(double factor);

private:
    void reanchor(QDateTime simUtc);

    QDateTime m_anchorSim;
    QElapsedTimer m_anchorReal;
    double m_speed = 0.0;
};

} // namespace odis::sim::neo
