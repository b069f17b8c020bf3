#pragma once

#include "storage/audit_chain.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace odis::storage {

// What is wrong with an audit log, at its first bad entry.
enum class AuditBreak
{
    None,
    Changed,        // an entry's contents no longer match its hash (edited, or hashed with another key)
    Missing,        // seq jumps: entries were deleted
    Reordered,      // an entry sits at another seq than the one it was written at
    BrokenLink,     // an entry's prev_hash is not the previous entry's hash
    Truncated,      // the log ends before an anchor: its tail was deleted
    AnchorMismatch, // the entry at an anchor has another hash than the anchor: the log was rewritten
};

// Stable snake_case name of a break ("entry_changed", "entries_missing", ...), for reports and telemetry.
QString auditBreakCode(AuditBreak problem);

struct AuditReport
{
    qint64 entries = 0;     // entries checked (all of them when intact)
    qint64 headSeq = 0;     // last entry checked; 0 for an empty log
    QString headHash;       // its hash
    qint64 anchoredSeq = 0; // highest anchor the log was checked against; 0 for none
    AuditBreak problem = AuditBreak::None;
    qint64 firstBadSeq = 0; // the first entry that is wrong (for Missing/Truncated: the first one absent)
    qint64 relatedSeq = 0;  // Missing: the seq found instead; Reordered: the seq the entry was written at;
                            // Truncated/AnchorMismatch: the anchor's seq

    [[nodiscard]] bool intact() const { return problem == AuditBreak::None; }
    // One line for a person: "audit log intact: ..." or "audit log broken at entry N: ...". Seqs only.
    [[nodiscard]] QString summary() const;
};

// Checks a chain fed entry by entry in ascending seq order, so a long log is read in pages. Stops at
// the first break: feed() returns false from then on. Anchors are checked as their entry passes and,
// for those beyond the end, at finish().
class AuditChainVerifier
{
public:
    // How far from its place a moved entry is looked for (see writtenAt()).
    static constexpr qint64 kReorderWindow = 4096;

    // `highestSeq` bounds the search that tells a moved entry (Reordered) from an edited one (Changed).
    AuditChainVerifier(QByteArray key, qint64 highestSeq, QList<AuditAnchor> anchors);

    bool feed(const AuditEntry& entry);
    [[nodiscard]] AuditReport finish() const;

private:
    bool breakAt(AuditBreak problem, qint64 seq, qint64 related = 0);
    [[nodiscard]] qint64 writtenAt(AuditEntry entry) const;

    QByteArray m_key;
    qint64 m_highestSeq = 0;
    QList<AuditAnchor> m_anchors; // ascending seq
    AuditReport m_report;
    QString m_previousHash = audit_chain::kGenesisHash;
};

} // namespace odis::storage
