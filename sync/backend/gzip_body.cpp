#include "sync/backend/gzip_body.h"

#include "storage/codes/backend_codes.h"

#include <limits>
#include <zlib.h>

namespace odis::sync {

Result<QByteArray> gzipCompress(QByteArrayView data)
{
    if (data.size() > std::numeric_limits<uInt>::max())
        return fail(codes::kGzipFailed, QStringLiteral("body too large to compress"));
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return fail(codes::kGzipFailed, QStringLiteral("deflateInit2 failed"));
    const uLong bound = deflateBound(&stream, static_cast<uLong>(data.size())) + 32;
    QByteArray out(static_cast<qsizetype>(bound), Qt::Uninitialized);
    // zlib's API is not const-correct; it never writes through next_in.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    const uLong written = stream.total_out;
    deflateEnd(&stream);
    if (status != Z_STREAM_END)
        return fail(codes::kGzipFailed, QStringLiteral("deflate did not finish (%1)").arg(status));
    out.truncate(static_cast<qsizetype>(written));
    return out;
}

Result<WireBody> wireBody(const QByteArray& body)
{
    if (body.size() <= kGzipThresholdBytes)
        return WireBody{body, false};
    auto packed = gzipCompress(body);
    if (!packed)
        return propagate(packed);
    return WireBody{std::move(*packed), true};
}

} // namespace odis::sync
