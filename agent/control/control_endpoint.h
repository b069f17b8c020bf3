#pragma once

// Where the resident agent's control socket is, for one install (its data folder): on Unix a socket file
// in a private directory (mode 0700, owned by the user) under the user's runtime folder
// ($XDG_RUNTIME_DIR), named after a hash of the data folder so that two installs of one user (tests) do
// not meet; on Windows a named pipe of that name (QLocalServer gives it a user-only access list).

#include "storage/result.h"

#include <QString>

namespace odis::agent {

struct ControlEndpoint
{
    QString directory; // Unix: the private directory; empty on Windows
    QString name;      // what QLocalServer listens on and QLocalSocket connects to

    // The endpoint of the install whose store lives in `dataDirectory`.
    [[nodiscard]] static ControlEndpoint forDataDirectory(const QString& dataDirectory);
    // The endpoint of this user's default install (AgentPaths::defaults()).
    [[nodiscard]] static ControlEndpoint defaults();

    // Creates the private directory (0700) or checks an existing one: it must be a directory owned by this
    // user; looser permissions are tightened. Error control_dir_unsafe.
    [[nodiscard]] Status preparePrivateDirectory() const;
};

} // namespace odis::agent
