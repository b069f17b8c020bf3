#include "storage/keychain_io.h"

#include "storage/keychain_errors.h"

#include <QObject>
#include <qt6keychain/keychain.h>

namespace odis::storage {

namespace {

template <typename JobT> JobT* makeJob(const QString& service, const QString& key)
{
    auto* job = new JobT(service);
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    return job;
}

Error errorOf(const QKeychain::Job& job)
{
    return mapKeychainError(job.error(), job.errorString(), sessionBusLooksMissing());
}

} // namespace

KeychainIo::KeychainIo(QString service, QObject* context)
    : m_service(std::move(service))
    , m_context(context)
{}

void KeychainIo::read(const QString& key, ReadDone done) const
{
    auto* job = makeJob<QKeychain::ReadPasswordJob>(m_service, key);
    QObject::connect(job, &QKeychain::Job::finished, m_context.data(),
                     [done = std::move(done)](QKeychain::Job* finished) {
                         const auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
                         if (read->error() == QKeychain::NoError)
                             done(std::optional<QByteArray>(read->binaryData()));
                         else if (read->error() == QKeychain::EntryNotFound)
                             done(std::optional<QByteArray>());
                         else
                             done(std::unexpected(errorOf(*read)));
                     });
    job->start();
}

void KeychainIo::write(const QString& key, const QByteArray& value, Done done) const
{
    auto* job = makeJob<QKeychain::WritePasswordJob>(m_service, key);
    job->setBinaryData(value);
    QObject::connect(job, &QKeychain::Job::finished, m_context.data(),
                     [done = std::move(done)](QKeychain::Job* finished) {
                         if (finished->error() == QKeychain::NoError)
                             done(ok());
                         else
                             done(std::unexpected(errorOf(*finished)));
                     });
    job->start();
}

void KeychainIo::remove(const QString& key, Done done) const
{
    auto* job = makeJob<QKeychain::DeletePasswordJob>(m_service, key);
    QObject::connect(
        job, &QKeychain::Job::finished, m_context.data(), [done = std::move(done)](QKeychain::Job* finished) {
            // Some backends (Windows, KWallet) report a missing entry as an error.
            if (finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound)
                done(ok());
            else
                done(std::unexpected(errorOf(*finished)));
        });
    job->start();
}

} // namespace odis::storage
