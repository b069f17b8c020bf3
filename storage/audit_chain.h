#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace odis::storage {

// One audit-log entry, as stored in `audit_log` and shipped to POST /v1/audit/batches.
//
// Entries record security-relevant actions only, and never hold a secret or clinic data: actor and
// target are ids ("user:local", "agent", "credential:idexx", "command:3f2a"), action a dotted verb
// ("credential.saved", "enrollment.completed"), outcome a short code ("ok", "failed:keychain_denied").
// audit_chain::checkField() enforces that shape, so a name, a phone number, an e-mail address or a
// sentence of notes cannot be written by mistake.
struct AuditEntry
{
    qint64 seq = 0; // 1, 2, 3 ... without gaps
    QString at;     // ISO 8601 UTC with milliseconds, "2026-03-10T12:00:00.000Z"
    QString actor;
    QString action;
    QString target;
    QString outcome;
    QString prevHash; // hash of entry seq - 1; audit_chain::kGenesisHash for seq 1
    QString hash;     // audit_chain::entryHash() of this entry, 64 lowercase hex digits

    // {seq, at, actor, action, target, outcome, prev_hash, hash}: the backend contract's shape.
    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// A point of the chain known to be genuine, kept outside the local log's reach: the head the backend
// acknowledged (acked_through_seq and that entry's hash). A log that ends before an anchor, or whose
// entry at the anchor has another hash, was truncated or rewritten.
struct AuditAnchor
{
    qint64 seq = 0;
    QString hash;
    friend bool operator==(const AuditAnchor&, const AuditAnchor&) = default;
};

namespace audit_chain {

inline constexpr qsizetype kKeySize = 32;
inline constexpr qsizetype kMaxFieldLength = 128;
// prev_hash of entry 1: 64 zeros, a value no HMAC output is expected to take.
inline const QString kGenesisHash = QString(64, QLatin1Char('0'));
// First field of every encoding, so that these MACs can never be confused with another use of the key.
inline const QByteArray kDomain = QByteArrayLiteral("odis-audit-v1");

// The bytes the HMAC covers. Eight fields, in this order, each written as its length in bytes
// (unsigned 32-bit big-endian) followed by its bytes:
//   "odis-audit-v1", seq (decimal ASCII, no sign or leading zeros), at, actor, action, target, outcome,
//   prev_hash (64 lowercase hex digits); text fields as UTF-8.
// The length prefixes make the encoding injective: no two different entries share an encoding, however
// their fields are split (("ab","c") and ("a","bc") encode differently).
QByteArray canonicalEncoding(const AuditEntry& entry);

// HMAC-SHA256(key, canonicalEncoding(entry)) as 64 lowercase hex digits. `entry.hash` is ignored.
// The key must be kKeySize bytes (callers check; see AuditLog).
QString entryHash(const QByteArray& key, const AuditEntry& entry);

// Whether entry.hash is entryHash(key, entry), compared in constant time.
bool hashMatches(const QByteArray& key, const AuditEntry& entry);

// actor, action, target and outcome: 1 to kMaxFieldLength characters from [A-Za-z0-9_.:/-].
// Error code audit_field_invalid; the message names the field, never its value.
[[nodiscard]] Status checkField(const char* name, const QString& value);

// A well-formed hash text: 64 lowercase hex digits.
bool isHashText(const QString& text);

// The text form of an anchor, "<seq>:<hash>" (the kv value, the --anchor option).
QString anchorToText(const AuditAnchor& anchor);
// Its strict inverse (hex digits may be upper case; the result's are lower case); nullopt when malformed.
std::optional<AuditAnchor> anchorFromText(const QString& text);

} // namespace audit_chain

} // namespace odis::storage
