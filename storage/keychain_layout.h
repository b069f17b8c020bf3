#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUuid>

#include <variant>

namespace odis::storage::keychain_layout {

// How one secret is laid out over keychain entries. Every entry stays within kMaxEntrySize because
// Windows Credential Manager refuses blobs over 2560 bytes; larger secrets are split into chunks.
//
// The main entry "<install id>/<name>" starts with a format byte:
//   0x00 <value>                                       the value itself (small secrets)
//   0x01 <slot:1> <count:2> <size:4> <sha256:32>       header of a chunked value (big-endian numbers)
// Chunks live in "<install id>/<name>#<slot>.<index>". A new chunked value is written into the slot
// the current header does not use and the header is switched last, so a crash mid-write leaves the
// previous value readable. Chunks are always written in ascending and deleted in descending index
// order, so a slot only ever holds a contiguous run 0..k-1: a forward scan finds every leftover.
inline constexpr qsizetype kMaxEntrySize = 2048;
inline constexpr int kMaxChunks = 32;
inline constexpr qsizetype kMaxSecretSize = kMaxEntrySize * kMaxChunks; // 64 KiB
inline constexpr int kSlotCount = 2;

struct ChunkHeader
{
    int slot = 0;
    int count = 0;
    qsizetype size = 0;
    QByteArray sha256;
};

// What the main entry says: the value itself, or where its chunks are.
using MainEntry = std::variant<QByteArray, ChunkHeader>;

// Names are lower-case words ("idexx_password"), so they can never collide with chunk keys.
[[nodiscard]] bool isValidName(const QString& name);
[[nodiscard]] QString mainKey(const QUuid& install, const QString& name);
[[nodiscard]] QString chunkKey(const QUuid& install, const QString& name, int slot, int index);

[[nodiscard]] bool fitsInline(qsizetype valueSize);
[[nodiscard]] QByteArray encodeInline(const QByteArray& value);
[[nodiscard]] ChunkHeader headerFor(const QByteArray& value, int slot);
[[nodiscard]] QByteArray encodeHeader(const ChunkHeader& header);
[[nodiscard]] QList<QByteArray> splitChunks(const QByteArray& value);

// Error code: secret_damaged (unknown format byte, malformed header).
[[nodiscard]] Result<MainEntry> decodeMain(const QByteArray& stored);
// Reassembles and verifies size and checksum. Error code: secret_damaged.
[[nodiscard]] Result<QByteArray> joinChunks(const ChunkHeader& header, const QList<QByteArray>& chunks);

} // namespace odis::storage::keychain_layout
