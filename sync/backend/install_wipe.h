#pragma once

// What happens when the backend says this install was removed (403 agent_deprovisioned): the clinic's
// data leaves this machine and so does everything else of the install: its keychain entries (agent token,
// database key, IDEXX login...) and those of earlier installs of this account (storage/install_registry.h),
// its log files, its install id, the damaged copies of its store that were moved aside. Once the database
// key is gone, whatever SQLite leaves in free pages is unreadable too; the emptied store file itself goes
// when it is closed (storage::finishDeprovisionedStore).

#include "storage/result.h"

#include <QStringList>

#include <functional>

namespace odis::storage {
class CredentialStore;
class Database;
class Logging;
} // namespace odis::storage

namespace odis::sync {

// The tables wipeInstallData() empties: everything read from Neo or decided about it, the outbox, the
// clinic profile, runs, telemetry, diagnostics and kv (agent id, clinic id, ...). The audit log is
// append-only by design (its triggers refuse deletes) and holds no clinic data: it stays, unreadable
// without its key.
[[nodiscard]] const QStringList& installDataTables();

// Where an install keeps what is not in its store or its own keychain entries. Empty members are skipped
// (tests that wipe a bare store).
struct InstallFootprint
{
    QString installIdFile;
    storage::Logging* logging = nullptr; // its log files are removed
    // Removes the keychain entries of every install this account has had (install_registry.h).
    std::function<void(std::function<void(Status)>)> wipeEarlierInstalls;
};

// Empties installDataTables() in one transaction, then removes every keychain entry of this install
// (CredentialStore::wipeAll) even when the database part failed: the keychain holds the database key,
// so removing it is what makes the rest unreadable. Then the footprint: earlier installs' entries, the
// damaged copies of the store (<database>.corrupt-*), the install id, the log files. `done` gets the first
// failure, or success. Must not be called inside an open transaction.
void wipeInstallData(storage::Database& db, storage::CredentialStore& credentials,
                     std::function<void(Status)> done, const InstallFootprint& footprint = {});

// Called by the uploader on 403 agent_deprovisioned; `done` once the install is wiped (or failed to).
class DeprovisionHandler
{
public:
    virtual ~DeprovisionHandler() = default;
    virtual void deprovision(std::function<void(Status)> done) = 0;
};

// The handler the agent uses: wipeInstallData() on its store, keychain and footprint.
class InstallWipe final : public DeprovisionHandler
{
public:
    InstallWipe(storage::Database& db, storage::CredentialStore& credentials,
                InstallFootprint footprint = {});
    void deprovision(std::function<void(Status)> done) override;

private:
    storage::Database& m_db;
    storage::CredentialStore& m_credentials;
    InstallFootprint m_footprint;
};

} // namespace odis::sync
