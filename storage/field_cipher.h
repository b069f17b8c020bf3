#pragma once

#include "storage/field_key_ring.h"
#include "storage/result.h"

#include <QByteArray>

namespace odis::storage {

// Seals blobs that leave the encrypted database (diagnostics bundles, screenshots) with AES-256-GCM
// under the key ring's current key, and opens them with whichever key of the ring sealed them.
//
// Blob format, version 1 (all sizes in bytes):
//   [0]      version = 1
//   [1..4]   key id, unsigned 32-bit big-endian
//   [5..16]  nonce, 12 random bytes (RAND_bytes) drawn for every seal
//   [17..]   ciphertext, as long as the plaintext
//   [-16..]  GCM tag
// The 17-byte header, followed by the caller's `purpose` bytes, is the GCM associated data: changing
// the version, the key id or the nonce, or opening a blob for another purpose, fails authentication.
// The header has a fixed size, so header and purpose cannot be confused.
//
// Random 96-bit nonces stay safe for about 2^32 seals per key (NIST SP 800-38D); rotate well before.
// Error codes: field_key_unknown (the ring has no such key, or no current key), field_auth_failed
// (wrong key, wrong purpose, any changed bit), field_malformed (too short, unknown version),
// random_unavailable, gcm_crypto_failed.
class FieldCipher
{
public:
    static constexpr quint8 kFormatVersion = 1;
    static constexpr qsizetype kHeaderSize = 1 + 4 + 12;
    static constexpr qsizetype kOverhead = kHeaderSize + 16;

    explicit FieldCipher(FieldKeyRing keys);

    // `purpose` names what the blob is for ("diagnostics", "screenshot"); opening needs the same bytes.
    [[nodiscard]] Result<QByteArray> seal(const QByteArray& plaintext, const QByteArray& purpose = {}) const;
    [[nodiscard]] Result<QByteArray> open(const QByteArray& blob, const QByteArray& purpose = {}) const;

    // The key id a blob claims (unauthenticated until open() succeeds): lets a re-encryption pass
    // find the blobs still sealed with a key about to be retired.
    [[nodiscard]] static Result<quint32> keyIdOf(const QByteArray& blob);

    [[nodiscard]] const FieldKeyRing& keys() const { return m_keys; }
    void setKeys(FieldKeyRing keys) { m_keys = std::move(keys); }

private:
    FieldKeyRing m_keys;
};

} // namespace odis::storage
