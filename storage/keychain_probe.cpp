#include "storage/keychain_probe.h"

#include "storage/codes/storage_codes.h"

#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

namespace odis::storage {

namespace {

constexpr qsizetype kProbeSize = 32;

QByteArray randomProbeValue()
{
    QByteArray value(kProbeSize, '\0');
    QRandomGenerator::system()->generate(value.begin(), value.end());
    return value;
}

} // namespace

KeychainProbe::KeychainProbe(CredentialStore& store, std::chrono::milliseconds retryDelay)
    : m_store(store)
    , m_retryDelay(retryDelay)
    , m_context(std::make_unique<QObject>())
{}

KeychainProbe::~KeychainProbe() = default;

void KeychainProbe::run(Callback done)
{
    Q_ASSERT_X(!m_done, "KeychainProbe::run", "one run at a time");
    m_done = std::move(done);
    m_attempts = 0;
    attempt();
}

void KeychainProbe::attempt()
{
    ++m_attempts;
    const QByteArray expected = randomProbeValue();
    // The store may call back after this probe is gone: the guard turns those calls into no-ops.
    const QPointer<QObject> alive = m_context.get();
    const QString& name = secret::kKeychainProbe;
    m_store.write(name, expected, [this, alive, name, expected](Status written) {
        if (!alive)
            return;
        if (!written)
            return finishAttempt(written);
        m_store.read(name, [this, alive, name, expected](Result<std::optional<QByteArray>> read) {
            if (!alive)
                return;
            if (!read)
                return finishAttempt(propagate(read));
            if (*read != expected)
                return finishAttempt(fail(codes::kKeychainError,
                                          QStringLiteral("the OS keychain returned something other than what "
                                                         "was just written to it")));
            m_store.remove(name, [this, alive](Status removed) {
                if (alive)
                    finishAttempt(removed);
            });
        });
    });
}

void KeychainProbe::finishAttempt(Status result)
{
    const bool unavailable = !result && result.error().code == codes::kKeychainUnavailable;
    if (unavailable && m_attempts < kMaxAttempts) {
        if (m_onRetry)
            m_onRetry(result.error());
        QTimer::singleShot(m_retryDelay, Qt::PreciseTimer, m_context.get(), [this] { attempt(); });
        return;
    }
    if (unavailable)
        result =
            fail(codes::kKeychainUnavailable,
                 QStringLiteral("No OS keychain is available (%1). The agent stores nothing until one "
                                "is: on Linux, run it in a desktop session with gnome-keyring or KWallet "
                                "unlocked, then restart it.")
                     .arg(result.error().message));
    Callback done = std::exchange(m_done, nullptr);
    done(std::move(result));
}

} // namespace odis::storage
