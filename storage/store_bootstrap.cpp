#include "storage/store_bootstrap.h"

#include "storage/codes/storage_codes.h"
#include "storage/schema.h"
#include "storage/secure_random.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <openssl/crypto.h>

namespace odis::storage {

namespace {

[[nodiscard]] Result<OpenedStore> openWithKey(const QString& path, QByteArray key, bool created)
{
    OpenedStore store;
    store.keyCreated = created;
    auto db = Database::open(path, key, agentMigrations(), &store.report);
    OPENSSL_cleanse(key.data(), static_cast<size_t>(key.size()));
    if (!db)
        return propagate(db);
    store.database = std::move(*db);
    return store;
}

// The emptied store of a deprovisioned install and its SQLite sidecars (the marker goes last, by the caller:
// a deletion cut short is finished at the next start).
[[nodiscard]] Status removeDeprovisionedStore(const QString& databasePath)
{
    for (const QString& suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")}) {
        QFile file(databasePath + suffix);
        if (file.exists() && !file.remove())
            return fail(codes::kDbRemoveFailed,
                        QStringLiteral("the deprovisioned store %1 cannot be removed: %2")
                            .arg(file.fileName(), file.errorString()));
    }
    return ok();
}

} // namespace

QString deprovisionedMarkerPath(const QString& databasePath)
{
    return databasePath + QStringLiteral(".deprovisioned");
}

QString defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/agent.db");
}

Status finishDeprovisionedStore(const QString& databasePath)
{
    QFile marker(deprovisionedMarkerPath(databasePath));
    if (!marker.exists())
        return ok();
    if (auto removed = removeDeprovisionedStore(databasePath); !removed)
        return removed;
    if (!marker.remove())
        return fail(codes::kDbRemoveFailed,
                    QStringLiteral("the deprovisioned marker %1 cannot be removed: %2")
                        .arg(marker.fileName(), marker.errorString()));
    return ok();
}

void openAgentStore(CredentialStore& secrets, const QString& databasePath,
                    std::function<void(Result<OpenedStore>)> done)
{
    secrets.read(secret::kDatabaseKey, [&secrets, databasePath, done = std::move(done)](
                                           Result<std::optional<QByteArray>> stored) mutable {
        if (!stored) {
            done(propagate(stored));
            return;
        }
        if (stored->has_value()) {
            if (stored->value().size() != Database::kKeySize) {
                done(fail(codes::kDbKeyInvalid,
                          QStringLiteral("the database key in the keychain has the wrong size; the database "
                                         "was left untouched")));
                return;
            }
            done(openWithKey(databasePath, std::move(**stored), false));
            return;
        }
        const QFileInfo file(databasePath);
        bool replaced = false;
        if (file.exists() && QFileInfo::exists(deprovisionedMarkerPath(databasePath))) {
            if (auto removed = removeDeprovisionedStore(databasePath); !removed) {
                done(propagate(removed));
                return;
            }
            replaced = true;
        } else if (file.exists() && file.size() > 0) {
            done(fail(codes::kDbKeyMissing,
                      QStringLiteral("the keychain holds no key for the existing database %1 (was the "
                                     "keychain reset?); the database was left untouched")
                          .arg(databasePath)));
            return;
        }
        // No store stands behind a marker now; it must not outlive it and later vouch for a live store.
        if (QFile marker(deprovisionedMarkerPath(databasePath)); marker.exists() && !marker.remove()) {
            done(fail(codes::kDbRemoveFailed,
                      QStringLiteral("the deprovisioned marker %1 cannot be removed: %2")
                          .arg(marker.fileName(), marker.errorString())));
            return;
        }
        auto key = secureRandomBytes(Database::kKeySize);
        if (!key) {
            done(propagate(key));
            return;
        }
        // Saved first: a database must never exist whose key is not in the keychain.
        secrets.write(secret::kDatabaseKey, *key,
                      [databasePath, replaced, key = *key, done = std::move(done)](Status saved) mutable {
                          if (!saved) {
                              OPENSSL_cleanse(key.data(), static_cast<size_t>(key.size()));
                              done(propagate(saved));
                              return;
                          }
                          auto opened = openWithKey(databasePath, std::move(key), true);
                          if (opened)
                              opened->replacedDeprovisioned = replaced;
                          done(std::move(opened));
                      });
    });
}

} // namespace odis::storage
