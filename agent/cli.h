#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace odis::agent {

// A parsed command line: the verb and what follows it.
struct Invocation
{
    QString verb;          // empty with --version / --help
    QStringList arguments; // after the verb
    bool showVersion = false;
    bool showHelp = false;
};

// Reads the command line (argv[0] included). An unknown verb or option is a usage error with a message.
struct ParsedCommandLine
{
    Invocation invocation;
    QString usageError; // non-empty: print it with the usage and exit 2
};
ParsedCommandLine parseCommandLine(const QStringList& argv);

QString usageText();

// Whether the verb needs a GUI application object (QtWebEngine, tray) rather than a core one.
bool verbNeedsGui(const QString& verb);

// Before the application object exists: `sync --headless`, and any GUI verb where there is no display,
// get Qt's offscreen platform (QtWebEngine needs no window). An explicit QT_QPA_PLATFORM is kept.
// Chromium's own logging is switched off for every GUI verb (sync/neo/chromium_logging.h).
void prepareGuiPlatform(const Invocation& invocation);

// Runs the verb asynchronously; `exit` is called once with the process exit code.
// Exit codes: 0 success, 1 the verb's check failed, 2 usage, 3 the verb could not run (see its text),
// 4 a sync finished partially.
void runVerb(const Invocation& invocation, std::function<void(int)> exit);

} // namespace odis::agent
