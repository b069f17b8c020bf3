#pragma once

// Keeps the agent's memory (the IDEXX password while a login needs it, the database and audit keys, the
// agent token) out of reach of other processes of the same user and out of crash dumps, where the OS
// allows it: no core files (RLIMIT_CORE 0), and on Linux not dumpable (prctl PR_SET_DUMPABLE 0), which
// also refuses ptrace and /proc/<pid>/mem, environ and the like to processes of the same user. On macOS
// no core files and PT_DENY_ATTACH. Windows: nothing here (Windows Error Reporting is configured by IT).
// QtWebEngine's own processes are started afresh by Chromium and follow its sandbox, not this.
// Called first thing in main(); failures are reported, not fatal: the agent still works.

#include "storage/result.h"

namespace odis::agent {

[[nodiscard]] Status hardenProcess();

} // namespace odis::agent
