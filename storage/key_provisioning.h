#pragma once

#include "storage/credential_store.h"
#include "storage/field_key_ring.h"
#include "storage/result.h"

#include <QByteArray>

#include <functional>

namespace odis::storage {

// Loads this install's audit and field-encryption keys from the keychain, creating them at first use.
// Asynchronous like the CredentialStore: each callback runs once, later, from the store's event loop.
// `store` must outlive the operation. Call these once at start-up from the store's owner: two
// concurrent first-start calls would each create a key and the last write would win.
//
// A stored value of the wrong shape is an error, never replaced: a new audit key would make the whole
// existing chain fail verification, a new key ring would make every sealed blob unreadable.
// Error codes: audit_key_missing, audit_key_invalid, field_keyring_malformed, random_unavailable and
// the store's keychain_* codes.

using AuditKeyCallback = std::function<void(Result<QByteArray>)>;
using FieldKeysCallback = std::function<void(Result<FieldKeyRing>)>;

// The 32-byte audit HMAC key (secret::kAuditHmacKey); 32 fresh RAND_bytes stored first when absent.
void loadOrCreateAuditKey(CredentialStore& store, AuditKeyCallback done);

// The audit key without ever creating one (verify-audit: a new key would "verify" nothing):
// audit_key_missing when absent.
void readAuditKey(CredentialStore& store, AuditKeyCallback done);

// The field key ring (secret::kFieldKeys); a fresh one-key ring stored first when absent.
void loadOrCreateFieldKeys(CredentialStore& store, FieldKeysCallback done);

// Stores a ring after rotate() or remove(). Seal with the new current key only after this succeeded,
// or a crash could leave blobs sealed with a key the keychain never received.
void saveFieldKeys(CredentialStore& store, const FieldKeyRing& keys, CredentialStore::DoneCallback done);

} // namespace odis::storage
