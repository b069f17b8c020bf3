#include "storage/field_cipher.h"

#include "storage/aes_gcm.h"
#include "storage/codes/storage_codes.h"
#include "storage/secure_random.h"

#include <QtEndian>

namespace odis::storage {

namespace {

static_assert(FieldCipher::kHeaderSize == 1 + 4 + aes_gcm::kNonceSize);
static_assert(FieldCipher::kOverhead == FieldCipher::kHeaderSize + aes_gcm::kTagSize);

Error unknownKey(quint32 id)
{
    return Error{codes::kFieldKeyUnknown,
                 QStringLiteral("field key %1 is not in this install's key ring").arg(id)};
}

} // namespace

FieldCipher::FieldCipher(FieldKeyRing keys)
    : m_keys(std::move(keys))
{}

Result<QByteArray> FieldCipher::seal(const QByteArray& plaintext, const QByteArray& purpose) const
{
    const quint32 id = m_keys.currentId();
    const auto key = m_keys.key(id);
    if (!key)
        return fail(codes::kFieldKeyUnknown, QStringLiteral("the field key ring has no current key"));
    auto nonce = secureRandomBytes(aes_gcm::kNonceSize);
    if (!nonce)
        return propagate(nonce);

    QByteArray header;
    header.reserve(kHeaderSize);
    header.append(static_cast<char>(kFormatVersion));
    char idBytes[4];
    qToBigEndian<quint32>(id, idBytes);
    header.append(idBytes, 4);
    header.append(*nonce);

    auto sealed = aes_gcm::encrypt(*key, *nonce, header + purpose, plaintext);
    if (!sealed)
        return propagate(sealed);
    QByteArray blob;
    blob.reserve(kOverhead + plaintext.size());
    blob.append(header).append(sealed->ciphertext).append(sealed->tag);
    return blob;
}

Result<QByteArray> FieldCipher::open(const QByteArray& blob, const QByteArray& purpose) const
{
    auto id = keyIdOf(blob);
    if (!id)
        return propagate(id);
    const auto key = m_keys.key(*id);
    if (!key)
        return std::unexpected(unknownKey(*id));

    const QByteArray header = blob.first(kHeaderSize);
    const QByteArray nonce = header.sliced(5, aes_gcm::kNonceSize);
    const QByteArray ciphertext = blob.sliced(kHeaderSize, blob.size() - kOverhead);
    const QByteArray tag = blob.last(aes_gcm::kTagSize);
    auto plaintext = aes_gcm::decrypt(*key, nonce, header + purpose, ciphertext, tag);
    if (!plaintext && plaintext.error().code == aes_gcm::error::kAuthFailed)
        return fail(
            codes::kFieldAuthFailed,
            QStringLiteral("the encrypted blob (key %1, %2 bytes) failed authentication: wrong key or "
                           "purpose, or it was changed")
                .arg(*id)
                .arg(blob.size()));
    return plaintext;
}

Result<quint32> FieldCipher::keyIdOf(const QByteArray& blob)
{
    if (blob.size() < kOverhead)
        return fail(codes::kFieldMalformed,
                    QStringLiteral("an encrypted blob has at least %1 bytes, this one %2")
                        .arg(kOverhead)
                        .arg(blob.size()));
    const auto version = static_cast<quint8>(blob.at(0));
    if (version != kFormatVersion)
        return fail(codes::kFieldMalformed,
                    QStringLiteral("encrypted blob format %1 is not supported").arg(version));
    return qFromBigEndian<quint32>(blob.constData() + 1);
}

} // namespace odis::storage
