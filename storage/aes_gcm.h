#pragma once

#include "storage/codes/storage_codes.h"
#include "storage/result.h"

#include <QByteArray>

namespace odis::storage {

// AES-256-GCM through OpenSSL's EVP interface: the one authenticated cipher of this program. Callers
// pick the nonce (FieldCipher draws a random one per message); a nonce must never repeat under one key.
// Decryption releases plaintext only after EVP has verified the tag (in constant time); on any
// mismatch no plaintext escapes.
namespace aes_gcm {

inline constexpr qsizetype kKeySize = 32;   // AES-256
inline constexpr qsizetype kNonceSize = 12; // 96-bit IV, the size GCM is specified and analysed for
inline constexpr qsizetype kTagSize = 16;   // full 128-bit tag, never truncated

namespace error {
inline const QString kInvalidKey = codes::kGcmInvalidKey;     // key is not 32 bytes
inline const QString kInvalidNonce = codes::kGcmInvalidNonce; // nonce is not 12 bytes
inline const QString kInvalidTag = codes::kGcmInvalidTag;     // tag is not 16 bytes
inline const QString kAuthFailed = codes::kGcmAuthFailed;     // wrong key, AAD, or tampered
inline const QString kCryptoFailed = codes::kGcmCryptoFailed; // OpenSSL itself failed
} // namespace error

struct Sealed
{
    QByteArray ciphertext; // same length as the plaintext
    QByteArray tag;        // kTagSize bytes
};

// Encrypts and authenticates `plaintext`, and authenticates `aad` without encrypting it.
[[nodiscard]] Result<Sealed> encrypt(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad,
                                     const QByteArray& plaintext);

// The inverse. Fails with gcm_auth_failed when the key, nonce, AAD, ciphertext or tag differ from
// what was sealed; the partially decrypted buffer is wiped before returning.
[[nodiscard]] Result<QByteArray> decrypt(const QByteArray& key, const QByteArray& nonce,
                                         const QByteArray& aad, const QByteArray& ciphertext,
                                         const QByteArray& tag);

} // namespace aes_gcm

} // namespace odis::storage
