#pragma once

// A TEST SEAM, not a feature: ODIS_TEST_HOLD_AT_STEP=<step>[:<n>] makes a sync run stop and wait, doing
// nothing at all, right after it stored <step> as its current step for the n-th time in this process
// (default the first), so that a crash test can SIGKILL the agent at a known point and check that the next
// run resumes without loss or duplicates. On holding it writes one line to stderr:
//   odis-agent: test seam: holding at step <step>
// and never continues (the process waits in its event loop until it is killed). Unset, it costs nothing.
// A value that names no run step is refused at start, so a typo cannot make a crash test pass vacuously.

#include "storage/result.h"

#include <QString>
#include <QStringView>

#include <optional>

namespace odis::agent {

class StepHold
{
public:
    static constexpr const char* kEnvironmentVariable = "ODIS_TEST_HOLD_AT_STEP";

    // No hold.
    StepHold() = default;
    // Reads the variable. Error test_hold_invalid: not "<run step>[:<n >= 1>]".
    [[nodiscard]] static Result<StepHold> fromEnvironment();
    [[nodiscard]] static Result<StepHold> parse(const QString& value);

    // Called right after a step was stored; true (and the line written) when the run must hold now.
    [[nodiscard]] bool holdAfterStoring(const QString& step);
    // Blocks the calling thread for good: nothing of the run goes on, timers and callbacks included, until
    // the test kills the process.
    [[noreturn]] static void holdForever();
    [[nodiscard]] bool active() const { return !m_step.isEmpty(); }

private:
    QString m_step;
    int m_occurrence = 1;
    int m_seen = 0;
};

} // namespace odis::agent
