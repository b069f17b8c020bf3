#pragma once

#include <QStringList>

#include <functional>

namespace odis::agent {

// `odis-agent credentials set`: reads the clinic's IDEXX Neo company id, user name and password from
// standard input, one per line in that order (never from the command line or the environment, which other
// users and logs can see; on a terminal the password is not echoed), saves them in the OS keychain (state
// `configured`) and audits it. A manual `odis-agent sync --once` then validates them with a login.
// `odis-agent credentials status`: the lifecycle state, since when, why, and whether scheduled syncs may
// use them. Exit 0 done, 1 refused (empty user name or password, revoked install), 2 usage, 3 could not run.
void runCredentialsVerb(const QStringList& arguments, const std::function<void(int)>& exit);

} // namespace odis::agent
