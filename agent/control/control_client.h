#pragma once

// The CLI side of the control socket (control_server.h): one request, one answer.

#include "agent/control/control_endpoint.h"
#include "storage/codes/agent_codes.h"
#include "storage/result.h"

#include <QJsonObject>

#include <chrono>
#include <functional>

namespace odis::agent {

inline constexpr QLatin1StringView kAgentNotRunning{codes::kAgentNotRunning};

// Sends `request` and hands the answer to `done` (once, from the event loop). A zero `timeout` waits as
// long as the agent keeps the connection. Errors: agent_not_running (nothing listens: no resident agent for
// this user and install), control_timeout, control_disconnected (the agent went before answering),
// control_bad_answer. An answer {"ok": false, ...} is an answer, not an error.
void sendControlRequest(const ControlEndpoint& endpoint, const QJsonObject& request,
                        std::chrono::milliseconds timeout, std::function<void(Result<QJsonObject>)> done);

// The error of an {"ok": false, "error": {...}} answer; nullopt for {"ok": true}.
[[nodiscard]] std::optional<Error> controlAnswerError(const QJsonObject& answer);

} // namespace odis::agent
