#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent sync --once [--headless] [--trigger <t>]`: while the resident agent runs for this user and
// install, asks it to sync now (manual, or remote with --trigger remote) and waits for that run, printing
// its summary and exiting with its code, instead of fighting over the sync lock; otherwise hands over to
// odis-agent-sync (the same arguments, the same process on Unix) for a run here.
void runSyncLauncherVerb(const QStringList& arguments, const std::function<void(int)>& exit);

// The odis-agent-sync executable next to this one.
[[nodiscard]] QString syncProgramPath();

// Where one of the CLI's helper programs (`odis-agent-sync`, `odis-agent-ui`) is: beside the CLI (the build
// tree, the Windows and macOS layouts) or, installed on Linux, in libexec relative to it.
[[nodiscard]] QString helperProgramPath(const QString& name);

#ifndef Q_OS_WIN
// Replaces this process by `program` run with `arguments` (the same pid, output and signals). Returns only
// when that failed, with execv's errno.
[[nodiscard]] int execInPlace(const QString& program, const QStringList& arguments);
#endif

} // namespace odis::agent
