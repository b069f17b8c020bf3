#include "tests/sim/neo/neo_sim_clock.h"

#include <cmath>
#include <utility>

namespace odis::sim::neo {

NeoSimClock::NeoSimClock(QDateTime startUtc, double speed)
    : m_speed(speed)
{
    reanchor(std::move(startUtc));
}

QDateTime NeoSimClock::nowUtc() const
{
    if (m_speed == 0.0) {
        return m_anchorSim;
    }
    const auto elapsedMs = static_cast<qint64>(std::llround(double(m_anchorReal.elapsed()) * m_speed));
    return m_anchorSim.addMSecs(elapsedMs);
}

void NeoSimClock::set(const QDateTime& utc)
{
    reanchor(utc.toUTC());
}

void NeoSimClock::advance(qint64 seconds)
{
    reanchor(nowUtc().addSecs(seconds));
}

void NeoSimClock::setSpeed(double factor)
{
    reanchor(nowUtc());
    m_speed = factor < 0.0 ? 0.0 : factor;
}

void NeoSimClock::reanchor(QDateTime simUtc)
{
    m_anchorSim = std::move(simUtc);
    m_anchorReal.start();
}

} // namespace odis::sim::neo
