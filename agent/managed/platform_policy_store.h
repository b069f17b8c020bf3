#pragma once

#include "agent/managed/policy_store.h"

#include <memory>

namespace odis::agent::managed {

// This system's store of managed settings: the Windows policy key, macOS's managed preferences; null on
// Linux, where IT's settings are the file /etc/odis-agent/config.json.
[[nodiscard]] std::shared_ptr<const PolicyStore> defaultPolicyStore();

} // namespace odis::agent::managed
