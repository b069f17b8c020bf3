#include "sync/core/request_pacer.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace odis::sync {

namespace {

PacerSettings sane(PacerSettings settings)
{
    settings.maxInFlight = std::max(settings.maxInFlight, 1);
    settings.requestsPerSecond = std::max(settings.requestsPerSecond, 0.01);
    settings.burst = std::max(settings.burst, 1);
    return settings;
}

} // namespace

RequestPacer::RequestPacer(const PacerSettings& settings, Ms now)
    : m_settings(sane(settings))
    , m_tokens(m_settings.burst)
    , m_refilledAt(now)
{}

void RequestPacer::refill(Ms now)
{
    if (now <= m_refilledAt) {
        return;
    }
    const double elapsedSecs = static_cast<double>((now - m_refilledAt).count()) / 1000.0;
    m_tokens = std::min<double>(m_settings.burst, m_tokens + elapsedSecs * m_settings.requestsPerSecond);
    m_refilledAt = now;
}

std::optional<RequestPacer::Ms> RequestPacer::waitBeforeNext(Ms now)
{
    if (m_inFlight >= m_settings.maxInFlight) {
        return std::nullopt;
    }
    refill(now);
    Ms wait{0};
    if (now < m_holdUntil) {
        wait = m_holdUntil - now;
    }
    if (m_tokens < 1.0) {
        // Rounded up: a request started a millisecond early would find the bucket still empty.
        const auto refillMs =
            static_cast<qint64>(std::ceil((1.0 - m_tokens) * 1000.0 / m_settings.requestsPerSecond));
        wait = std::max(wait, Ms(refillMs));
    }
    return wait;
}

void RequestPacer::start(Ms now)
{
    refill(now);
    // A caller that starts without asking still pays: the bucket may go negative, delaying the next one.
    m_tokens -= 1.0;
    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
}

void RequestPacer::finish()
{
    Q_ASSERT(m_inFlight > 0);
    m_inFlight = std::max(m_inFlight - 1, 0);
}

void RequestPacer::holdUntil(Ms until)
{
    m_holdUntil = std::max(m_holdUntil, until);
}

} // namespace odis::sync
