#include "sync/core/batch_plan.h"

#include <algorithm>

namespace odis::sync {

int largestFittingCount(int available, const BatchLimits& limits, const WireSizeOf& wireSize)
{
    const int most = std::min(available, limits.maxItems);
    if (most < 1)
        return 0;
    // The usual case (a run's worth of items well under 2 MiB) costs one measurement.
    if (wireSize(most) <= limits.maxWireBytes)
        return most;
    // Invariant: `fits` was measured to fit (or is 0), `tooBig` was measured not to.
    int fits = 0;
    int tooBig = most;
    while (tooBig - fits > 1) {
        const int middle = fits + (tooBig - fits) / 2;
        if (wireSize(middle) <= limits.maxWireBytes)
            fits = middle;
        else
            tooBig = middle;
    }
    return fits;
}

std::optional<std::pair<int, int>> splitForTooLarge(int count)
{
    if (count < 2)
        return std::nullopt;
    const int second = count / 2;
    return std::pair{count - second, second};
}

} // namespace odis::sync
