#pragma once

// How the outbox cuts its pending items into upload batches, and how a batch the backend refused as
// too large (413) is divided. Pure: the caller measures the real wire size of a candidate batch.

#include <QtGlobal>

#include <functional>
#include <optional>
#include <utility>

namespace odis::sync {

// The contract's limits on `POST /v1/sync/batches` (docs/backend-api.md): at most 500 items and 2 MiB
// on the wire (gzipped); bodies over 8 KiB are gzipped, smaller ones go as they are.
struct BatchLimits
{
    static constexpr int kContractMaxItems = 500;
    static constexpr qint64 kContractMaxWireBytes = qint64{2} * 1024 * 1024;
    static constexpr qint64 kContractGzipThreshold = qint64{8} * 1024;

    int maxItems = kContractMaxItems;
    qint64 maxWireBytes = kContractMaxWireBytes;
};

// Bytes on the wire of a body of `count` items (the caller builds and compresses it).
using WireSizeOf = std::function<qint64(int count)>;

// The largest item count n, 1 <= n <= min(available, limits.maxItems), whose body measures at most
// limits.maxWireBytes, found with few measurements (each one compresses a body of up to 2 MiB). 0 when
// not even the first item fits alone, or when nothing is available. The count returned has always been
// measured to fit.
[[nodiscard]] int largestFittingCount(int available, const BatchLimits& limits, const WireSizeOf& wireSize);

// The two halves a batch of `count` items is split into after a 413 (the first half takes the extra
// item of an odd count); nullopt for a single item, which cannot be split any further.
[[nodiscard]] std::optional<std::pair<int, int>> splitForTooLarge(int count);

} // namespace odis::sync
