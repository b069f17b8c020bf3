#pragma once

// Reads the managed settings of an OS store (policy_store.h) as one configuration layer, through the
// table of managed keys: each value is converted from the store's types to config.json's and then checked
// by the very rules of the file (agent_config.h), so a setting means the same wherever IT puts it.
//
// Per dialect, each kind accepts:
//   kind        Registry (Windows)                        Plist (macOS)
//   text kinds  REG_SZ                                    <string>
//   PinList,    REG_MULTI_SZ, or REG_SZ separated by ';'  <array> of <string>
//   OriginList
//   Seconds     REG_DWORD, or REG_SZ of digits            <integer>
//   Flag        REG_DWORD 0 or 1, or REG_SZ 0/1/true/false <true/> or <false/>
// An empty string (or list) means "not set": the MSI writes every property it knows, set or not.
// A File must be an absolute path. A value name that is not in the table is refused (config_invalid,
// naming it), as an unknown key in the file is: a misspelt policy must not be silently ignored.

#include "agent/agent_config.h"
#include "agent/managed/policy_store.h"
#include "storage/result.h"

namespace odis::agent::managed {

[[nodiscard]] Result<AgentConfigLayer> readPolicyLayer(const PolicyStore& store);

} // namespace odis::agent::managed
