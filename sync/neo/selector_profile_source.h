#pragma once

#include "storage/result.h"
#include "sync/core/selector_profile.h"

#include <QLatin1StringView>
#include <QString>

namespace odis::sync {

// The selector profile built into the agent (resources/neo/selectors-v1.json in odis_resources).
inline constexpr QLatin1StringView kBuiltInSelectorProfile{":/odis/neo/selectors-v1.json"};

// The DOM fallback's selector profile: the file at `path` when the configuration names one (a field
// team's fix, shipped without a build), else the built-in one. A named file that is missing or invalid
// is an error, never a silent fall back to the built-in profile: the team must learn that its fix is
// not in force. Errors: selector_profile_unreadable, selector_profile_invalid (naming the file).
[[nodiscard]] Result<SelectorProfile> loadSelectorProfile(const QString& path = {});

} // namespace odis::sync
