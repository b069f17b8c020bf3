#pragma once

#include "storage/audit_chain.h"
#include "storage/audit_verifier.h"
#include "storage/clock.h"
#include "storage/database.h"
#include "storage/result.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace odis::storage {

// The append-only audit log in the `audit_log` table: a hash chain where each entry's hash is
// HMAC-SHA256 (key from the keychain, secret::kAuditHmacKey) over the entry and its predecessor's hash
// (audit_chain.h defines the encoding). Without the key nobody can change, delete, reorder or insert
// an entry without verify() naming it; with the key, only the anchors can tell: the backend's
// acknowledged head, recorded in `kv` by recordAnchor() and held by the backend itself.
//
// Entries hold ids and codes only (see AuditEntry); never secrets or clinic data.
// Error codes: audit_key_invalid, audit_field_invalid, audit_anchor_invalid, audit_anchor_mismatch,
// audit_entry_unknown, audit_anchor_corrupt, and the database's db_* codes.
class AuditLog
{
public:
    // kv key of the local anchor, value "<seq>:<hash>".
    static inline const QString kAnchorKvKey = QStringLiteral("audit.anchor");

    AuditLog(Database& db, QByteArray hmacKey, const Clock& clock);

    // Appends an entry stamped with the clock's now. Joins the caller's transaction when one is open
    // (so an action and its audit entry commit together); otherwise runs in its own.
    [[nodiscard]] Result<AuditEntry> append(const QString& actor, const QString& action,
                                            const QString& target, const QString& outcome);

    // Walks the whole chain (in pages) against the given anchors. A chain break is a report, not an
    // error: errors are for a key or database that cannot be used.
    [[nodiscard]] Result<AuditReport> verify(const QList<AuditAnchor>& anchors = {});

    // Up to `limit` entries with seq > `afterSeq`, ascending: the next batch for the backend.
    [[nodiscard]] Result<QList<AuditEntry>> entriesAfter(qint64 afterSeq, int limit);
    [[nodiscard]] Result<std::optional<AuditEntry>> head();

    // Records that `anchor` is genuine (the backend holds the chain through it). It must match the
    // local entry at anchor.seq. The anchor only moves forward: an older one than the stored is ignored.
    [[nodiscard]] Status recordAnchor(const AuditAnchor& anchor);
    // The same from the backend's answer {acked_through_seq}: anchors the local entry at that seq.
    [[nodiscard]] Status recordAcknowledged(qint64 ackedThroughSeq);
    // The anchor recorded in kv, if any.
    [[nodiscard]] Result<std::optional<AuditAnchor>> storedAnchor();

private:
    [[nodiscard]] Status checkKey() const;
    [[nodiscard]] Result<std::optional<AuditEntry>> entryAt(qint64 seq);

    Database& m_db;
    QByteArray m_key;
    const Clock& m_clock;
};

} // namespace odis::storage
