#include "agent/test_hooks.h"

// ODIS_TEST_HOOKS is defined for this file alone (agent/CMakeLists.txt), so that switching the hooks off
// recompiles one file and every other object stays in the compiler cache.
#if !defined(ODIS_TEST_HOOKS)
#error "ODIS_TEST_HOOKS must be defined to 0 or 1 for this file"
#endif

#include <QtGlobal>

namespace odis::agent {

bool testHooksEnabled()
{
    return ODIS_TEST_HOOKS != 0;
}

QString testHook(const char* variable)
{
#if ODIS_TEST_HOOKS
    return qEnvironmentVariable(variable);
#else
    Q_UNUSED(variable)
    return {};
#endif
}

} // namespace odis::agent
