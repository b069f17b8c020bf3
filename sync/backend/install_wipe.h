#pragma once

// What happens when the backend says this install was removed (403 agent_deprovisioned): the clinic's
// data leaves this machine and so do this install's keychain entries (agent token, database key, IDEXX
// credentials...). Once the database key is gone, whatever SQLite leaves in free pages is unreadable too.

#include "storage/result.h"

#include <QStringList>

#include <functional>

namespace odis::storage {
class CredentialStore;
class Database;
} // namespace odis::storage

namespace odis::sync {

// The tables wipeInstallData() empties: everything read from Neo or decided about it, the outbox, the
// clinic profile, runs, telemetry, diagnostics and kv (agent id, clinic id, ...). The audit log is
// append-only by design (its triggers refuse deletes) and holds no clinic data: it stays, unreadable
// without its key.
[[nodiscard]] const QStringList& installDataTables();

// Empties installDataTables() in one transaction, then removes every keychain entry of this install
// (CredentialStore::wipeAll) even when the database part failed: the keychain holds the database key,
// so removing it is what makes the rest unreadable. `done` gets the first failure, or success.
// Must not be called inside an open transaction.
void wipeInstallData(storage::Database& db, storage::CredentialStore& credentials,
                     std::function<void(Status)> done);

// Called by the uploader on 403 agent_deprovisioned; `done` once the install is wiped (or failed to).
class DeprovisionHandler
{
public:
    virtual ~DeprovisionHandler() = default;
    virtual void deprovision(std::function<void(Status)> done) = 0;
};

// The handler the agent uses: wipeInstallData() on its store and keychain.
class InstallWipe final : public DeprovisionHandler
{
public:
    InstallWipe(storage::Database& db, storage::CredentialStore& credentials);
    void deprovision(std::function<void(Status)> done) override;

private:
    storage::Database& m_db;
    storage::CredentialStore& m_credentials;
};

} // namespace odis::sync
