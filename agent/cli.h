#pragma once

#include <QStringList>

namespace odis::agent {

// The command-line front door: parses the verb and its options and runs it. Returns the process exit
// code. Verbs are documented in usageText().
int runCli(const QStringList& arguments);

QString usageText();

} // namespace odis::agent
