#pragma once

// gzip (RFC 1952) for request bodies over 8 KiB (Content-Encoding: gzip). The same function measures
// batches while they are formed, so the size the outbox plans with is the size that goes on the wire.

#include "storage/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace odis::sync {

// Bodies larger than this go gzipped (docs/backend-api.md).
inline constexpr qsizetype kGzipThresholdBytes = qsizetype{8} * 1024;

// gzip wrapper around deflate, default level, no file name and a zero time stamp: the same input always
// gives the same bytes. Error code: gzip_failed (zlib refused: out of memory, input over 4 GiB).
[[nodiscard]] Result<QByteArray> gzipCompress(QByteArrayView data);

// The body as it goes on the wire: gzipped above kGzipThresholdBytes, else unchanged.
struct WireBody
{
    QByteArray bytes;
    bool gzipped = false;
};
[[nodiscard]] Result<WireBody> wireBody(const QByteArray& body);

} // namespace odis::sync
