#pragma once

// Test hooks: the environment variables through which tests steer the agent (ODIS_TEST_NOW,
// ODIS_TEST_HOLD_AT_STEP, ODIS_TEST_CLOCK_FILE, ODIS_TEST_TICK_MS, ODIS_TEST_SETTLE_MS,
// ODIS_TEST_HEARTBEAT_MS, ODIS_TEST_NEO_PACING (benchmarks), ODIS_TEST_TRAY_WAIT_MS (the UI), and
// ODIS_MANAGED_CONFIG, which would otherwise let anyone replace IT's managed settings). Every one of them is
// read here and nowhere else (tst_test_hooks_scan checks the sources). They exist only in a build configured
// with ODIS_TEST_HOOKS=ON (the default, for development and the tests); packages are built with it OFF, where
// testHook() returns nothing whatever the environment holds, so no variable can move a clinic's clock or stop
// its run (tst_test_hooks_off).

#include <QString>

namespace odis::agent {

// Whether this build reads the test hooks at all.
[[nodiscard]] bool testHooksEnabled();

// The variable's value when the hooks are compiled in and it is set; empty otherwise.
[[nodiscard]] QString testHook(const char* variable);

} // namespace odis::agent
