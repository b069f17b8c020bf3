#include "agent/managed/platform_policy_store.h"

#if defined(Q_OS_WIN)
#include "agent/managed/registry_policy_store.h"
#elif defined(Q_OS_MACOS)
#include "agent/managed/managed_preferences_store.h"
#endif

namespace odis::agent::managed {

std::shared_ptr<const PolicyStore> defaultPolicyStore()
{
#if defined(Q_OS_WIN)
    return std::make_shared<RegistryPolicyStore>();
#elif defined(Q_OS_MACOS)
    return std::make_shared<ManagedPreferencesStore>();
#else
    return nullptr;
#endif
}

} // namespace odis::agent::managed
