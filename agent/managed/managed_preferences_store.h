#pragma once

// macOS managed preferences as a policy store: the values of the domain com.odis.agent that a
// configuration profile (MDM) forces. A value the user set with `defaults write` is not managed and is
// not read here (CFPreferencesAppValueIsForced), so a user cannot pose as IT. Plist dialect of
// policy_reader.h. Built on macOS only (CoreFoundation); the reader it feeds is compiled and tested
// everywhere with a stand-in store.

#include "agent/managed/policy_store.h"

namespace odis::agent::managed {

inline constexpr QLatin1StringView kMacManagedDomain{"com.odis.agent"};

class ManagedPreferencesStore final : public PolicyStore
{
public:
    [[nodiscard]] QString description() const override;
    [[nodiscard]] PolicyDialect dialect() const override { return PolicyDialect::Plist; }
    [[nodiscard]] Result<QStringList> names() const override;
    [[nodiscard]] Result<std::optional<QVariant>> value(const QString& name) const override;
};

} // namespace odis::agent::managed
