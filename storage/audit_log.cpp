#include "storage/audit_log.h"

#include "storage/codes/storage_codes.h"

namespace odis::storage {

namespace {

const QString kColumns = QStringLiteral("seq, at, actor, action, target, outcome, prev_hash, hash");
constexpr int kVerifyPageSize = 500;

AuditEntry entryFromRow(const QVariantList& row)
{
    AuditEntry e;
    e.seq = row.value(0).toLongLong();
    e.at = row.value(1).toString();
    e.actor = row.value(2).toString();
    e.action = row.value(3).toString();
    e.target = row.value(4).toString();
    e.outcome = row.value(5).toString();
    e.prevHash = row.value(6).toString();
    e.hash = row.value(7).toString();
    return e;
}

[[nodiscard]] Result<QList<AuditEntry>> selectEntries(Database& db, const QString& tail,
                                                      const QVariantList& params)
{
    auto rows =
        db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM audit_log ") + tail, params);
    if (!rows)
        return propagate(rows);
    QList<AuditEntry> entries;
    entries.reserve(rows->size());
    for (const QVariantList& row : std::as_const(*rows))
        entries.append(entryFromRow(row));
    return entries;
}

[[nodiscard]] Result<std::optional<AuditEntry>> firstOf(Result<QList<AuditEntry>> entries)
{
    if (!entries)
        return propagate(entries);
    if (entries->isEmpty())
        return std::optional<AuditEntry>{};
    return std::optional<AuditEntry>{entries->constFirst()};
}

} // namespace

AuditLog::AuditLog(Database& db, QByteArray hmacKey, const Clock& clock)
    : m_db(db)
    , m_key(std::move(hmacKey))
    , m_clock(clock)
{}

Status AuditLog::checkKey() const
{
    if (m_key.size() != audit_chain::kKeySize)
        return fail(codes::kAuditKeyInvalid, QStringLiteral("the audit HMAC key has %1 bytes, not %2")
                                                 .arg(m_key.size())
                                                 .arg(audit_chain::kKeySize));
    return ok();
}

Result<AuditEntry> AuditLog::append(const QString& actor, const QString& action, const QString& target,
                                    const QString& outcome)
{
    if (auto s = checkKey(); !s)
        return propagate(s);
    for (const auto& [name, value] : {std::pair{"actor", &actor}, std::pair{"action", &action},
                                      std::pair{"target", &target}, std::pair{"outcome", &outcome}}) {
        if (auto s = audit_chain::checkField(name, *value); !s)
            return propagate(s);
    }

    AuditEntry entry{
        0, m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs), actor, action, target, outcome, {}, {}};
    const auto body = [&]() -> Status {
        auto last = head();
        if (!last)
            return propagate(last);
        entry.seq = *last ? (*last)->seq + 1 : 1;
        entry.prevHash = *last ? (*last)->hash : audit_chain::kGenesisHash;
        entry.hash = audit_chain::entryHash(m_key, entry);
        auto inserted = m_db.execute(QStringLiteral("INSERT INTO audit_log (") + kColumns +
                                         QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                                     {entry.seq, entry.at, entry.actor, entry.action, entry.target,
                                      entry.outcome, entry.prevHash, entry.hash});
        if (!inserted)
            return propagate(inserted);
        return ok();
    };
    // Reading the head and inserting after it must not interleave with another writer.
    const Status done = m_db.inTransaction() ? body() : m_db.transaction(body);
    if (!done)
        return propagate(done);
    return entry;
}

Result<AuditReport> AuditLog::verify(const QList<AuditAnchor>& anchors)
{
    if (auto s = checkKey(); !s)
        return propagate(s);
    auto highest = m_db.scalar(QStringLiteral("SELECT MAX(seq) FROM audit_log"));
    if (!highest)
        return propagate(highest);

    AuditChainVerifier verifier(m_key, highest->toLongLong(), anchors);
    qint64 after = 0;
    for (bool going = true; going;) {
        auto page = selectEntries(m_db, QStringLiteral("WHERE seq > ? ORDER BY seq LIMIT ?"),
                                  {after, kVerifyPageSize});
        if (!page)
            return propagate(page);
        for (const AuditEntry& entry : std::as_const(*page)) {
            if (!verifier.feed(entry)) {
                going = false;
                break;
            }
            after = entry.seq;
        }
        if (page->size() < kVerifyPageSize)
            going = false;
    }
    return verifier.finish();
}

Result<QList<AuditEntry>> AuditLog::entriesAfter(qint64 afterSeq, int limit)
{
    return selectEntries(m_db, QStringLiteral("WHERE seq > ? ORDER BY seq LIMIT ?"),
                         {afterSeq, qMax(0, limit)});
}

Result<std::optional<AuditEntry>> AuditLog::head()
{
    return firstOf(selectEntries(m_db, QStringLiteral("ORDER BY seq DESC LIMIT 1"), {}));
}

Result<std::optional<AuditEntry>> AuditLog::entryAt(qint64 seq)
{
    return firstOf(selectEntries(m_db, QStringLiteral("WHERE seq = ?"), {seq}));
}

Status AuditLog::recordAnchor(const AuditAnchor& anchor)
{
    if (anchor.seq < 1 || !audit_chain::isHashText(anchor.hash))
        return fail(codes::kAuditAnchorInvalid,
                    QStringLiteral("an anchor needs a seq of at least 1 and a 64-digit lowercase hex hash"));
    auto local = entryAt(anchor.seq);
    if (!local)
        return propagate(local);
    if (!*local)
        return fail(
            codes::kAuditEntryUnknown,
            QStringLiteral("audit entry %1 does not exist here and cannot be anchored").arg(anchor.seq));
    if ((*local)->hash != anchor.hash)
        return fail(codes::kAuditAnchorMismatch,
                    QStringLiteral("the anchor for audit entry %1 has another hash than the local entry")
                        .arg(anchor.seq));

    auto stored = storedAnchor();
    if (!stored)
        return propagate(stored);
    if (*stored && (*stored)->seq >= anchor.seq)
        return ok(); // acknowledgements only grow; a late, older one changes nothing
    auto written =
        m_db.execute(QStringLiteral("INSERT OR REPLACE INTO kv (key, value, updated_at) VALUES (?, ?, ?)"),
                     {kAnchorKvKey, audit_chain::anchorToText(anchor),
                      m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs)});
    if (!written)
        return propagate(written);
    return ok();
}

Status AuditLog::recordAcknowledged(qint64 ackedThroughSeq)
{
    auto local = entryAt(ackedThroughSeq);
    if (!local)
        return propagate(local);
    if (!*local)
        return fail(codes::kAuditEntryUnknown,
                    QStringLiteral("the backend acknowledged audit entry %1, which does not exist here")
                        .arg(ackedThroughSeq));
    return recordAnchor(AuditAnchor{(*local)->seq, (*local)->hash});
}

Result<std::optional<AuditAnchor>> AuditLog::storedAnchor()
{
    auto value = m_db.scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {kAnchorKvKey});
    if (!value)
        return propagate(value);
    if (!value->isValid() || value->isNull())
        return std::optional<AuditAnchor>{};
    const auto anchor = audit_chain::anchorFromText(value->toString());
    if (!anchor)
        return fail(codes::kAuditAnchorCorrupt,
                    QStringLiteral("the stored audit anchor (kv '%1') is unreadable").arg(kAnchorKvKey));
    return anchor;
}

} // namespace odis::storage
