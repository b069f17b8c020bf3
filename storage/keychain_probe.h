#pragma once

#include "storage/credential_store.h"

#include <chrono>
#include <memory>

class QObject;

namespace odis::storage {

// The start-up check: writes a random probe secret, reads it back, removes it. At login the keyring
// daemon may start after the agent, so an unavailable keychain is tried once more after `retryDelay`
// before the agent gives up and says so (keychain_unavailable, with a message a person can act on).
// Other failures (denied, damaged, a different value read back) are reported at once: waiting would
// not change them.
class KeychainProbe
{
public:
    static constexpr std::chrono::milliseconds kDefaultRetryDelay{10'000};
    static constexpr int kMaxAttempts = 2;

    using Callback = std::function<void(Status)>;
    // Told when the first attempt found no keychain and the retry is scheduled (tray hint, logs).
    using RetryObserver = std::function<void(const Error&)>;

    explicit KeychainProbe(CredentialStore& store, std::chrono::milliseconds retryDelay = kDefaultRetryDelay);
    ~KeychainProbe();
    KeychainProbe(const KeychainProbe&) = delete;
    KeychainProbe& operator=(const KeychainProbe&) = delete;

    void setRetryObserver(RetryObserver observer) { m_onRetry = std::move(observer); }

    // Runs the check; `done` is called once, asynchronously. One run at a time per probe; callbacks
    // pending when the probe is destroyed are dropped.
    void run(Callback done);

    // Attempts made by the current or last run (1 or 2).
    [[nodiscard]] int attempts() const { return m_attempts; }

private:
    void attempt();
    void finishAttempt(Status result);

    CredentialStore& m_store;
    std::chrono::milliseconds m_retryDelay;
    std::unique_ptr<QObject> m_context; // owns the retry timer and guards late store callbacks
    RetryObserver m_onRetry;
    Callback m_done;
    int m_attempts = 0;
};

} // namespace odis::storage
