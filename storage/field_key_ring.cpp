#include "storage/field_key_ring.h"

#include "storage/codes/storage_codes.h"
#include "storage/secure_random.h"

#include <QtEndian>

#include <limits>

namespace odis::storage {

namespace {

const QByteArray kMagic = QByteArrayLiteral("OFKR");
constexpr quint8 kFormat = 1;
constexpr qsizetype kFixedPart = 4 + 1 + 4 + 2; // magic, format, current id, count
constexpr qsizetype kEntrySize = 4 + FieldKeyRing::kKeySize;

Error malformed(const QString& why)
{
    return Error{codes::kFieldKeyringMalformed,
                 QStringLiteral("the stored field-encryption key ring is unreadable: %1").arg(why)};
}

template <typename T> T readBigEndian(const QByteArray& bytes, qsizetype offset)
{
    return qFromBigEndian<T>(bytes.constData() + offset);
}

template <typename T> void appendBigEndian(QByteArray& out, T value)
{
    char buffer[sizeof(T)];
    qToBigEndian<T>(value, buffer);
    out.append(buffer, sizeof(T));
}

} // namespace

Result<FieldKeyRing> FieldKeyRing::generate()
{
    auto key = secureRandomBytes(kKeySize);
    if (!key)
        return propagate(key);
    FieldKeyRing ring;
    if (auto added = ring.add(1, *key); !added)
        return propagate(added);
    return ring;
}

Result<FieldKeyRing> FieldKeyRing::fromBytes(const QByteArray& bytes)
{
    if (bytes.size() < kFixedPart || !bytes.startsWith(kMagic))
        return std::unexpected(malformed(QStringLiteral("not a key ring")));
    if (static_cast<quint8>(bytes.at(4)) != kFormat)
        return std::unexpected(
            malformed(QStringLiteral("unsupported format %1").arg(static_cast<quint8>(bytes.at(4)))));
    const auto current = readBigEndian<quint32>(bytes, 5);
    const auto count = readBigEndian<quint16>(bytes, 9);
    if (count == 0)
        return std::unexpected(malformed(QStringLiteral("no keys")));
    if (bytes.size() != kFixedPart + count * kEntrySize)
        return std::unexpected(
            malformed(QStringLiteral("length %1 does not fit %2 keys").arg(bytes.size()).arg(count)));

    FieldKeyRing ring;
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype at = kFixedPart + i * kEntrySize;
        const auto id = readBigEndian<quint32>(bytes, at);
        if (auto added = ring.add(id, bytes.mid(at + 4, kKeySize)); !added)
            return std::unexpected(malformed(added.error().message));
    }
    if (auto selected = ring.setCurrent(current); !selected)
        return std::unexpected(malformed(QStringLiteral("current key %1 is not in the ring").arg(current)));
    return ring;
}

QByteArray FieldKeyRing::toBytes() const
{
    QByteArray out;
    out.reserve(kFixedPart + static_cast<qsizetype>(m_keys.size()) * kEntrySize);
    out.append(kMagic);
    out.append(static_cast<char>(kFormat));
    appendBigEndian<quint32>(out, m_current);
    appendBigEndian<quint16>(out, static_cast<quint16>(m_keys.size()));
    for (const auto& [id, key] : m_keys) {
        appendBigEndian<quint32>(out, id);
        out.append(key);
    }
    return out;
}

Status FieldKeyRing::add(quint32 id, const QByteArray& key)
{
    if (id == 0)
        return fail(codes::kFieldKeyInvalid, QStringLiteral("key id 0 is reserved"));
    if (key.size() != kKeySize)
        return fail(
            codes::kFieldKeyInvalid,
            QStringLiteral("field key %1 has %2 bytes, not %3").arg(id).arg(key.size()).arg(kKeySize));
    // The count is serialised as 16 bits; a ring that large means rotation is broken, not busy.
    if (m_keys.size() >= std::numeric_limits<quint16>::max())
        return fail(codes::kFieldKeyInvalid, QStringLiteral("the key ring is full"));
    if (!m_keys.emplace(id, key).second)
        return fail(codes::kFieldKeyDuplicate, QStringLiteral("field key %1 already exists").arg(id));
    if (m_current == 0)
        m_current = id;
    return ok();
}

Status FieldKeyRing::setCurrent(quint32 id)
{
    if (!m_keys.contains(id))
        return fail(codes::kFieldKeyUnknown, QStringLiteral("field key %1 is not in the ring").arg(id));
    m_current = id;
    return ok();
}

Result<quint32> FieldKeyRing::rotate()
{
    const quint32 highest = m_keys.empty() ? 0 : m_keys.rbegin()->first;
    if (highest == std::numeric_limits<quint32>::max())
        return fail(codes::kFieldKeyInvalid, QStringLiteral("no key id left for rotation"));
    auto key = secureRandomBytes(kKeySize);
    if (!key)
        return propagate(key);
    const quint32 id = highest + 1;
    if (auto added = add(id, *key); !added)
        return propagate(added);
    m_current = id;
    return id;
}

Status FieldKeyRing::remove(quint32 id)
{
    if (!m_keys.contains(id))
        return fail(codes::kFieldKeyUnknown, QStringLiteral("field key %1 is not in the ring").arg(id));
    if (id == m_current)
        return fail(codes::kFieldKeyCurrent,
                    QStringLiteral("field key %1 is current and cannot be removed").arg(id));
    m_keys.erase(id);
    return ok();
}

QList<quint32> FieldKeyRing::ids() const
{
    QList<quint32> out;
    out.reserve(static_cast<qsizetype>(m_keys.size()));
    for (const auto& entry : m_keys)
        out.append(entry.first);
    return out;
}

std::optional<QByteArray> FieldKeyRing::key(quint32 id) const
{
    const auto it = m_keys.find(id);
    if (it == m_keys.end())
        return std::nullopt;
    return it->second;
}

} // namespace odis::storage
