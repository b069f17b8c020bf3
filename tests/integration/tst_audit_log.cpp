// The audit log on a real SQLCipher file: appending, the append-only triggers, and verify-audit's
// diagnosis when someone holding the database key edits, deletes, reorders, rehashes or truncates
// entries behind the program's back.

#include "storage/audit_chain.h"
#include "storage/audit_log.h"
#include "storage/audit_verification.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "storage/secure_random.h"
#include "tests/support/manual_clock.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace odis::storage;

namespace {

constexpr int kEntries = 8;

QByteArray randomBytes(qsizetype n)
{
    auto bytes = secureRandomBytes(n);
    if (!bytes)
        qFatal("random bytes: %s", qPrintable(bytes.error().toString()));
    return *bytes;
}

template <typename R> QByteArray failure(const R& result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

} // namespace

class TstAuditLog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QByteArray m_dbKey;
    QByteArray m_auditKey;
    odis::test::ManualClock m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<AuditLog> m_log;

    [[nodiscard]] QString path() const { return m_dir->filePath(QStringLiteral("agent.db")); }

    void open()
    {
        auto db = Database::open(path(), m_dbKey, agentMigrations());
        QVERIFY2(db.has_value(), failure(db).constData());
        m_db = std::move(*db);
        m_log = std::make_unique<AuditLog>(*m_db, m_auditKey, m_clock);
    }

    // What someone with the database key (but not the audit key) does first.
    void dropTriggers()
    {
        const auto dropped = m_db->executeScript(QStringLiteral("DROP TRIGGER audit_log_no_update;"
                                                                "DROP TRIGGER audit_log_no_delete;"
                                                                "DROP TRIGGER audit_log_in_order;"));
        QVERIFY2(dropped.has_value(), failure(dropped).constData());
    }

    void sql(const QString& statement, const QVariantList& params = {})
    {
        const auto done = m_db->execute(statement, params);
        QVERIFY2(done.has_value(), failure(done).constData());
    }

    AuditEntry entry(qint64 seq)
    {
        auto entries = m_log->entriesAfter(seq - 1, 1);
        if (!entries || entries->isEmpty() || entries->constFirst().seq != seq)
            qFatal("no audit entry %lld", static_cast<long long>(seq));
        return entries->constFirst();
    }

    void expectBreak(AuditBreak problem, qint64 firstBad, const QList<AuditAnchor>& anchors = {})
    {
        const auto report = m_log->verify(anchors);
        QVERIFY2(report.has_value(), failure(report).constData());
        QVERIFY2(report->problem == problem, qPrintable(report->summary()));
        QCOMPARE(report->firstBadSeq, firstBad);
        QVERIFY2(report->summary().contains(QStringLiteral("broken at entry %1 ").arg(firstBad)),
                 qPrintable(report->summary()));
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_dbKey = randomBytes(Database::kKeySize);
        m_auditKey = randomBytes(audit_chain::kKeySize);
        m_clock.set(QDateTime(QDate(2026, 3, 10), QTime(12, 0), Qt::UTC));
        open();
        const QStringList actions{QStringLiteral("enrollment.completed"), QStringLiteral("credential.saved"),
                                  QStringLiteral("credential.validated"), QStringLiteral("credential.used")};
        for (int i = 1; i <= kEntries; ++i) {
            const auto appended = m_log->append(QStringLiteral("user:local"), actions.at(i % actions.size()),
                                                QStringLiteral("credential:idexx"), QStringLiteral("ok"));
            QVERIFY2(appended.has_value(), failure(appended).constData());
            QCOMPARE(appended->seq, i);
            m_clock.advanceSecs(90);
        }
    }

    void cleanup()
    {
        m_log.reset();
        m_db.reset();
        m_dir.reset();
    }

