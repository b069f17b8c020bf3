#include "tests/sim/common/gzip.h"

#include <array>
#include <zlib.h>

namespace odis::sim {

namespace {

// windowBits 15 + 16 selects the gzip wrapper in zlib (instead of raw zlib streams).
constexpr int kGzipWindowBits = 15 + 16;
constexpr size_t kChunk = 64 * 1024;

} // namespace

Result<QByteArray> gunzip(QByteArrayView compressed, qsizetype maxOutput)
{
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK)
        return fail(QStringLiteral("gzip_unavailable"), QStringLiteral("zlib inflateInit2 failed"));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    QByteArray out;
    std::array<char, kChunk> buffer{};
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
        stream.avail_out = static_cast<uInt>(buffer.size());
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&stream);
            return fail(QStringLiteral("invalid_gzip"), QStringLiteral("the gzip body does not inflate"));
        }
        out.append(buffer.data(), static_cast<qsizetype>(buffer.size() - stream.avail_out));
        if (out.size() > maxOutput) {
            inflateEnd(&stream);
            return fail(QStringLiteral("body_too_large"),
                        QStringLiteral("inflated body over %1 bytes").arg(maxOutput));
        }
        if (rc == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
            inflateEnd(&stream);
            return fail(QStringLiteral("invalid_gzip"), QStringLiteral("the gzip body is cut short"));
        }
    }
    const bool trailingBytes = stream.avail_in != 0;
    inflateEnd(&stream);
    if (trailingBytes)
        return fail(QStringLiteral("invalid_gzip"), QStringLiteral("bytes after the end of the gzip stream"));
    return out;
}

QByteArray gzip(QByteArrayView plain)
{
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    stream.avail_in = static_cast<uInt>(plain.size());
    QByteArray out;
    std::array<char, kChunk> buffer{};
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
        stream.avail_out = static_cast<uInt>(buffer.size());
        rc = deflate(&stream, Z_FINISH);
        out.append(buffer.data(), static_cast<qsizetype>(buffer.size() - stream.avail_out));
    }
    deflateEnd(&stream);
    return out;
}

} // namespace odis::sim
