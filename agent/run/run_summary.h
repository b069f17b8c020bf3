#pragma once

// The few lines `odis-agent sync --once` prints when a run ends: what was read, decided (with the reasons
// calls were not planned), uploaded, how long it took and how much memory it needed. Ids and counts only.

#include "agent/run/sync_run.h"

#include <QString>

namespace odis::agent {

[[nodiscard]] QString syncSummaryText(const SyncRunResult& result);

// 0 completed, 4 partial (finished, but something waits or failed: the data is safe in the outbox and the
// next run goes on), 1 failed, 3 no run could start (another one is running, the store is unusable).
[[nodiscard]] int syncExitCode(const SyncRunResult& result);

} // namespace odis::agent
