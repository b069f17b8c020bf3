#pragma once

// Capped exponential backoff with full jitter for transient backend failures (5xx, time-outs, resets,
// DNS and TLS failures), and the per-run retry budget that decides when to stop waiting and leave the
// data in the outbox for a later run. Pure: the random source is injected, elapsed time is passed in.

#include <QtGlobal>

#include <chrono>

namespace odis::sync {

// Uniform random integers; injected so that tests can fix the draws.
class RandomSource
{
public:
    virtual ~RandomSource() = default;
    // A value in [0, bound]; bound itself included.
    [[nodiscard]] virtual quint64 upTo(quint64 bound) = 0;
};

// QRandomGenerator::global(): jitter needs no cryptographic quality, only to differ between installs
// so that a recovering backend is not hit by every clinic at the same moment.
class SystemRandom final : public RandomSource
{
public:
    [[nodiscard]] quint64 upTo(quint64 bound) override;
};

struct BackoffPolicy
{
    std::chrono::milliseconds base{1000};           // ceiling of the first wait
    std::chrono::milliseconds cap{60'000};          // no wait is longer than this
    int maxAttempts = 6;                            // failed sends of one batch in one run before giving up
    std::chrono::milliseconds maxTotal{5 * 60'000}; // waiting in one run never goes past this
};

// The ceiling of the wait after the `failures`-th consecutive failure (1-based): base * 2^(failures-1),
// never above cap, without overflow for any count. 0 for failures < 1.
[[nodiscard]] std::chrono::milliseconds backoffCeiling(const BackoffPolicy& policy, int failures);

// "Full jitter": uniform in [0, backoffCeiling(policy, failures)].
[[nodiscard]] std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int failures,
                                                     RandomSource& random);

// Whether one more wait of `wait` fits the run's budget after `failures` consecutive failures and
// `elapsed` time spent since the upload started: false once failures reach maxAttempts, or when the
// wait would end after maxTotal.
[[nodiscard]] bool withinRetryBudget(const BackoffPolicy& policy, int failures,
                                     std::chrono::milliseconds elapsed, std::chrono::milliseconds wait);

} // namespace odis::sync
