#pragma once

#include "storage/result.h"
#include "tests/sim/backend/agent_gate.h"
#include "tests/sim/backend/batch_endpoint.h"

namespace odis::sim {
class SimHttpServer;
}

namespace odis::sim::backend {

struct BackendStores;
struct BackendLimits;

// The agent API v1 (docs/backend-api.md), one route per endpoint:
//   enroll        POST /v1/agents/enroll
//   clinic        GET  /v1/clinic
//   batches       POST /v1/sync/batches           (batch_endpoint.cpp)
//   runs          PUT  /v1/sync/runs/{run_id}
//   heartbeat     POST /v1/agents/heartbeat
//   command_ack   POST /v1/agents/commands/{command_id}/ack
//   audit         POST /v1/audit/batches
//   posthog_batch POST /batch/                    (the PostHog capture API; posthog_endpoint.cpp)
class AgentApi
{
public:
    AgentApi(BackendStores& stores, BackendLimits& limits);

    Status registerRoutes(SimHttpServer& server);

private:
    SimResponse enroll(const SimRequest& request);
    SimResponse clinic(const SimRequest& request, const AgentContext& agent);
    SimResponse run(const SimRequest& request, const AgentContext& agent);
    SimResponse heartbeat(const SimRequest& request, const AgentContext& agent);
    SimResponse acknowledge(const SimRequest& request, const AgentContext& agent);
    SimResponse audit(const SimRequest& request, const AgentContext& agent);

    BackendStores& m_stores;
    BackendLimits& m_limits;
    AgentGate m_gate;
    BatchEndpoint m_batches;
};

} // namespace odis::sim::backend
