#pragma once

// A BENCHMARK SEAM, not a feature: ODIS_TEST_NEO_PACING=<in flight>:<requests a second>[:<burst>] replaces
// the agent's Neo pacing (sync::PacerSettings: 4 in flight, 4 a second, a burst of 4) for one process, so
// that bench/ can measure the engine's own overhead with the pacing lifted against the simulator
// (bench/README.md, "Two regimes"). The burst defaults to the rate. A clinic's real Neo must never be read
// this way: the variable is for the simulators only, and a process that uses it says so on stderr:
//   odis-agent: test seam: Neo pacing <in flight> in flight, <rate> a second, burst <burst>
// Unset, the shipped pacing applies and it costs nothing. A malformed value is refused at start
// (test_pacing_invalid), so a typo cannot make a benchmark measure the shipped pacing by mistake.

#include "storage/result.h"
#include "sync/core/request_pacer.h"

#include <QString>

#include <optional>

namespace odis::agent {

inline constexpr const char* kTestPacingVariable = "ODIS_TEST_NEO_PACING";

// nullopt when the variable is unset; error test_pacing_invalid when it is not
// "<1..64>:<0.01..10000>[:<1..10000>]".
[[nodiscard]] Result<std::optional<sync::PacerSettings>> testPacingFromEnvironment();
[[nodiscard]] Result<std::optional<sync::PacerSettings>> parseTestPacing(const QString& value);

} // namespace odis::agent
