#pragma once

#include "tests/sim/common/sim_message.h"

namespace odis::sim::backend {

class PosthogStore;
struct BackendLimits;

// POST /batch/, PostHog's capture API as the agent uses it: {api_key, batch: [{event, distinct_id,
// timestamp, uuid, properties}]}, gzip allowed. Answers like PostHog: 200 {"status": 1}; errors as
// {type, code, detail} (401 invalid_api_key, 400 invalid_payload).
SimResponse handlePosthogBatch(const SimRequest& request, PosthogStore& store, const BackendLimits& limits);

} // namespace odis::sim::backend
