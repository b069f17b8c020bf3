#include "agent/run/process_memory.h"

#include "storage/codes/agent_codes.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <optional>

#if defined(Q_OS_WIN)
// clang-format off
#include <windows.h>
#include <psapi.h>
// clang-format on
#elif defined(Q_OS_MACOS)
#include <mach/mach.h>
#include <sys/resource.h>
#else
#include <sys/resource.h>
#endif

namespace odis::agent {

namespace {

constexpr double kBytesPerMb = 1024.0 * 1024.0;

std::unexpected<Error> unavailable(const QString& why)
{
    return fail(codes::kPeakRssUnavailable, why);
}

#if !defined(Q_OS_WIN)
// ru_maxrss is KiB on Linux and bytes on macOS.
[[nodiscard]] Result<double> rusagePeakMb()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0 || usage.ru_maxrss <= 0)
        return unavailable(QStringLiteral("getrusage() gave no peak resident size"));
#if defined(Q_OS_MACOS)
    return static_cast<double>(usage.ru_maxrss) / kBytesPerMb;
#else
    return static_cast<double>(usage.ru_maxrss) * 1024.0 / kBytesPerMb;
#endif
}
#endif

#if defined(Q_OS_LINUX)
// "VmHWM:    123456 kB" in /proc/self/status. Unlike ru_maxrss it follows resetPeakRss().
std::optional<double> procStatusPeakMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return std::nullopt;
    // /proc files report size 0: read until the end rather than by size.
    const QByteArray text = status.readAll();
    for (const QByteArray& line : text.split('\n')) {
        if (!line.startsWith("VmHWM:"))
            continue;
        const QList<QByteArray> parts = line.mid(6).simplified().split(' ');
        bool numeric = false;
        const qint64 kib = parts.value(0).toLongLong(&numeric);
        if (!numeric || kib <= 0 || parts.value(1) != "kB")
            return std::nullopt;
        return static_cast<double>(kib) * 1024.0 / kBytesPerMb;
    }
    return std::nullopt;
}
#endif

} // namespace

Result<double> peakRssMb()
{
#if defined(Q_OS_WIN)
    PROCESS_MEMORY_COUNTERS counters{};
    counters.cb = sizeof(counters);
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)))
        return unavailable(QStringLiteral("GetProcessMemoryInfo() failed"));
    return static_cast<double>(counters.PeakWorkingSetSize) / kBytesPerMb;
#elif defined(Q_OS_MACOS)
    mach_task_basic_info_data_t info{};
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count) ==
            KERN_SUCCESS &&
        info.resident_size_max > 0)
        return static_cast<double>(info.resident_size_max) / kBytesPerMb;
    return rusagePeakMb();
#elif defined(Q_OS_LINUX)
    if (const auto mb = procStatusPeakMb())
        return *mb;
    return rusagePeakMb();
#else
    return rusagePeakMb();
#endif
}

Status resetPeakRss()
{
#if defined(Q_OS_LINUX)
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5", 1) == 1 && clearRefs.flush())
        return ok();
    return fail(codes::kPeakRssResetUnsupported,
                QStringLiteral("the kernel did not accept a peak reset (/proc/self/clear_refs)"));
#else
    return fail(codes::kPeakRssResetUnsupported, QStringLiteral("this system keeps one peak per process"));
#endif
}

} // namespace odis::agent
