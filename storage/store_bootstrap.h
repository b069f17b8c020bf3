#pragma once

#include "storage/credential_store.h"
#include "storage/database.h"

#include <QString>

#include <functional>
#include <memory>

namespace odis::storage {

struct OpenedStore
{
    std::unique_ptr<Database> database;
    OpenReport report;
    bool keyCreated = false; // a new random key was made and saved in the keychain
    // The file was the emptied store of an install the backend deprovisioned (its marker was there and its
    // key gone): it was deleted and this store is a fresh one.
    bool replacedDeprovisioned = false;
};

// Written next to the database once a deprovisioning wiped the store AND removed the keychain entries
// (sync/backend/install_wipe.h): it lets the next start tell "deprovisioned by Odis, start afresh" from
// "the keychain lost the key of a live store" (db_key_missing, where nothing is touched).
QString deprovisionedMarkerPath(const QString& databasePath);

// Where the install's database lives by default: the per-user application data folder.
QString defaultDatabasePath();

// When the deprovisioned marker stands next to `databasePath`: deletes the emptied store and its SQLite
// sidecars, then the marker. Called once the store is closed (at the end of the process that
// deprovisioned, and at the next start if that one was cut short). Nothing to do without a marker.
// Error db_remove_failed.
[[nodiscard]] Status finishDeprovisionedStore(const QString& databasePath);

// Opens the install's encrypted store with its key from the keychain, creating both on first start.
// The key is 32 random bytes made here, saved in the keychain before the database exists, and never
// written anywhere else. A key that is missing while a database file exists is an error
// (db_key_missing): making a new key would orphan the old file and its outbox, so nothing is touched;
// unless the deprovisioned marker says the file is an emptied shell: then it and its marker are deleted
// and a fresh store is made (replacedDeprovisioned).
// Other errors: those of CredentialStore (keychain_unavailable, ...) and Database::open.
// `done` is called exactly once, from the event loop.
void openAgentStore(CredentialStore& secrets, const QString& databasePath,
                    std::function<void(Result<OpenedStore>)> done);

} // namespace odis::storage
