// odis-agent-ui: the resident agent with its tray icon, setup window and dashboard (ui_shell.h).
// `odis-agent` without --headless hands over to it in a desktop session (agent/verbs/ui_handover.h), so
// that the CLI and the headless agent never load Qt Widgets or QtWebEngine.

#include "ui/ui_shell.h"

#include <QApplication>
#include <QTextStream>

int main(int argc, char** argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Odis"));
    QCoreApplication::setApplicationName(QStringLiteral("odis-agent")); // the same folders as the CLI
    QCoreApplication::setApplicationVersion(QStringLiteral(ODIS_VERSION));
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts); // QtWebEngine in the setup window
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false); // closing a window leaves the agent and its tray
    QApplication::setApplicationDisplayName(QObject::tr("Odis Clinic Agent"));

    QStringList arguments = QCoreApplication::arguments().mid(1);
    arguments.removeAll(QStringLiteral("--headless")); // this program is the one with a window
    auto options = odis::ui::UiOptions::fromEnvironment();
    if (!options) {
        QTextStream(stderr) << "odis-agent: " << options.error().message << "\n";
        return 2;
    }
    int exitCode = 0;
    bool finished = false;
    odis::ui::runAgentWithUi(
        arguments,
        [&](int code) {
            exitCode = code;
            finished = true;
            QCoreApplication::exit(code);
        },
        *options);
    if (finished)
        return exitCode;
    return app.exec();
}
