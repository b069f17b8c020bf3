#pragma once

// How fast the agent may ask IDEXX Neo for data (docs/idexx-neo.md, "Rate limits and load"): at most a
// few requests in flight, a steady rate (a token bucket), and a pause for everyone when Neo answers
// 429 with Retry-After. Pure: the caller passes a monotonic "now" (milliseconds since any fixed
// point), so tests decide time.

#include <chrono>
#include <optional>

namespace odis::sync {

struct PacerSettings
{
    int maxInFlight = 4;          // requests started and not finished
    double requestsPerSecond = 4; // the bucket's refill rate
    int burst = 4;                // the bucket's size: requests that may start back to back
};

// Error-free by construction: settings out of range are raised to their minimum (1 in flight, a rate
// of 0.01 per second, a burst of 1), since a pacer that admits nothing would hang a run.
class RequestPacer
{
public:
    using Ms = std::chrono::milliseconds;

    RequestPacer(const PacerSettings& settings, Ms now);

    // How long the next request must wait from `now`: zero when it may start now, nullopt while every
    // in-flight slot is taken (wait for finish()).
    [[nodiscard]] std::optional<Ms> waitBeforeNext(Ms now);

    // A request starts now: takes a slot and a token. Call only when waitBeforeNext(now) is zero.
    void start(Ms now);
    // A request ended (answered, failed or abandoned): frees its slot.
    void finish();

    // No request starts before `until` (Neo said 429 with Retry-After). A later hold replaces an earlier
    // one; an earlier one never shortens a hold in force.
    void holdUntil(Ms until);

    [[nodiscard]] int inFlight() const { return m_inFlight; }
    [[nodiscard]] int peakInFlight() const { return m_peakInFlight; }
    [[nodiscard]] const PacerSettings& settings() const { return m_settings; }

private:
    void refill(Ms now);

    PacerSettings m_settings;
    double m_tokens;
    Ms m_refilledAt;
    Ms m_holdUntil{0};
    int m_inFlight = 0;
    int m_peakInFlight = 0;
};

} // namespace odis::sync