    void appendedEntriesChainAndVerify()
    {
        const AuditEntry first = entry(1);
        QCOMPARE(first.at, QStringLiteral("2026-03-10T12:00:00.000Z"));
        QCOMPARE(first.prevHash, audit_chain::kGenesisHash);
        QVERIFY(audit_chain::hashMatches(m_auditKey, first));
        QCOMPARE(entry(2).prevHash, first.hash);
        QCOMPARE(entry(2).at, QStringLiteral("2026-03-10T12:01:30.000Z"));

        const auto report = m_log->verify();
        QVERIFY2(report.has_value(), failure(report).constData());
        QVERIFY2(report->intact(), qPrintable(report->summary()));
        QCOMPARE(report->entries, kEntries);
        QCOMPARE(report->headSeq, kEntries);
        QCOMPARE(report->headHash, entry(kEntries).hash);

        const auto batch = m_log->entriesAfter(3, 2);
        QVERIFY(batch.has_value());
        QCOMPARE(batch->size(), 2);
        QCOMPARE(batch->at(0).seq, 4);
        QCOMPARE(batch->at(1).seq, 5);
        QCOMPARE(m_log->entriesAfter(kEntries, 10)->size(), 0);
    }

    void chainSurvivesReopening()
    {
        const QString headHash = entry(kEntries).hash;
        m_log.reset();
        m_db.reset();
        open();
        const auto appended = m_log->append(QStringLiteral("agent"), QStringLiteral("sync.completed"),
                                            QStringLiteral("run:9"), QStringLiteral("ok"));
        QVERIFY2(appended.has_value(), failure(appended).constData());
        QCOMPARE(appended->seq, kEntries + 1);
        QCOMPARE(appended->prevHash, headHash);
        QVERIFY(m_log->verify()->intact());
    }

    void appendJoinsTheCallersTransaction()
    {
        const auto rolledBack = m_db->transaction([this]() -> odis::Status {
            if (auto a = m_log->append(QStringLiteral("agent"), QStringLiteral("export.created"),
                                       QStringLiteral("export:1"), QStringLiteral("ok"));
                !a)
                return std::unexpected(a.error());
            return odis::fail(QStringLiteral("test_abort"),
                              QStringLiteral("the action failed after its audit entry"));
        });
        QVERIFY(!rolledBack.has_value());
        QCOMPARE(m_log->head()->value().seq, kEntries); // the entry went with the action

        const auto committed = m_db->transaction([this]() -> odis::Status {
            auto a = m_log->append(QStringLiteral("agent"), QStringLiteral("export.created"),
                                   QStringLiteral("export:1"), QStringLiteral("ok"));
            return a ? odis::ok() : odis::Status(std::unexpected(a.error()));
        });
        QVERIFY2(committed.has_value(), failure(committed).constData());
        QCOMPARE(m_log->head()->value().seq, kEntries + 1);
        QVERIFY(m_log->verify()->intact());
    }

    void personalDataIsRefused()
    {
        const auto appended = m_log->append(QStringLiteral("Jane Doe"), QStringLiteral("credential.saved"),
                                            QStringLiteral("credential:idexx"), QStringLiteral("ok"));
        QVERIFY(!appended.has_value());
        QCOMPARE(appended.error().code, QStringLiteral("audit_field_invalid"));
        QCOMPARE(m_log->head()->value().seq, kEntries);
    }

    void triggersRefuseRewritingFromNormalCode()
    {
        const auto updated =
            m_db->execute(QStringLiteral("UPDATE audit_log SET outcome = 'failed' WHERE seq = 3"));
        QVERIFY(!updated.has_value());
        QVERIFY2(updated.error().message.contains(QStringLiteral("append-only")),
                 qPrintable(updated.error().message));
        const auto deleted = m_db->execute(QStringLiteral("DELETE FROM audit_log WHERE seq = 8"));
        QVERIFY(!deleted.has_value());
        QVERIFY2(deleted.error().message.contains(QStringLiteral("append-only")),
                 qPrintable(deleted.error().message));
        const AuditEntry last = entry(kEntries);
        const auto skipped = m_db->execute(
            QStringLiteral("INSERT INTO audit_log (seq, at, actor, action, target, outcome, prev_hash, hash) "
                           "VALUES (?, ?, 'agent', 'x', 'y', 'ok', ?, ?)"),
            {kEntries + 2, last.at, last.hash, last.hash});
        QVERIFY(!skipped.has_value());
        QVERIFY(m_log->verify()->intact());
        QCOMPARE(entry(3).outcome, QStringLiteral("ok"));
    }

