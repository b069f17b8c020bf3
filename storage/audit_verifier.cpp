#include "storage/audit_verifier.h"

#include <algorithm>

namespace odis::storage {

QString auditBreakCode(AuditBreak problem)
{
    switch (problem) {
    case AuditBreak::None:
        return QStringLiteral("intact");
    case AuditBreak::Changed:
        return QStringLiteral("entry_changed");
    case AuditBreak::Missing:
        return QStringLiteral("entries_missing");
    case AuditBreak::Reordered:
        return QStringLiteral("entries_reordered");
    case AuditBreak::BrokenLink:
        return QStringLiteral("broken_link");
    case AuditBreak::Truncated:
        return QStringLiteral("log_truncated");
    case AuditBreak::AnchorMismatch:
        return QStringLiteral("anchor_mismatch");
    }
    return QStringLiteral("unknown");
}

QString AuditReport::summary() const
{
    if (intact()) {
        QString line = QStringLiteral("audit log intact: %1 entries").arg(entries);
        if (entries > 0)
            line += QStringLiteral(", head seq %1").arg(headSeq);
        line += anchoredSeq > 0 ? QStringLiteral(", anchored at seq %1").arg(anchoredSeq)
                                : QStringLiteral(", no anchor (a truncated tail would go unnoticed)");
        return line;
    }
    QString head =
        QStringLiteral("audit log broken at entry %1 (%2): ").arg(firstBadSeq).arg(auditBreakCode(problem));
    switch (problem) {
    case AuditBreak::Changed:
        return head +
               QStringLiteral("its contents do not match its hash (changed, or written with another key)");
    case AuditBreak::Missing:
        return head +
               (relatedSeq == firstBadSeq + 1
                    ? QStringLiteral("it was deleted (the next entry found is %1)").arg(relatedSeq)
                    : QStringLiteral("entries %1 to %2 were deleted").arg(firstBadSeq).arg(relatedSeq - 1));
    case AuditBreak::Reordered:
        return head + QStringLiteral("it holds the entry written as seq %1 (entries were reordered)")
                          .arg(relatedSeq);
    case AuditBreak::BrokenLink:
        return head + QStringLiteral("its prev_hash is not the hash of entry %1").arg(firstBadSeq - 1);
    case AuditBreak::Truncated:
        return head + QStringLiteral("the log ends at seq %1 but is anchored at seq %2 (tail deleted)")
                          .arg(firstBadSeq - 1)
                          .arg(relatedSeq);
    case AuditBreak::AnchorMismatch:
        return head + QStringLiteral("its hash differs from the anchored hash (the log was rewritten)");
    case AuditBreak::None:
        break;
    }
    return head;
}

AuditChainVerifier::AuditChainVerifier(QByteArray key, qint64 highestSeq, QList<AuditAnchor> anchors)
    : m_key(std::move(key))
    , m_highestSeq(highestSeq)
    , m_anchors(std::move(anchors))
{
    // An anchor at seq 0 or below names no entry: it anchors nothing.
    m_anchors.removeIf([](const AuditAnchor& a) { return a.seq <= 0; });
    std::sort(m_anchors.begin(), m_anchors.end(),
              [](const AuditAnchor& a, const AuditAnchor& b) { return a.seq < b.seq; });
}

bool AuditChainVerifier::breakAt(AuditBreak problem, qint64 seq, qint64 related)
{
    m_report.problem = problem;
    m_report.firstBadSeq = seq;
    m_report.relatedSeq = related;
    return false;
}

// The seq an entry's hash was computed for, when it is not the seq it sits at: the entry was moved.
// 0 when no seq nearby fits (the entry was edited instead). Only runs on the failure path, and only
// within kReorderWindow of where the entry sits: a planted row with a huge seq must not turn one
// check into billions of HMACs. An entry moved farther is still caught, reported as Changed.
qint64 AuditChainVerifier::writtenAt(AuditEntry entry) const
{
    const qint64 placed = entry.seq;
    const qint64 from = qMax<qint64>(1, placed - kReorderWindow);
    const qint64 to = qMin(m_highestSeq, placed + kReorderWindow);
    for (qint64 candidate = from; candidate <= to; ++candidate) {
        if (candidate == placed)
            continue;
        entry.seq = candidate;
        if (audit_chain::hashMatches(m_key, entry))
            return candidate;
    }
    return 0;
}

bool AuditChainVerifier::feed(const AuditEntry& entry)
{
    if (!m_report.intact())
        return false;
    const qint64 expected = m_report.headSeq + 1;
    if (entry.seq != expected)
        return breakAt(AuditBreak::Missing, expected, entry.seq);
    if (!audit_chain::hashMatches(m_key, entry)) {
        if (const qint64 original = writtenAt(entry); original != 0)
            return breakAt(AuditBreak::Reordered, entry.seq, original);
        return breakAt(AuditBreak::Changed, entry.seq);
    }
    if (entry.prevHash != m_previousHash)
        return breakAt(AuditBreak::BrokenLink, entry.seq);
    for (const AuditAnchor& anchor : std::as_const(m_anchors)) {
        if (anchor.seq == entry.seq && anchor.hash != entry.hash)
            return breakAt(AuditBreak::AnchorMismatch, entry.seq, anchor.seq);
    }
    m_previousHash = entry.hash;
    m_report.entries += 1;
    m_report.headSeq = entry.seq;
    m_report.headHash = entry.hash;
    return true;
}

AuditReport AuditChainVerifier::finish() const
{
    AuditReport report = m_report;
    if (!m_anchors.isEmpty())
        report.anchoredSeq = m_anchors.constLast().seq;
    if (report.intact() && report.anchoredSeq > report.headSeq) {
        report.problem = AuditBreak::Truncated;
        report.firstBadSeq = report.headSeq + 1;
        report.relatedSeq = report.anchoredSeq;
    }
    return report;
}

} // namespace odis::storage
