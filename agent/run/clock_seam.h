#pragma once

// A TEST SEAM, not a feature: ODIS_TEST_NOW=<UTC instant, ISO 8601> makes a sync run's "now" start at that
// instant when the process starts and run on from there with the monotonic clock, so that the agent and a
// simulated clinic agree on the time: the demo's and the end-to-end tests' clinic is a fixed week in
// March 2026, whose simulator clock stands still at a chosen instant (tests/sim/README.md). Pick an
// instant in the middle of a minute (…:30Z): decisions are made on whole minutes, so the few seconds the
// agent's clock runs ahead of the simulator's then never cross a minute. Unset, the run uses the system
// clock. Audit entries and credential state changes always keep the real time.

#include "storage/clock.h"
#include "storage/result.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <memory>

namespace odis::agent {

class StartedAtClock final : public Clock
{
public:
    explicit StartedAtClock(QDateTime startUtc)
        : m_start(std::move(startUtc))
    {
        m_elapsed.start();
    }
    [[nodiscard]] QDateTime nowUtc() const override { return m_start.addMSecs(m_elapsed.elapsed()); }

private:
    QDateTime m_start;
    QElapsedTimer m_elapsed;
};

inline constexpr const char* kTestNowVariable = "ODIS_TEST_NOW";

// nullptr when the variable is unset; error test_now_invalid when it is not a UTC instant.
[[nodiscard]] Result<std::unique_ptr<Clock>> testClockFromEnvironment();

} // namespace odis::agent
