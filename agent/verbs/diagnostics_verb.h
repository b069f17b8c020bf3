#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent diagnostics --out FILE.zip`: writes a diagnostics bundle
// (agent/diagnostics/diagnostics_bundle.h) after listing its files and sizes on stdout. The status in it is
// the running agent's when there is one. Exit 0 written, 2 usage, 3 could not (store, keychain, the file).
void runDiagnosticsVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
