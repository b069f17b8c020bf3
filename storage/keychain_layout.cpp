#include "storage/keychain_layout.h"

#include "storage/codes/storage_codes.h"
#include "storage/install_identity.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace odis::storage::keychain_layout {

namespace {

constexpr char kInlineFormat = 0x00;
constexpr char kChunkedFormat = 0x01;
constexpr qsizetype kShaSize = 32;
constexpr qsizetype kHeaderSize = 1 + 1 + 2 + 4 + kShaSize;
constexpr qsizetype kMaxNameLength = 64;

int chunkCountFor(qsizetype size)
{
    return static_cast<int>((size + kMaxEntrySize - 1) / kMaxEntrySize);
}

QByteArray sha256(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

Error damaged(const QString& why)
{
    return Error{codes::kSecretDamaged, why};
}

} // namespace

bool isValidName(const QString& name)
{
    if (name.isEmpty() || name.size() > kMaxNameLength)
        return false;
    for (const QChar c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

QString mainKey(const QUuid& install, const QString& name)
{
    return InstallIdentity::toText(install) + u'/' + name;
}

QString chunkKey(const QUuid& install, const QString& name, int slot, int index)
{
    return mainKey(install, name) + u'#' + QString::number(slot) + u'.' + QString::number(index);
}

bool fitsInline(qsizetype valueSize)
{
    return valueSize + 1 <= kMaxEntrySize;
}

QByteArray encodeInline(const QByteArray& value)
{
    QByteArray out;
    out.reserve(value.size() + 1);
    out.append(kInlineFormat);
    out.append(value);
    return out;
}

ChunkHeader headerFor(const QByteArray& value, int slot)
{
    return ChunkHeader{slot, chunkCountFor(value.size()), value.size(), sha256(value)};
}

QByteArray encodeHeader(const ChunkHeader& header)
{
    QByteArray out(kHeaderSize, '\0');
    auto* p = reinterpret_cast<uchar*>(out.data());
    p[0] = static_cast<uchar>(kChunkedFormat);
    p[1] = static_cast<uchar>(header.slot);
    qToBigEndian(static_cast<quint16>(header.count), p + 2);
    qToBigEndian(static_cast<quint32>(header.size), p + 4);
    out.replace(8, kShaSize, header.sha256);
    return out;
}

QList<QByteArray> splitChunks(const QByteArray& value)
{
    QList<QByteArray> chunks;
    for (qsizetype at = 0; at < value.size(); at += kMaxEntrySize)
        chunks.append(value.mid(at, kMaxEntrySize));
    return chunks;
}

Result<MainEntry> decodeMain(const QByteArray& stored)
{
    if (stored.isEmpty())
        return std::unexpected(damaged(QStringLiteral("the entry is empty (no format byte)")));
    if (stored.front() == kInlineFormat)
        return MainEntry{stored.mid(1)};
    if (stored.front() != kChunkedFormat)
        return std::unexpected(damaged(QStringLiteral("unknown format byte %1 (written by a newer program?)")
                                           .arg(int(uchar(stored.front())))));
    if (stored.size() != kHeaderSize)
        return std::unexpected(damaged(QStringLiteral("chunk header of %1 bytes").arg(stored.size())));

    const auto* p = reinterpret_cast<const uchar*>(stored.constData());
    ChunkHeader header;
    header.slot = p[1];
    header.count = qFromBigEndian<quint16>(p + 2);
    header.size = qFromBigEndian<quint32>(p + 4);
    header.sha256 = stored.mid(8, kShaSize);
    if (header.slot >= kSlotCount || header.size > kMaxSecretSize || fitsInline(header.size) ||
        header.count != chunkCountFor(header.size))
        return std::unexpected(
            damaged(QStringLiteral("inconsistent chunk header (slot %1, %2 chunks, %3 bytes)")
                        .arg(header.slot)
                        .arg(header.count)
                        .arg(header.size)));
    return MainEntry{header};
}

Result<QByteArray> joinChunks(const ChunkHeader& header, const QList<QByteArray>& chunks)
{
    if (chunks.size() != header.count)
        return std::unexpected(
            damaged(QStringLiteral("%1 of %2 chunks present").arg(chunks.size()).arg(header.count)));
    QByteArray value;
    value.reserve(header.size);
    for (const QByteArray& chunk : chunks)
        value.append(chunk);
    if (value.size() != header.size || sha256(value) != header.sha256)
        return std::unexpected(damaged(QStringLiteral("the chunks do not match their header's checksum")));
    return value;
}

} // namespace odis::storage::keychain_layout
