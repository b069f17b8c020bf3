#pragma once

#include "tests/sim/backend/json_rules.h"
#include "tests/sim/common/sim_message.h"

#include <QJsonObject>
#include <QList>

#include <expected>

namespace odis::sim::backend {

// Parses a JSON object body and checks it against its rules, or answers with the contract's error:
// 400 invalid_json, 400 invalid_request (missing field, wrong type), 422 invalid_value (enum, format).
std::expected<QJsonObject, SimResponse> readBody(const SimRequest& request, const QList<Field>& rules);

SimResponse violationResponse(const Violation& violation);
// 500 for a failure of the double's own store: never the agent's fault.
SimResponse storeFailure(const Error& error);

} // namespace odis::sim::backend
