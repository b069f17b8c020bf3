#include "agent/verbs/ui_handover.h"

#include "agent/verbs/sync_launcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

bool graphicalSession()
{
#if defined(Q_OS_WIN) || defined(Q_OS_MACOS)
    return true; // a user's login always has a desktop
#else
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#endif
}

} // namespace

QString uiProgramPath()
{
    return helperProgramPath(QStringLiteral("odis-agent-ui"));
}

void handOverToUiIfWanted(const QStringList& arguments)
{
    if (arguments.contains(QLatin1String("--headless")) || !graphicalSession())
        return;
    const QString program = uiProgramPath();
    if (!QFileInfo(program).isExecutable())
        return;
#ifndef Q_OS_WIN
    // The same process becomes the agent with its windows: same pid, output and signals.
    const int error = execInPlace(program, arguments);
    spdlog::warn("odis-agent-ui could not be started (errno {}): the agent runs without its window", error);
#else
    if (QProcess::startDetached(program, arguments))
        ::exit(0); // the agent with its windows runs in its own process now
    spdlog::warn("odis-agent-ui could not be started: the agent runs without its window");
#endif
}

} // namespace odis::agent
