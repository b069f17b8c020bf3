#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent autostart on|off|status` (agent/autostart/autostart.h): on writes this user's autostart
// entry for this executable, off removes it, status says whether there is one and what it starts.
// Exit 0, 2 usage, 3 the entry could not be written or removed.
void runAutostartVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
