#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent enroll --code <code> [--backend <https url>]`: exchanges an enrollment code for this
// install's agent id and token (POST /v1/agents/enroll); the token goes to the OS keychain, the ids to the
// store, and the enrollment to the audit log. The backend is the configured one unless --backend names
// another, which is then saved in the per-user configuration so that syncs use the backend that issued
// the token. An install that is already enrolled says so and exits 0 without using the code.
// Exit 0 enrolled (or already), 1 the code was refused, 2 usage, 3 could not run.
void runEnrollVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
