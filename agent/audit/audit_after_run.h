#pragma once

// After a sync run (`sync --once`, also the resident agent's runs): the audit log's new entries go to the
// backend (audit_shipper.h) before the process exits. Bounded by short time-outs of its own: a backend that
// does not answer costs the run at most kShipTimeout, and the entries wait for the next run or heartbeat.
// Nothing here can change the run's outcome; a failure is logged.

#include <chrono>
#include <functional>

namespace odis {
class Clock;
}

namespace odis::agent {

struct AgentConfig;
struct AgentContext;

inline constexpr std::chrono::seconds kShipTransferTimeout{10};
inline constexpr std::chrono::seconds kShipTimeout{20};

// `then` is called once, later, whatever happened.
void shipAuditAfterRun(AgentContext& context, const AgentConfig& config, const Clock& clock,
                       std::function<void()> then);

} // namespace odis::agent
