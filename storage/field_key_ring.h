#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QList>

#include <map>
#include <optional>

namespace odis::storage {

// The field-encryption keys of this install: key id -> 32-byte AES-256 key, and the id new blobs are
// sealed with. Rotation adds a key and makes it current; older keys stay so that blobs sealed with
// them still open, until they are re-sealed and the old key is removed. The ring lives in the OS
// keychain (secret::kFieldKeys) as toBytes(); it is never written anywhere else.
//
// Key id 0 is reserved ("none"). Error codes: field_key_invalid, field_key_duplicate,
// field_key_unknown, field_key_current, field_keyring_malformed, random_unavailable.
class FieldKeyRing
{
public:
    static constexpr qsizetype kKeySize = 32;

    // A ring holding one fresh random key, id 1, current.
    [[nodiscard]] static Result<FieldKeyRing> generate();
    // Parses toBytes(); anything else (wrong magic, length, duplicate or zero id, current id absent)
    // is field_keyring_malformed.
    [[nodiscard]] static Result<FieldKeyRing> fromBytes(const QByteArray& bytes);
    // "OFKR", format 1, current id (u32 BE), key count (u16 BE), then per key: id (u32 BE), 32 key bytes.
    [[nodiscard]] QByteArray toBytes() const;

    // Adds a key under a new id. The first key added becomes current.
    [[nodiscard]] Status add(quint32 id, const QByteArray& key);
    [[nodiscard]] Status setCurrent(quint32 id);
    // Adds a fresh random key under (highest id + 1) and makes it current; returns the new id.
    [[nodiscard]] Result<quint32> rotate();
    // Retires a key once nothing sealed with it is kept; the current key cannot be removed.
    [[nodiscard]] Status remove(quint32 id);

    [[nodiscard]] bool isEmpty() const { return m_keys.empty(); }
    [[nodiscard]] quint32 currentId() const { return m_current; } // 0 when empty
    [[nodiscard]] QList<quint32> ids() const;                     // ascending
    [[nodiscard]] std::optional<QByteArray> key(quint32 id) const;

    friend bool operator==(const FieldKeyRing&, const FieldKeyRing&) = default;

private:
    std::map<quint32, QByteArray> m_keys;
    quint32 m_current = 0;
};

} // namespace odis::storage
