#pragma once

#include "tests/sim/common/sim_message.h"

#include <QString>

#include <functional>

namespace odis::sim::backend {

class AgentRegistry;
class IdempotencyStore;

struct AgentContext
{
    QString agentId;
    QString clinicId;
};

using AgentHandler = std::function<SimResponse(const SimRequest&, const AgentContext&)>;
using AnonymousHandler = std::function<SimResponse(const SimRequest&)>;

// What every agent request goes through before its endpoint, in this order:
//   Authorization: Bearer <token>  -> 401 token_missing / token_unknown, 403 agent_deprovisioned,
//                                     401 token_revoked
//   X-Agent-Id (the token's agent) -> 400 missing_header, 401 token_agent_mismatch
//   X-Agent-Version, User-Agent "odis-agent/<version> (<os>)" -> 400 missing_header / invalid_header
//   a body is application/json     -> 415 unsupported_media_type
//   Idempotency-Key (state changes) -> 400 missing_idempotency_key / invalid_idempotency_key; a repeated
//                                     key gets the first answer again (Idempotent-Replayed: true), or 409
//                                     idempotency_key_reused when the request differs.
// First answers are kept for 2xx, 400 and 422: the answers that depend only on the request.
class AgentGate
{
public:
    AgentGate(AgentRegistry& agents, IdempotencyStore& idempotency);

    [[nodiscard]] SimHandler protect(AgentHandler handler, bool changesState);
    // Enrollment has no token and no agent id yet; its keys are scoped apart from every agent's.
    [[nodiscard]] SimHandler enrollment(AnonymousHandler handler);

private:
    SimResponse idempotent(const QString& scope, const SimRequest& request,
                           const std::function<SimResponse()>& run);

    AgentRegistry& m_agents;
    IdempotencyStore& m_idempotency;
};

} // namespace odis::sim::backend
