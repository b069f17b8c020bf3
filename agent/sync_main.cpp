// odis-agent-sync: one sync run, `odis-agent-sync sync --once [--headless] [--trigger <t>]
// [--progress-lines]` (agent/verbs/sync_verb.h). `odis-agent sync --once` hands over to it when no resident
// agent runs; the resident agent starts it for each of its runs. The only program that loads QtWebEngine.

#include "agent/process_hardening.h"
#include "agent/verbs/sync_verb.h"
#include "sync/neo/chromium_logging.h"

#include <QApplication>
#include <QTextStream>

namespace {

// Before the application object exists: --headless, or no display, gets Qt's offscreen platform (QtWebEngine
// needs no window; a service session or a server without a display would otherwise abort). An explicit
// QT_QPA_PLATFORM is kept.
void prepareGuiPlatform(const QStringList& arguments)
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return;
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    const bool display =
        !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    const bool display = true;
#endif
    if (odis::agent::syncArgumentsHeadless(arguments) || !display)
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

} // namespace

int main(int argc, char** argv)
{
    // Before anything secret is in memory (the IDEXX password, the keys): no core files, no ptrace by the
    // user's other processes (agent/process_hardening.h).
    if (const odis::Status hardened = odis::agent::hardenProcess(); !hardened)
        QTextStream(stderr) << "odis-agent-sync: warning: " << hardened.error().message << "\n";
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (arguments.isEmpty() || arguments.first() != QLatin1String("sync")) {
        QTextStream(stderr) << "odis-agent-sync: runs one sync for odis-agent: odis-agent-sync sync --once "
                               "[--headless] [--trigger <trigger>] (see odis-agent --help)\n";
        return 2;
    }
    arguments.removeFirst();

    // The same names as odis-agent: the same per-user folders, store and keychain entries.
    QCoreApplication::setOrganizationName(QStringLiteral("Odis"));
    QCoreApplication::setApplicationName(QStringLiteral("odis-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ODIS_VERSION));
    prepareGuiPlatform(arguments);
    // Chromium's own output would bypass the log's redaction (sync/neo/chromium_logging.h).
    odis::sync::quietChromiumLogging();
    // QtWebEngine needs shared OpenGL contexts before the application object exists, and a GUI one.
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);

    int exitCode = 0;
    bool finished = false;
    odis::agent::runSyncVerb(arguments, [&](int code) {
        exitCode = code;
        finished = true;
        QCoreApplication::exit(code);
    });
    if (finished)
        return exitCode;
    return app.exec();
}
