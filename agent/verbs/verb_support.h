#pragma once

// What the verbs that work on an install share: the configuration, storage brought up with the
// configured log level, and one way of saying why a verb could not run.

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "storage/result.h"

#include <QString>

#include <functional>
#include <memory>

namespace odis::agent {

// Exit codes of the CLI (cli.h).
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;
inline constexpr int kCannotRun = 3;
inline constexpr int kPartial = 4; // sync --once: the run finished, but not everything went through
} // namespace exit_code

// "odis-agent <verb>: <what>: <message> [<code>]" on stderr.
void printVerbError(const QString& verb, const QString& what, const Error& error);
void printUsageError(const QString& verb, const QString& problem);

// Keeps `value` alive until the application object is destroyed (after its event loop has ended), so
// that the verb's asynchronous callbacks may hold it by reference whenever they run.
void keepUntilExitImpl(std::shared_ptr<void> value);
template <typename T> T& keepUntilExit(std::unique_ptr<T> value)
{
    T& ref = *value;
    keepUntilExitImpl(std::shared_ptr<T>(std::move(value)));
    return ref;
}

// Loads the configuration, then brings storage up (creating the store on first use), applies the
// configured log level and, for every verb but `enroll`, uses a pre-provisioned enrollment code
// (agent/provisioning/provisioned_enrollment.h). On failure prints why and exits 3; otherwise hands over the
// context and the configuration, both alive until the process ends (keepUntilExit).
using ReadyCallback = std::function<void(AgentContext&, const AgentConfig&)>;
void startVerb(const QString& verb, std::function<void(int)> exit, ReadyCallback ready);

} // namespace odis::agent
