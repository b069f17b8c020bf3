#pragma once

#include "storage/audit_log.h"
#include "storage/clock.h"
#include "storage/idexx_credentials.h"
#include "storage/keychain_store.h"
#include "storage/logging.h"
#include "storage/result.h"
#include "storage/store_bootstrap.h"
#include "sync/backend/install_wipe.h"

#include <QString>
#include <QUuid>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace odis::agent {

// Where this install keeps its files. Defaults are the per-user folders (QStandardPaths), so tests and
// the demo session steer them with HOME / XDG_* alone.
struct AgentPaths
{
    QString installIdFile;
    QString databaseFile;
    QString logDirectory;

    [[nodiscard]] static AgentPaths defaults();
    // "sync.lock" next to the database: held by a sync run, and by the resident agent's delivery-only
    // attempts, so that two writers of the outbox never overlap.
    [[nodiscard]] QString syncLockFile() const;
};

// What a verb gets once storage is up: logging, the install's keychain, the open encrypted store, the
// audit log and the IDEXX credentials. Owned by the verb that asked for it; members are declared in
// dependency order so they are destroyed in reverse (the store before the keychain it came from).
struct AgentContext
{
    AgentContext() = default;
    // Closes the store in order; an install deprovisioned meanwhile leaves no store file behind.
    ~AgentContext();
    AgentContext(const AgentContext&) = delete;
    AgentContext& operator=(const AgentContext&) = delete;

    AgentPaths paths;
    SystemClock clock;
    std::unique_ptr<storage::Logging> logging;
    QUuid installId;
    std::unique_ptr<storage::KeychainStore> secrets;
    storage::OpenedStore store;
    std::unique_ptr<storage::AuditLog> audit;
    std::unique_ptr<storage::IdexxCredentials> credentials;

    [[nodiscard]] storage::Database& db() const { return *store.database; }
};

// What a deprovisioning removes besides the store and this install's keychain entries
// (sync/backend/install_wipe.h): the install id, the log files, earlier installs' keychain entries.
[[nodiscard]] sync::InstallFootprint installFootprint(AgentContext& context);

struct BootstrapOptions
{
    AgentPaths paths = AgentPaths::defaults();
    // A verb that only inspects (verify-audit) must not create a store or an audit key: a key made now
    // would "verify" nothing.
    bool createIfMissing = true;
    std::chrono::milliseconds keychainRetryDelay{10'000};
    bool logToStderr = false;
};

// Brings storage up in order (logging, install id, keychain probe with one retry, encrypted store,
// audit key) and hands the result to `done` exactly once, from the event loop. The first failing step
// ends it with that step's typed error.
void bootstrapAgent(const BootstrapOptions& options,
                    std::function<void(Result<std::unique_ptr<AgentContext>>)> done);

} // namespace odis::agent