    void changedEntryIsNamed()
    {
        dropTriggers();
        sql(QStringLiteral("UPDATE audit_log SET outcome = 'failed' WHERE seq = 4"));
        expectBreak(AuditBreak::Changed, 4);
    }

    void deletedEntryIsNamed()
    {
        dropTriggers();
        sql(QStringLiteral("DELETE FROM audit_log WHERE seq = 5"));
        expectBreak(AuditBreak::Missing, 5);
    }

    void swappedEntriesAreNamed()
    {
        dropTriggers();
        const AuditEntry third = entry(3);
        const AuditEntry fourth = entry(4);
        const QString set =
            QStringLiteral("UPDATE audit_log SET at = ?, actor = ?, action = ?, target = ?, outcome = ?, "
                           "prev_hash = ?, hash = ? WHERE seq = ?");
        for (const auto& [from, to] : {std::pair{fourth, qint64(3)}, std::pair{third, qint64(4)}})
            sql(set,
                {from.at, from.actor, from.action, from.target, from.outcome, from.prevHash, from.hash, to});
        expectBreak(AuditBreak::Reordered, 3);
        QCOMPARE(m_log->verify()->relatedSeq, 4);
    }

    void entryRehashedWithoutTheKeyIsNamed()
    {
        dropTriggers();
        AuditEntry forged = entry(6);
        forged.actor = QStringLiteral("user:someone-else");
        forged.hash = audit_chain::entryHash(randomBytes(audit_chain::kKeySize), forged); // a guessed key
        sql(QStringLiteral("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 6"),
            {forged.actor, forged.hash});
        // ...and the next entry relinked to the forged hash, to hide the seam.
        sql(QStringLiteral("UPDATE audit_log SET prev_hash = ? WHERE seq = 7"), {forged.hash});
        expectBreak(AuditBreak::Changed, 6);
    }

    void truncationBelowTheAnchorIsNamed()
    {
        QVERIFY(m_log->recordAcknowledged(7).has_value()); // the backend acknowledged through seq 7
        QCOMPARE(m_log->storedAnchor()->value(), (AuditAnchor{7, entry(7).hash}));
        dropTriggers();
        sql(QStringLiteral("DELETE FROM audit_log WHERE seq >= 6"));

        const AuditVerification v = verifyAuditChain(*m_log);
        QCOMPARE(v.exitCode, AuditVerification::kBroken);
        QVERIFY2(v.message.startsWith(QStringLiteral("audit log broken at entry 6 (log_truncated)")),
                 qPrintable(v.message));
        QVERIFY(v.report.has_value());
        QCOMPARE(v.report->problem, AuditBreak::Truncated);

        // Without an anchor a clean cut of the tail looks like a shorter log: that is what anchors are for.
        const auto unanchored = m_log->verify();
        QVERIFY(unanchored->intact());
        QCOMPARE(unanchored->headSeq, 5);
    }

    void anchorGivenOnTheCommandLineCatchesTruncation()
    {
        const AuditAnchor fromBackend{kEntries, entry(kEntries).hash};
        dropTriggers();
        sql(QStringLiteral("DELETE FROM audit_log WHERE seq = ?"), {kEntries});
        sql(QStringLiteral("DELETE FROM kv WHERE key = ?"),
            {AuditLog::kAnchorKvKey}); // no local anchor either
        const AuditVerification v = verifyAuditChain(*m_log, fromBackend);
        QCOMPARE(v.exitCode, AuditVerification::kBroken);
        QCOMPARE(v.report->firstBadSeq, kEntries);
        QCOMPARE(v.report->problem, AuditBreak::Truncated);
    }

