#include "storage/install_registry.h"

#include "storage/codes/storage_codes.h"
#include "storage/keychain_store.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QMetaObject>
#include <QObject>
#include <QPointer>

namespace odis::storage {

namespace {

[[nodiscard]] Result<QList<QUuid>> parse(const QByteArray& value)
{
    QList<QUuid> ids;
    for (const QByteArray& line : value.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QUuid id = QUuid::fromString(QLatin1StringView(line.trimmed()));
        if (id.isNull())
            return fail(codes::kSecretDamaged,
                        QStringLiteral("the keychain's list of this machine's installs is unreadable"));
        ids << id;
    }
    return ids;
}

} // namespace

InstallRegistry::InstallRegistry(const QString& installIdFile, std::chrono::milliseconds timeout)
    : m_context(std::make_unique<QObject>())
    , m_io(KeychainStore::kService, m_context.get(), timeout)
    , m_timeout(timeout)
    , m_key(QStringLiteral("installs-") +
            QString::fromLatin1(QCryptographicHash::hash(QFileInfo(installIdFile).absoluteFilePath().toUtf8(),
                                                         QCryptographicHash::Sha256)
                                    .toHex()
                                    .left(16)))
{}

InstallRegistry::~InstallRegistry() = default;

void InstallRegistry::list(std::function<void(Result<QList<QUuid>>)> done)
{
    m_io.read(m_key, [done = std::move(done)](Result<std::optional<QByteArray>> stored) {
        if (!stored)
            return done(propagate(stored));
        done(stored->has_value() ? parse(**stored) : Result<QList<QUuid>>(QList<QUuid>()));
    });
}

void InstallRegistry::add(const QUuid& id, std::function<void(Status)> done)
{
    const QPointer<QObject> alive = m_context.get();
    list([this, alive, id, done = std::move(done)](Result<QList<QUuid>> ids) mutable {
        if (!alive)
            return;
        if (!ids)
            return done(propagate(ids));
        if (ids->contains(id))
            return done(ok());
        ids->append(id);
        QByteArray value;
        for (const QUuid& each : std::as_const(*ids))
            value += each.toByteArray(QUuid::WithoutBraces) + '\n';
        m_io.write(m_key, value, std::move(done));
    });
}

void InstallRegistry::wipeAll(std::function<void(Status)> done)
{
    const QPointer<QObject> alive = m_context.get();
    list([this, alive, done = std::move(done)](Result<QList<QUuid>> ids) mutable {
        if (!alive)
            return;
        if (!ids)
            return done(propagate(ids));
        wipeNext(std::move(*ids), ok(), std::move(done));
    });
}

void InstallRegistry::wipeNext(QList<QUuid> ids, Status first, std::function<void(Status)> done)
{
    if (ids.isEmpty()) {
        if (!first)
            return done(first); // the list stays: a later wipe finds what is left
        return m_io.remove(m_key, std::move(done));
    }
    const QUuid id = ids.takeFirst();
    // Kept alive by its own callback until it answers.
    auto store = std::make_shared<KeychainStore>(id, m_timeout);
    const QPointer<QObject> alive = m_context.get();
    store->wipeAll([this, alive, store, ids = std::move(ids), first = std::move(first),
                    done = std::move(done)](Status wiped) mutable {
        if (!alive)
            return;
        if (first && !wiped)
            first = std::unexpected(
                Error{wiped.error().code,
                      QStringLiteral("wiping the entries of install %1: %2")
                          .arg(store->installId().toString(QUuid::WithoutBraces), wiped.error().message)});
        // The store may not be destroyed inside its own callback.
        QMetaObject::invokeMethod(
            m_context.get(),
            [this, store, ids = std::move(ids), first = std::move(first), done = std::move(done)]() mutable {
                wipeNext(std::move(ids), std::move(first), std::move(done));
            },
            Qt::QueuedConnection);
    });
}

} // namespace odis::storage
