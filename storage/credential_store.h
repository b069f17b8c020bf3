#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace odis::storage {

// The secrets this install keeps in the OS keychain. The keychain entry's name is
// "<install id>/<entry name>", so two installs (or a test) never see each other's secrets.
namespace secret {
inline const QString kDatabaseKey = QStringLiteral("database_key");
inline const QString kAuditHmacKey = QStringLiteral("audit_hmac_key");
inline const QString kFieldKeys = QStringLiteral("field_keys"); // field-encryption key ring
// The clinic's IDEXX Neo login, all three fields in one entry (idexx_login.h).
inline const QString kIdexxLogin = QStringLiteral("idexx_login");
// The earlier layout, one entry per field: read once, moved into kIdexxLogin, then removed.
inline const QString kIdexxCompanyId = QStringLiteral("idexx_company_id");
inline const QString kIdexxUsername = QStringLiteral("idexx_username");
inline const QString kIdexxPassword = QStringLiteral("idexx_password");
inline const QString kAgentToken = QStringLiteral("agent_token");
// The clinic's proxy login, when its proxy asks for one (agent/proxy/proxy_setup.h).
inline const QString kProxyUsername = QStringLiteral("proxy_username");
inline const QString kProxyPassword = QStringLiteral("proxy_password");
// Written, read back and removed at start to prove the keychain works (keychain_probe.h).
inline const QString kKeychainProbe = QStringLiteral("keychain_probe");

// Every name above. wipeAll() removes exactly these (and their chunks): add each new secret here.
inline const QStringList kAll{kDatabaseKey,    kAuditHmacKey,  kFieldKeys,     kIdexxLogin,
                              kIdexxCompanyId, kIdexxUsername, kIdexxPassword, kAgentToken,
                              kProxyUsername,  kProxyPassword, kKeychainProbe};
} // namespace secret

// Get, set, remove and wipe-all over the OS keychain. Asynchronous because the keychain backends are:
// every callback is invoked exactly once, later, from the event loop of the calling thread (never
// from inside the call), unless the store is destroyed first. Names are lower-case words (the
// constants in `secret`). Error codes: keychain_unavailable (no backend, no session bus, no keyring
// service running: retrying later may help), keychain_denied (refused, e.g. a locked keyring the user
// did not unlock), keychain_error (anything else the backend reports), secret_too_large,
// secret_damaged (a stored value fails its checksum or lost a part), secret_name_invalid.
class CredentialStore
{
public:
    using ReadCallback = std::function<void(Result<std::optional<QByteArray>>)>; // nullopt: no entry
    using DoneCallback = std::function<void(Status)>;

    virtual ~CredentialStore() = default;

    virtual void read(const QString& name, ReadCallback done) = 0;
    virtual void write(const QString& name, const QByteArray& value, DoneCallback done) = 0;
    // Removing an entry that does not exist succeeds.
    virtual void remove(const QString& name, DoneCallback done) = 0;
    // Removes every entry of this install (used on deprovisioning); entries of other installs stay.
    virtual void wipeAll(DoneCallback done) = 0;
};

} // namespace odis::storage
