#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace odis::agent {

// A parsed command line: the verb and what follows it, or the resident agent (no verb).
struct Invocation
{
    QString verb;          // empty: the resident agent, or --version / --help
    QStringList arguments; // after the verb (the resident's options without one)
    bool resident = false; // `odis-agent` or `odis-agent --headless`: start the resident agent
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

// Runs the verb asynchronously; `exit` is called once with the process exit code.
// Exit codes: 0 success, 1 the verb's check failed, 2 usage, 3 the verb could not run (see its text; also
// "no agent is running" for the verbs that steer it), 4 a sync finished partially.
void runVerb(const Invocation& invocation, const std::function<void(int)>& exit);

} // namespace odis::agent
