#include "agent/verbs/autostart_verb.h"

#include "agent/autostart/autostart.h"
#include "agent/verbs/verb_support.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

namespace odis::agent {

void runAutostartVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString verb = QStringLiteral("autostart");
    const QString action = arguments.size() == 1 ? arguments.first() : QString();
    if (action != QLatin1String("on") && action != QLatin1String("off") &&
        action != QLatin1String("status")) {
        printUsageError(verb, QStringLiteral("autostart takes on, off or status"));
        exit(exit_code::kUsage);
        return;
    }
    Autostart autostart = Autostart::forCurrentUser();
    const QString executable = QFileInfo(QCoreApplication::applicationFilePath()).absoluteFilePath();
    QTextStream out(stdout);
    if (action == QLatin1String("on")) {
        if (auto enabled = autostart.enable(executable); !enabled) {
            printVerbError(verb, QStringLiteral("cannot turn it on"), enabled.error());
            exit(exit_code::kCannotRun);
            return;
        }
        out << "autostart on: " << autostart.location() << " starts " << executable << Qt::endl;
    } else if (action == QLatin1String("off")) {
        if (auto disabled = autostart.disable(); !disabled) {
            printVerbError(verb, QStringLiteral("cannot turn it off"), disabled.error());
            exit(exit_code::kCannotRun);
            return;
        }
        out << "autostart off: " << autostart.location() << " removed" << Qt::endl;
    } else {
        const AutostartState state = autostart.state();
        if (!state.enabled)
            out << "autostart off (" << state.location << ")" << Qt::endl;
        else
            out << "autostart on: " << state.location << " starts " << state.executable
                << (state.executable == executable
                        ? QString()
                        : QStringLiteral(" (not this program: ") + executable + u')')
                << Qt::endl;
    }
    exit(exit_code::kOk);
}

} // namespace odis::agent
