#pragma once

// The agent's peak resident memory, for the run report's peak_rss_mb. The embedded browser is most of the
// agent's memory, so this is what tells operations whether a run is getting heavy.

#include "storage/result.h"

namespace odis::agent {

// The process's peak resident set size in MiB (1024 * 1024 bytes):
//   Linux:   VmHWM of /proc/self/status, else getrusage() ru_maxrss (KiB);
//   macOS:   task_info(MACH_TASK_BASIC_INFO) resident_size_max, else getrusage() ru_maxrss (bytes);
//   Windows: GetProcessMemoryInfo() PeakWorkingSetSize.
// The peak is the process's since it started, or since resetPeakRss() where the OS allows it.
// Error: peak_rss_unavailable.
[[nodiscard]] Result<double> peakRssMb();

// Starts a new peak, so the next peakRssMb() is the peak of one run rather than of the whole process:
// Linux only ("5" to /proc/self/clear_refs, Linux 4.0 and later). Elsewhere, and where the kernel refuses,
// it fails with peak_rss_reset_unsupported and the peak stays the process's: callers log it and go on.
[[nodiscard]] Status resetPeakRss();

} // namespace odis::agent
