#include "agent/diagnostics/zip_writer.h"

#include "storage/codes/agent_codes.h"

#include <QSet>
#include <QtEndian>

#include <limits>
#include <zlib.h>

namespace odis::agent {

namespace {

constexpr quint32 kLocalHeader = 0x04034b50;
constexpr quint32 kCentralHeader = 0x02014b50;
constexpr quint32 kEndOfCentral = 0x06054b50;
constexpr quint16 kVersion = 20; // 2.0: deflate
// "Made by" Unix (host 3): unzip then takes the names as they are (UTF-8, flag bit 11) instead of
// translating them from an MS-DOS code page, and applies the permissions below.
constexpr quint16 kMadeByUnix = (3u << 8) | kVersion;
constexpr quint32 kUnixFileAttributes = 0100600u << 16; // a regular file, readable by its owner only
constexpr quint16 kUtf8Names = 1u << 11;                // general purpose flag bit 11
constexpr quint16 kStored = 0;
constexpr quint16 kDeflated = 8;

void put16(QByteArray& out, quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    out.append(b, 2);
}

void put32(QByteArray& out, quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    out.append(b, 4);
}

[[nodiscard]] Result<QByteArray> rawDeflate(const QByteArray& data)
{
    z_stream stream{};
    // Negative window bits: raw deflate, as ZIP stores it (no zlib header or trailer).
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return fail(codes::kZipDeflateFailed, QStringLiteral("deflateInit2 failed"));
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END)
        return fail(codes::kZipDeflateFailed, QStringLiteral("deflate did not finish"));
    out.truncate(written);
    return out;
}

bool validName(const QString& name)
{
    if (name.isEmpty() || name.startsWith(u'/') || name.contains(u'\\') || name.toUtf8().size() > 255)
        return false;
    for (const QString& part : name.split(u'/')) {
        if (part.isEmpty() || part == QLatin1String("..") || part == QLatin1String("."))
            return false;
    }
    return true;
}

// MS-DOS date and time, as ZIP keeps them (2-second resolution, 1980 to 2107).
std::pair<quint16, quint16> dosTime(const QDateTime& t)
{
    const QDate d = t.date();
    const QTime h = t.time();
    if (d.year() < 1980)
        return {0, quint16((1 << 5) | 1)};
    const quint16 time = quint16((h.hour() << 11) | (h.minute() << 5) | (h.second() / 2));
    const quint16 date = quint16(((d.year() - 1980) << 9) | (d.month() << 5) | d.day());
    return {time, date};
}

} // namespace

Result<QByteArray> zipArchive(const QList<ZipEntry>& entries, const QDateTime& modified)
{
    if (entries.size() > 0xFFFF)
        return fail(codes::kZipInvalid, QStringLiteral("too many entries"));
    const auto [time, date] = dosTime(modified);
    QByteArray archive;
    QByteArray central;
    QSet<QString> names;
    constexpr qint64 kMax = std::numeric_limits<quint32>::max();
    for (const ZipEntry& entry : entries) {
        if (!validName(entry.name) || names.contains(entry.name))
            return fail(codes::kZipInvalid,
                        QStringLiteral("the entry name '%1' is not allowed").arg(entry.name));
        names.insert(entry.name);
        if (entry.data.size() >= kMax)
            return fail(codes::kZipInvalid, QStringLiteral("%1 is too large").arg(entry.name));
        const quint32 crc =
            quint32(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(entry.data.constData()),
                          uInt(entry.data.size())));
        auto deflated = rawDeflate(entry.data);
        if (!deflated)
            return propagate(deflated);
        // Deflate only when it helps (tiny or random data grows).
        const bool deflate = deflated->size() < entry.data.size();
        const QByteArray& body = deflate ? *deflated : entry.data;
        const QByteArray name = entry.name.toUtf8();
        const qint64 offset = archive.size();
        if (offset >= kMax)
            return fail(codes::kZipInvalid, QStringLiteral("the archive is too large"));

        put32(archive, kLocalHeader);
        put16(archive, kVersion);
        put16(archive, kUtf8Names);
        put16(archive, deflate ? kDeflated : kStored);
        put16(archive, time);
        put16(archive, date);
        put32(archive, crc);
        put32(archive, quint32(body.size()));
        put32(archive, quint32(entry.data.size()));
        put16(archive, quint16(name.size()));
        put16(archive, 0); // no extra field
        archive.append(name);
        archive.append(body);

        put32(central, kCentralHeader);
        put16(central, kMadeByUnix);
        put16(central, kVersion);
        put16(central, kUtf8Names);
        put16(central, deflate ? kDeflated : kStored);
        put16(central, time);
        put16(central, date);
        put32(central, crc);
        put32(central, quint32(body.size()));
        put32(central, quint32(entry.data.size()));
        put16(central, quint16(name.size()));
        put16(central, 0); // extra
        put16(central, 0); // comment
        put16(central, 0); // disk number
        put16(central, 0); // internal attributes
        put32(central, kUnixFileAttributes);
        put32(central, quint32(offset));
        central.append(name);
    }
    const qint64 centralOffset = archive.size();
    if (centralOffset + central.size() >= kMax)
        return fail(codes::kZipInvalid, QStringLiteral("the archive is too large"));
    archive.append(central);
    put32(archive, kEndOfCentral);
    put16(archive, 0); // this disk
    put16(archive, 0); // disk of the central directory
    put16(archive, quint16(entries.size()));
    put16(archive, quint16(entries.size()));
    put32(archive, quint32(central.size()));
    put32(archive, quint32(centralOffset));
    put16(archive, 0); // no comment
    return archive;
}

} // namespace odis::agent
