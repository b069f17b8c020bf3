#include "storage/key_provisioning.h"

#include "storage/audit_chain.h"
#include "storage/codes/storage_codes.h"
#include "storage/secret_memory.h"
#include "storage/secure_random.h"

#include <QTimer>

namespace odis::storage {

namespace {

[[nodiscard]] Result<QByteArray> checkedAuditKey(const QByteArray& stored)
{
    if (stored.size() != audit_chain::kKeySize)
        return fail(codes::kAuditKeyInvalid, QStringLiteral("the keychain's audit key has %1 bytes, not %2")
                                                 .arg(stored.size())
                                                 .arg(audit_chain::kKeySize));
    return stored;
}

// Reads `name`; hands a present value to `parse`, or stores `create()`'s value first when absent.
template <typename T>
void loadOrCreate(CredentialStore& store, const QString& name,
                  std::function<Result<T>(const QByteArray&)> parse,
                  std::function<Result<std::pair<T, QByteArray>>()> create,
                  std::function<void(Result<T>)> done)
{
    store.read(name, [&store, name, parse = std::move(parse), create = std::move(create),
                      done = std::move(done)](Result<std::optional<QByteArray>> read) {
        if (!read)
            return done(propagate(read));
        if (*read) {
            Result<T> parsed = parse(**read);
            wipe(**read); // the stored form of the key: not kept beyond its parsing
            return done(std::move(parsed));
        }
        auto created = create();
        if (!created)
            return done(propagate(created));
        store.write(name, created->second, [value = std::move(created->first), done](Status written) mutable {
            if (!written)
                return done(propagate(written));
            done(std::move(value));
        });
        wipe(created->second);
    });
}

} // namespace

void loadOrCreateAuditKey(CredentialStore& store, AuditKeyCallback done)
{
    loadOrCreate<QByteArray>(
        store, secret::kAuditHmacKey, checkedAuditKey,
        []() -> Result<std::pair<QByteArray, QByteArray>> {
            auto key = secureRandomBytes(audit_chain::kKeySize);
            if (!key)
                return propagate(key);
            return std::pair{*key, *key};
        },
        std::move(done));
}

void readAuditKey(CredentialStore& store, AuditKeyCallback done)
{
    store.read(secret::kAuditHmacKey, [done = std::move(done)](Result<std::optional<QByteArray>> read) {
        if (!read)
            return done(propagate(read));
        if (!*read)
            return done(fail(codes::kAuditKeyMissing,
                             QStringLiteral("the keychain holds no audit key for this install")));
        done(checkedAuditKey(**read));
    });
}

void loadOrCreateFieldKeys(CredentialStore& store, FieldKeysCallback done)
{
    loadOrCreate<FieldKeyRing>(
        store, secret::kFieldKeys, &FieldKeyRing::fromBytes,
        []() -> Result<std::pair<FieldKeyRing, QByteArray>> {
            auto ring = FieldKeyRing::generate();
            if (!ring)
                return propagate(ring);
            QByteArray bytes = ring->toBytes();
            return std::pair{std::move(*ring), std::move(bytes)};
        },
        std::move(done));
}

void saveFieldKeys(CredentialStore& store, const FieldKeyRing& keys, CredentialStore::DoneCallback done)
{
    if (keys.isEmpty()) {
        // Storing an empty ring would orphan every sealed blob: a caller bug, refused without touching
        // the keychain, and reported later like every store answer.
        QTimer::singleShot(0, [done = std::move(done)] {
            done(fail(codes::kFieldKeyInvalid, QStringLiteral("an empty key ring cannot be stored")));
        });
        return;
    }
    store.write(secret::kFieldKeys, keys.toBytes(), std::move(done));
}

} // namespace odis::storage
