#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent proxy status | set-login | clear-login` (agent/proxy/proxy_setup.h): which proxy the agent
// uses (from proxy.url: system, direct or explicit) and whether a login is stored; set-login reads the user
// name and password on two lines of standard input into the OS keychain; clear-login removes them.
// Exit 0, 2 usage, 3 the keychain or the configuration could not be used.
void runProxyVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
