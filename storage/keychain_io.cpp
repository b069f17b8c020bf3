#include "storage/keychain_io.h"

#include "storage/codes/storage_codes.h"
#include "storage/keychain_errors.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

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

Error noAnswer(std::chrono::milliseconds timeout)
{
    return Error{
        codes::kKeychainUnavailable,
        QStringLiteral("the OS keychain did not answer within %1 s (a locked keyring waiting for its "
                       "password, or a keyring service that does not respond)")
            .arg(double(timeout.count()) / 1000.0, 0, 'g', 3)};
}

// Runs `job` with a deadline: `onFinished` gets the job when it answers in time, `onTimeout` is called
// instead when it does not. Exactly one of them runs, in `context`'s thread, unless `context` goes first.
void runWithDeadline(QKeychain::Job* job, QObject* context, std::chrono::milliseconds timeout,
                     std::function<void(QKeychain::Job*)> onFinished, std::function<void()> onTimeout)
{
    auto settled = std::make_shared<bool>(false);
    auto* deadline = new QTimer(context);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, context,
                     [settled, deadline, onTimeout = std::move(onTimeout)] {
                         deadline->deleteLater();
                         if (std::exchange(*settled, true))
                             return;
                         onTimeout();
                     });
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [settled, deadline = QPointer<QTimer>(deadline),
                      onFinished = std::move(onFinished)](QKeychain::Job* finished) {
                         if (deadline)
                             deadline->deleteLater();
                         if (std::exchange(*settled, true))
                             return; // answered after the deadline: the caller was told already
                         onFinished(finished);
                     });
    deadline->start(timeout);
    job->start();
}

} // namespace

KeychainIo::KeychainIo(QString service, QObject* context, std::chrono::milliseconds timeout)
    : m_service(std::move(service))
    , m_context(context)
    , m_timeout(timeout)
{}

void KeychainIo::read(const QString& key, ReadDone done) const
{
    auto* job = makeJob<QKeychain::ReadPasswordJob>(m_service, key);
    auto shared = std::make_shared<ReadDone>(std::move(done));
    runWithDeadline(
        job, m_context.data(), m_timeout,
        [shared](QKeychain::Job* finished) {
            const auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
            if (read->error() == QKeychain::NoError)
                (*shared)(std::optional<QByteArray>(read->binaryData()));
            else if (read->error() == QKeychain::EntryNotFound)
                (*shared)(std::optional<QByteArray>());
            else
                (*shared)(std::unexpected(errorOf(*read)));
        },
        [shared, timeout = m_timeout] { (*shared)(std::unexpected(noAnswer(timeout))); });
}

void KeychainIo::write(const QString& key, const QByteArray& value, Done done) const
{
    auto* job = makeJob<QKeychain::WritePasswordJob>(m_service, key);
    job->setBinaryData(value);
    auto shared = std::make_shared<Done>(std::move(done));
    runWithDeadline(
        job, m_context.data(), m_timeout,
        [shared](QKeychain::Job* finished) {
            if (finished->error() == QKeychain::NoError)
                (*shared)(ok());
            else
                (*shared)(std::unexpected(errorOf(*finished)));
        },
        [shared, timeout = m_timeout] { (*shared)(std::unexpected(noAnswer(timeout))); });
}

void KeychainIo::remove(const QString& key, Done done) const
{
    auto* job = makeJob<QKeychain::DeletePasswordJob>(m_service, key);
    auto shared = std::make_shared<Done>(std::move(done));
    runWithDeadline(
        job, m_context.data(), m_timeout,
        [shared](QKeychain::Job* finished) {
            // Some backends (Windows, KWallet) report a missing entry as an error.
            if (finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound)
                (*shared)(ok());
            else
                (*shared)(std::unexpected(errorOf(*finished)));
        },
        [shared, timeout = m_timeout] { (*shared)(std::unexpected(noAnswer(timeout))); });
}

} // namespace odis::storage
