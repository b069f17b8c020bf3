#pragma once

#include <QString>
#include <QStringList>

namespace odis::agent {

// `odis-agent` without --headless, in a graphical session, hands over to odis-agent-ui (ui/): the same
// resident agent with the tray, the setup window and the dashboard in its process. The CLI itself never
// loads Qt Widgets or QtWebEngine, so `odis-agent --headless` stays small at rest (bench/README.md).
// Returns only when it did not hand over: --headless was given, there is no display (a server, an SSH
// login), or odis-agent-ui is not installed; the caller then runs the resident agent headless.
void handOverToUiIfWanted(const QStringList& arguments);

// The odis-agent-ui executable beside this one (libexec on Linux installs, like odis-agent-sync).
[[nodiscard]] QString uiProgramPath();

} // namespace odis::agent
