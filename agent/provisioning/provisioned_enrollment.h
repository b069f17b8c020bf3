#pragma once

// The pre-provisioned enrollment code (managed key enrollment.code: /etc/odis-agent/config.json, the
// MSI's ENROLLMENT_CODE in the Windows policy key, a macOS configuration profile, or the user's own
// config.json). IT installs the agent on many workstations with one silent command; the first start of
// each install enrolls it with that code, before the verb that started it runs.
//
// - Used once: an enrolled install never uses a code again (that is `enroll --replace`'s job); a code the
//   backend refused (404: unknown or already used) is remembered by its SHA-256 in kv and not tried again,
//   so a stale code left in a read-only policy does not call the backend at every start. A code that
//   could not be tried (backend unreachable) is tried at the next start.
// - Removed, once used or refused, from where the agent can write: a configuration file it may rewrite
//   (the user's; the managed one only when the agent runs with the rights to change it). A policy key or
//   a profile belongs to IT: the code stays there, used, and installer/README.md says how to remove it.
// - Never logged or printed: registered with the log redactor before anything else happens; messages
//   name where the code came from, never the code.
//
// Verbs call this through startVerb (verb_support.h); `enroll` does not (its own --code wins).

#include "agent/agent_config.h"
#include "agent/agent_context.h"

#include <functional>

namespace odis::agent {

namespace provisioning_kv {
inline const QString kRefusedCode = QStringLiteral("provisioning.refused_code_sha256");
}

enum class ProvisionedOutcome
{
    None,            // no code configured
    AlreadyEnrolled, // the install is enrolled: the code is not used
    Enrolled,        // enrolled with it now
    Refused,         // the backend refused it (now, or an earlier start)
    NotTried,        // the backend could not be reached, or the store failed: tried again next start
};

// Enrolls with config.enrollmentCode when the install is not enrolled, then calls `done` (once, from
// the event loop or before returning when there is nothing to do). What it did is printed on stderr in a
// line a person can act on.
void useProvisionedEnrollment(AgentContext& ctx, const AgentConfig& config,
                              std::function<void(ProvisionedOutcome)> done);

// Removes enrollment.code from the JSON file `file`, keeping every other key. Fine when the file has none.
[[nodiscard]] Status removeEnrollmentCode(const QString& file);

} // namespace odis::agent
