#pragma once

#include "storage/result.h"
#include "tests/sim/common/sim_message.h"

#include <functional>

namespace odis::sim {
class SimHttpServer;
}

namespace odis::sim::backend {

class BackendServer;

// The backend double's admin routes, under /__admin (loopback only), next to the common ones (faults,
// requests, routes):
//   POST /enrollment-codes {clinic_id?, code?} -> 201 {code, clinic_id}   GET /enrollment-codes
//   GET  /agents                                                          (tokens are never shown)
//   POST /agents/{agent_id}/revoke-token  -> 401 token_revoked from then on
//   POST /agents/{agent_id}/deprovision   -> 403 agent_deprovisioned from then on
//   POST /agents/{agent_id}/commands {type, args?} -> 201 {id, type, args}   GET /commands
//   GET  /clinic-profile[?clinic_id=]     PUT /clinic-profile (the profile) -> {clinic_id, etag}
//   GET  /items[?kind=&key=]   latest per key          GET /observations[?key=]  every one
//   GET  /duplicates           {duplicates, keys}      GET /batches  (with first answer and replays)
//   GET  /rejected-items       GET /runs   GET /run-reports[?run_id=]   GET /heartbeats
//   GET  /audit[?agent_id=]    {heads, entries}        GET /posthog-events
//   GET  /summary              counts of everything
//   GET  /config               PUT /config {max_batch_bytes?, max_batch_items?, posthog_api_key?}
//   POST /reset                wipe everything, restore the default profile and the startup code,
//                              clear faults and the request log
Status registerBackendAdminRoutes(BackendServer& server);

} // namespace odis::sim::backend
