#pragma once

// Every install id this account has had at one install location (the place of its install-id file),
// kept in the keychain itself (one entry that belongs to no install: "installs-<hash of the location>"
// under the agent's service), so that a deprovisioning removes the keychain entries of earlier installs
// too: an install whose install-id file was lost or replaced leaves its entries (database key, IDEXX
// login, token) behind under an id nothing else remembers. Keyed by location so that separate installs of
// one account (the tests' worlds) never wipe each other.

#include "storage/keychain_io.h"
#include "storage/result.h"

#include <QList>
#include <QUuid>

#include <chrono>
#include <functional>
#include <memory>

class QObject;

namespace odis::storage {

class InstallRegistry
{
public:
    // `installIdFile`: where the install keeps its id (storage/install_identity.h).
    explicit InstallRegistry(const QString& installIdFile,
                             std::chrono::milliseconds timeout = KeychainIo::kDefaultTimeout);

    // "installs-<16 hex digits>": no "/", so never an install's own entry.
    [[nodiscard]] const QString& key() const { return m_key; }
    ~InstallRegistry();
    InstallRegistry(const InstallRegistry&) = delete;
    InstallRegistry& operator=(const InstallRegistry&) = delete;

    // The ids recorded so far (none: an empty list). Error secret_damaged for an entry that is not a list
    // of ids; the keychain's.
    void list(std::function<void(Result<QList<QUuid>>)> done);
    // Records `id` (written only when it is not listed yet).
    void add(const QUuid& id, std::function<void(Status)> done);
    // Removes every entry of every recorded install (KeychainStore::wipeAll for each) and then the
    // registry itself. Goes on after a failure; reports the first one.
    void wipeAll(std::function<void(Status)> done);

    // Callbacks pending when the registry is destroyed are dropped.
private:
    void wipeNext(QList<QUuid> ids, Status first, std::function<void(Status)> done);

    std::unique_ptr<QObject> m_context;
    KeychainIo m_io;
    std::chrono::milliseconds m_timeout;
    QString m_key;
};

} // namespace odis::storage
