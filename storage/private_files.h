#pragma once

// Files the agent writes for itself (install id, saved configuration, markers, captured browser output)
// are its user's alone: folders 0700 and files 0600 where the OS has such modes. (Windows and macOS
// keep the per-user profile folders private already; the modes are set there too where Qt maps them.)

#include "storage/result.h"

#include <QByteArray>
#include <QString>

namespace odis::storage {

// Creates `folder` (and missing parents) and restricts `folder` itself to its owner. Parents that
// already existed keep their modes: they are not the agent's. Error code: private_folder_failed.
[[nodiscard]] Status makePrivateFolder(const QString& folder);

// Writes `content` to `path` atomically (a crash leaves the old file or the new one, never half of one),
// owner read/write only from the first byte on, in a private folder. An existing file is replaced and
// loses any wider mode it had. Error code: private_file_failed.
[[nodiscard]] Status writePrivateFile(const QString& path, const QByteArray& content);

} // namespace odis::storage
