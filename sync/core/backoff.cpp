#include "sync/core/backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <limits>

namespace odis::sync {

quint64 SystemRandom::upTo(quint64 bound)
{
    if (bound == std::numeric_limits<quint64>::max())
        return QRandomGenerator::global()->generate64();
    return QRandomGenerator::global()->bounded(bound + 1);
}

std::chrono::milliseconds backoffCeiling(const BackoffPolicy& policy, int failures)
{
    using std::chrono::milliseconds;
    if (failures < 1 || policy.base <= milliseconds::zero() || policy.cap <= milliseconds::zero())
        return milliseconds::zero();
    const qint64 cap = policy.cap.count();
    qint64 ceiling = std::min<qint64>(policy.base.count(), cap);
    // Doubling stops at the cap, so the loop is short and never overflows.
    for (int i = 1; i < failures && ceiling < cap; ++i)
        ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
    return milliseconds(ceiling);
}

std::chrono::milliseconds backoffDelay(const BackoffPolicy& policy, int failures, RandomSource& random)
{
    const qint64 ceiling = backoffCeiling(policy, failures).count();
    if (ceiling <= 0)
        return std::chrono::milliseconds::zero();
    const quint64 drawn = random.upTo(static_cast<quint64>(ceiling));
    return std::chrono::milliseconds(
        static_cast<qint64>(std::min<quint64>(drawn, static_cast<quint64>(ceiling))));
}

bool withinRetryBudget(const BackoffPolicy& policy, int failures, std::chrono::milliseconds elapsed,
                       std::chrono::milliseconds wait)
{
    if (failures >= policy.maxAttempts)
        return false;
    return elapsed + wait <= policy.maxTotal;
}

} // namespace odis::sync
