#include "agent/cli.h"
#include "agent/process_hardening.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>

#include <memory>

int main(int argc, char** argv)
{
    // Before anything secret is in memory: no core files, no ptrace by the user's other processes.
    if (const odis::Status hardened = odis::agent::hardenProcess(); !hardened)
        QTextStream(stderr) << "odis-agent: warning: " << hardened.error().message << "\n";
    QStringList rawArguments;
    for (int i = 0; i < argc; ++i)
        rawArguments << QString::fromLocal8Bit(argv[i]);
    const odis::agent::ParsedCommandLine parsed = odis::agent::parseCommandLine(rawArguments);
    if (!parsed.usageError.isEmpty()) {
        QTextStream(stderr) << "odis-agent: " << parsed.usageError << "\n\n" << odis::agent::usageText();
        return 2;
    }

    QCoreApplication::setOrganizationName(QStringLiteral("Odis"));
    QCoreApplication::setApplicationName(QStringLiteral("odis-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ODIS_VERSION));

    // QtWebEngine needs shared OpenGL contexts before the application object exists, and a GUI one.
    std::unique_ptr<QCoreApplication> app;
    if (odis::agent::verbNeedsGui(parsed.invocation.verb)) {
        odis::agent::prepareGuiPlatform(parsed.invocation);
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
        app = std::make_unique<QApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }

    int exitCode = 0;
    bool finished = false;
    odis::agent::runVerb(parsed.invocation, [&](int code) {
        exitCode = code;
        finished = true;
        QCoreApplication::exit(code);
    });
    if (finished) // answered without needing the event loop (--version, --help)
        return exitCode;
    return app->exec();
}
