#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent status`: brings storage up (creating the store, its key and the audit key at first
// start), records the creation in the audit log, and prints the install's state.
void runStatusVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
