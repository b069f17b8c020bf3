#pragma once

#include "tests/sim/backend/agent_gate.h"
#include "tests/sim/common/sim_message.h"

namespace odis::sim::backend {

struct BackendStores;
struct BackendLimits;

// POST /v1/sync/batches. Behind the agent gate (so a replayed batch never gets here):
//   413 batch_too_large  over the byte limit on the wire, or over the item limit
//   400/422              a malformed envelope
//   422 idempotency_key_mismatch (the key is not the batch_id), clinic_mismatch (not the agent's clinic)
//   200 {batch_id, results: [{key, version, status, error?, details?}]}: each item stored, unchanged
//       (same version as the latest, or older than it) or rejected with its reason.
class BatchEndpoint
{
public:
    BatchEndpoint(BackendStores& stores, BackendLimits& limits);

    SimResponse handle(const SimRequest& request, const AgentContext& agent);

private:
    BackendStores& m_stores;
    BackendLimits& m_limits;
};

} // namespace odis::sim::backend
