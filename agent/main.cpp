// odis-agent: the CLI verbs and, without a verb, the resident agent. It never loads QtWebEngine: a sync run
// is odis-agent-sync's (sync_main.cpp), which `odis-agent sync --once` hands over to and the resident
// agent starts for each run.

#include "agent/cli.h"
#include "agent/process_hardening.h"

#include <QCoreApplication>
#include <QTextStream>

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
    QCoreApplication app(argc, argv);

    int exitCode = 0;
    bool finished = false;
    odis::agent::runVerb(parsed.invocation, [&](int code) {
        exitCode = code;
        finished = true;
        QCoreApplication::exit(code);
    });
    if (finished) // answered without needing the event loop (--version, --help)
        return exitCode;
    return app.exec();
}