    // Someone with both keys can rebuild a consistent chain; the anchor still tells.
    void rebuildWithTheKeyIsCaughtByTheAnchor()
    {
        QVERIFY(m_log->recordAcknowledged(kEntries).has_value());
        dropTriggers();
        QString previous = entry(4).hash;
        for (qint64 seq = 5; seq <= kEntries; ++seq) {
            AuditEntry e = entry(seq);
            if (seq == 5)
                e.outcome = QStringLiteral("failed");
            e.prevHash = previous;
            e.hash = audit_chain::entryHash(m_auditKey, e);
            previous = e.hash;
            sql(QStringLiteral("UPDATE audit_log SET outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?"),
                {e.outcome, e.prevHash, e.hash, seq});
        }
        QVERIFY(m_log->verify()->intact()); // no anchor: indistinguishable
        const AuditVerification v = verifyAuditChain(*m_log);
        QCOMPARE(v.exitCode, AuditVerification::kBroken);
        QCOMPARE(v.report->problem, AuditBreak::AnchorMismatch);
        QCOMPARE(v.report->firstBadSeq, kEntries);
    }

    void anotherKeyFailsAtTheFirstEntry()
    {
        AuditLog withOtherKey(*m_db, randomBytes(audit_chain::kKeySize), m_clock);
        const auto report = withOtherKey.verify();
        QVERIFY(report.has_value());
        QCOMPARE(report->problem, AuditBreak::Changed);
        QCOMPARE(report->firstBadSeq, 1);
        const AuditVerification v = verifyAuditChain(withOtherKey);
        QCOMPARE(v.exitCode, AuditVerification::kBroken);
        QVERIFY2(v.message.contains(QStringLiteral("entry 1 ")), qPrintable(v.message));
    }

    void verificationExitCodes()
    {
        QVERIFY(m_log->recordAcknowledged(6).has_value());
        const AuditVerification intact = verifyAuditChain(*m_log);
        QCOMPARE(intact.exitCode, AuditVerification::kIntact);
        QCOMPARE(intact.message,
                 QStringLiteral("audit log intact: 8 entries, head seq 8, anchored at seq 6"));

        AuditLog shortKey(*m_db, QByteArray(16, 'k'), m_clock);
        const AuditVerification noKey = verifyAuditChain(shortKey);
        QCOMPARE(noKey.exitCode, AuditVerification::kCannotVerify);
        QVERIFY2(noKey.message.contains(QStringLiteral("audit_key_invalid")), qPrintable(noKey.message));

        sql(QStringLiteral("UPDATE kv SET value = 'garbage' WHERE key = ?"), {AuditLog::kAnchorKvKey});
        const AuditVerification corrupt = verifyAuditChain(*m_log);
        QCOMPARE(corrupt.exitCode, AuditVerification::kCannotVerify);
        QVERIFY2(corrupt.message.contains(QStringLiteral("audit_anchor_corrupt")),
                 qPrintable(corrupt.message));
    }

    void anchorsAreCheckedAndOnlyMoveForward()
    {
        QCOMPARE(m_log->recordAnchor({3, entry(4).hash}).error().code,
                 QStringLiteral("audit_anchor_mismatch"));
        QCOMPARE(m_log->recordAnchor({99, entry(4).hash}).error().code,
                 QStringLiteral("audit_entry_unknown"));
        QCOMPARE(m_log->recordAnchor({0, entry(4).hash}).error().code,
                 QStringLiteral("audit_anchor_invalid"));
        QCOMPARE(m_log->recordAcknowledged(99).error().code, QStringLiteral("audit_entry_unknown"));
        QVERIFY(!m_log->storedAnchor()->has_value());

        QVERIFY(m_log->recordAnchor({6, entry(6).hash}).has_value());
        QVERIFY(m_log->recordAcknowledged(4).has_value()); // a late, older acknowledgement
        QCOMPARE(m_log->storedAnchor()->value().seq, 6);
        QVERIFY(m_log->recordAcknowledged(8).has_value());
        QCOMPARE(m_log->storedAnchor()->value(), (AuditAnchor{8, entry(8).hash}));
    }

    void anchorOptionParses()
    {
        const QString hash = entry(2).hash;
        QCOMPARE(parseAuditAnchor(QStringLiteral(" 2:") + hash.toUpper()).value(), (AuditAnchor{2, hash}));
        QCOMPARE(parseAuditAnchor(QStringLiteral("2")).error().code, QStringLiteral("audit_anchor_invalid"));
    }
};

QTEST_GUILESS_MAIN(TstAuditLog)
#include "tst_audit_log.moc"
