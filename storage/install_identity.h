#pragma once

#include "storage/result.h"

#include <QString>
#include <QUuid>

namespace odis::storage {

// The install id: a random UUID created at first start and kept in a small, non-secret file in the
// per-user configuration folder. It namespaces this install's keychain entries, so a reinstall with a
// fresh configuration (or a test) never reads or wipes another install's secrets.
class InstallIdentity
{
public:
    // <AppConfigLocation>/install-id (needs the application and organization names set first).
    [[nodiscard]] static QString defaultPath();

    // Reads the id at `path`, or creates the file (and its folder) with a new id when it does not
    // exist. A file that exists but does not hold a UUID is an error, never silently replaced: a new
    // id would orphan every keychain entry of this install, including the database key.
    // Error codes: install_id_unreadable, install_id_invalid, install_id_write_failed.
    [[nodiscard]] static Result<QUuid> loadOrCreate(const QString& path = defaultPath());

    // The form used in keychain keys and logs: lower-case, without braces.
    [[nodiscard]] static QString toText(const QUuid& id);
};

} // namespace odis::storage
