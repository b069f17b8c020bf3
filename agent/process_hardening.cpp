#include "agent/process_hardening.h"

#include "storage/codes/agent_codes.h"

#include <QtGlobal>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif
#if defined(Q_OS_MACOS)
#include <sys/ptrace.h>
#include <sys/types.h>
#endif

#include <cerrno>
#include <cstring>

namespace odis::agent {

Status hardenProcess()
{
#if defined(Q_OS_UNIX)
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return fail(codes::kHardeningFailed, QStringLiteral("core dumps could not be switched off: %1")
                                                 .arg(QString::fromLocal8Bit(std::strerror(errno))));
#endif
#if defined(Q_OS_LINUX)
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return fail(codes::kHardeningFailed, QStringLiteral("the process could not be made undumpable: %1")
                                                 .arg(QString::fromLocal8Bit(std::strerror(errno))));
#endif
#if defined(Q_OS_MACOS)
    if (ptrace(PT_DENY_ATTACH, 0, nullptr, 0) != 0)
        return fail(codes::kHardeningFailed, QStringLiteral("debugger attachment could not be refused: %1")
                                                 .arg(QString::fromLocal8Bit(std::strerror(errno))));
#endif
    return ok();
}

} // namespace odis::agent
