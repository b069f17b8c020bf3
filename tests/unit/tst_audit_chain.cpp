// The audit chain's canonical encoding and HMAC (pinned against an independent computation), the field
// rules that keep personal data out, and AuditChainVerifier's diagnosis of each kind of tampering.

#include "storage/audit_chain.h"
#include "storage/audit_verifier.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace odis::storage;

Q_DECLARE_METATYPE(odis::storage::AuditEntry)
Q_DECLARE_METATYPE(odis::storage::AuditAnchor)

namespace {

const QByteArray kKey =
    QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const QByteArray kOtherKey(32, '\x42');

AuditEntry firstEntry()
{
    return AuditEntry{1,
                      QStringLiteral("2026-03-10T12:00:00.000Z"),
                      QStringLiteral("user:local"),
                      QStringLiteral("credential.saved"),
                      QStringLiteral("credential:idexx"),
                      QStringLiteral("ok"),
                      audit_chain::kGenesisHash,
                      {}};
}

// A valid chain of `count` entries under `key`.
QList<AuditEntry> chain(int count, const QByteArray& key = kKey)
{
    QList<AuditEntry> entries;
    QString previous = audit_chain::kGenesisHash;
    for (int i = 1; i <= count; ++i) {
        AuditEntry e{i,
                     QStringLiteral("2026-03-10T12:%1:00.000Z").arg(i % 60, 2, 10, QLatin1Char('0')),
                     QStringLiteral("agent"),
                     QStringLiteral("sync.completed"),
                     QStringLiteral("run:%1").arg(i),
                     QStringLiteral("ok"),
                     previous,
                     {}};
        e.hash = audit_chain::entryHash(key, e);
        previous = e.hash;
        entries.append(e);
    }
    return entries;
}

AuditReport run(const QList<AuditEntry>& entries, const QList<AuditAnchor>& anchors = {},
                const QByteArray& key = kKey)
{
    qint64 highest = 0;
    for (const AuditEntry& e : entries)
        highest = qMax(highest, e.seq);
    AuditChainVerifier verifier(key, highest, anchors);
    for (const AuditEntry& e : entries) {
        if (!verifier.feed(e))
            break;
    }
    return verifier.finish();
}

} // namespace

class TstAuditChain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The expected bytes and MAC were computed outside this code base (a Python struct.pack of the
    // documented layout, then `openssl dgst -sha256 -mac HMAC`), so they pin the specification.
    void canonicalEncodingIsPinned()
    {
        const QByteArray expected = QByteArray::fromHex(
            "0000000d6f6469732d61756469742d7631000000013100000018323032362d30332d31305431323a30303a30302e3030"
            "305a0000000a757365723a6c6f63616c0000001063726564656e7469616c2e73617665640000001063726564656e7469"
            "616c3a6964657878000000026f6b00000040" +
            QByteArray(64, '0').toHex());
        QCOMPARE(audit_chain::canonicalEncoding(firstEntry()).toHex(), expected.toHex());
        QCOMPARE(audit_chain::entryHash(kKey, firstEntry()),
                 QStringLiteral("2d46153e2585ab45d868f72c414a6b8811e954fc0e44a8de52defaf8fb292c8e"));
    }

    void hashIgnoresStoredHashAndCoversEveryField_data()
    {
        QTest::addColumn<QString>("field");
        for (const char* f : {"seq", "at", "actor", "action", "target", "outcome", "prev_hash"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void hashIgnoresStoredHashAndCoversEveryField()
    {
        QFETCH(QString, field);
        AuditEntry e = firstEntry();
        e.hash = audit_chain::entryHash(kKey, e);
        QVERIFY(audit_chain::hashMatches(kKey, e));
        QVERIFY(!audit_chain::hashMatches(kOtherKey, e));
        if (field == QLatin1String("seq"))
            e.seq = 2;
        else if (field == QLatin1String("at"))
            e.at = QStringLiteral("2026-03-10T12:00:00.001Z");
        else if (field == QLatin1String("actor"))
            e.actor = QStringLiteral("user:locam");
        else if (field == QLatin1String("action"))
            e.action = QStringLiteral("credential.deleted");
        else if (field == QLatin1String("target"))
            e.target = QStringLiteral("credential:idexy");
        else if (field == QLatin1String("outcome"))
            e.outcome = QStringLiteral("failed");
        else
            e.prevHash = QString(64, QLatin1Char('1'));
        QVERIFY(!audit_chain::hashMatches(kKey, e));
    }

    // Moving characters across a field boundary changes the encoding: lengths are part of it.
    void fieldBoundariesAreUnambiguous()
    {
        AuditEntry a = firstEntry();
        a.actor = QStringLiteral("user:lo");
        a.action = QStringLiteral("calcredential.saved");
        AuditEntry b = firstEntry();
        b.actor = QStringLiteral("user:local");
        b.action = QStringLiteral("credential.saved");
        QCOMPARE(a.actor + a.action, b.actor + b.action);
        QVERIFY(audit_chain::canonicalEncoding(a) != audit_chain::canonicalEncoding(b));
        QVERIFY(audit_chain::entryHash(kKey, a) != audit_chain::entryHash(kKey, b));
    }

    void toJsonHasTheContractShape()
    {
        AuditEntry e = firstEntry();
        e.hash = audit_chain::entryHash(kKey, e);
        const QJsonObject json = e.toJson();
        QCOMPARE(json.keys(),
                 (QStringList{QStringLiteral("action"), QStringLiteral("actor"), QStringLiteral("at"),
                              QStringLiteral("hash"), QStringLiteral("outcome"), QStringLiteral("prev_hash"),
                              QStringLiteral("seq"), QStringLiteral("target")}));
        QCOMPARE(json.value(QStringLiteral("seq")).toInteger(), 1);
        QCOMPARE(json.value(QStringLiteral("prev_hash")).toString(), audit_chain::kGenesisHash);
        QCOMPARE(json.value(QStringLiteral("hash")).toString(), e.hash);
    }

    void fieldRules_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("user id") << QStringLiteral("user:local") << true;
        QTest::newRow("dotted action") << QStringLiteral("credential.rotated") << true;
        QTest::newRow("outcome with code") << QStringLiteral("failed:keychain_denied") << true;
        QTest::newRow("path-like id") << QStringLiteral("export/diagnostics-2026-03-10") << true;
        QTest::newRow("128 characters") << QString(128, QLatin1Char('a')) << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("129 characters") << QString(129, QLatin1Char('a')) << false;
        QTest::newRow("a person's name") << QStringLiteral("Jane Doe") << false;
        QTest::newRow("an e-mail address") << QStringLiteral("jane@example.com") << false;
        QTest::newRow("a phone number") << QStringLiteral("+1 555 0100") << false;
        QTest::newRow("a line break") << QStringLiteral("ok\nforged") << false;
        QTest::newRow("non-ASCII letter") << QStringLiteral("user:j\u00e9r\u00f4me") << false;
    }
    void fieldRules()
    {
        QFETCH(QString, value);
        QFETCH(bool, accepted);
        const auto checked = audit_chain::checkField("actor", value);
        QCOMPARE(checked.has_value(), accepted);
        if (!accepted) {
            QCOMPARE(checked.error().code, QStringLiteral("audit_field_invalid"));
            if (!value.isEmpty())
                QVERIFY(!checked.error().message.contains(value)); // the message never repeats the value
        }
    }

    void anchorText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seq"); // 0: refused
        const QString h(64, QLatin1Char('a'));
        QTest::newRow("plain") << (QStringLiteral("42:") + h) << qint64(42);
        QTest::newRow("upper-case hex") << (QStringLiteral("7:") + h.toUpper()) << qint64(7);
        QTest::newRow("seq 0") << (QStringLiteral("0:") + h) << qint64(0);
        QTest::newRow("negative seq") << (QStringLiteral("-3:") + h) << qint64(0);
        QTest::newRow("signed seq") << (QStringLiteral("+3:") + h) << qint64(0);
        QTest::newRow("short hash") << (QStringLiteral("3:") + h.chopped(1)) << qint64(0);
        QTest::newRow("not hex") << (QStringLiteral("3:") + QString(64, QLatin1Char('g'))) << qint64(0);
        QTest::newRow("no colon") << h << qint64(0);
        QTest::newRow("empty") << QString() << qint64(0);
    }
    void anchorText()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seq);
        const auto anchor = audit_chain::anchorFromText(text);
        QCOMPARE(anchor.has_value(), seq != 0);
        if (anchor) {
            QCOMPARE(anchor->seq, seq);
            QCOMPARE(anchor->hash, QString(64, QLatin1Char('a')));
            QCOMPARE(audit_chain::anchorFromText(audit_chain::anchorToText(*anchor)), anchor);
        }
    }

    void intactChainVerifies()
    {
        const auto entries = chain(40);
        const AuditReport report = run(entries, {AuditAnchor{40, entries.last().hash}});
        QVERIFY2(report.intact(), qPrintable(report.summary()));
        QCOMPARE(report.entries, 40);
        QCOMPARE(report.headSeq, 40);
        QCOMPARE(report.headHash, entries.last().hash);
        QCOMPARE(report.anchoredSeq, 40);
        QVERIFY(report.summary().startsWith(QStringLiteral("audit log intact: 40 entries")));
        QVERIFY(run({}).intact());
    }

    // Each kind of damage is named with the first bad seq.
    void tamperingIsDiagnosed_data()
    {
        QTest::addColumn<QList<AuditEntry>>("entries");
        QTest::addColumn<QList<AuditAnchor>>("anchors");
        QTest::addColumn<int>("problem");
        QTest::addColumn<qint64>("firstBad");
        QTest::addColumn<qint64>("related");
        const auto good = chain(10);

        auto changed = good;
        changed[4].outcome = QStringLiteral("failed");
        QTest::newRow("field changed")
            << changed << QList<AuditAnchor>{} << int(AuditBreak::Changed) << qint64(5) << qint64(0);

        auto forged = good;
        forged[6].actor = QStringLiteral("user:attacker");
        forged[6].hash = audit_chain::entryHash(kOtherKey, forged[6]); // rehashed without the real key
        QTest::newRow("rehashed with another key")
            << forged << QList<AuditAnchor>{} << int(AuditBreak::Changed) << qint64(7) << qint64(0);

        auto deleted = good;
        deleted.removeAt(3);
        QTest::newRow("one deleted") << deleted << QList<AuditAnchor>{} << int(AuditBreak::Missing)
                                     << qint64(4) << qint64(5);

        auto deletedRun = good;
        deletedRun.remove(2, 3);
        QTest::newRow("three deleted")
            << deletedRun << QList<AuditAnchor>{} << int(AuditBreak::Missing) << qint64(3) << qint64(6);

        auto headless = good.mid(2);
        QTest::newRow("first two deleted")
            << headless << QList<AuditAnchor>{} << int(AuditBreak::Missing) << qint64(1) << qint64(3);

        auto swapped = good; // contents of 3 and 4 exchanged, seqs left in place
        std::swap(swapped[2], swapped[3]);
        std::swap(swapped[2].seq, swapped[3].seq);
        QTest::newRow("two swapped") << swapped << QList<AuditAnchor>{} << int(AuditBreak::Reordered)
                                     << qint64(3) << qint64(4);

        auto relinked = good; // a valid entry whose prev_hash points elsewhere: only possible with the key
        relinked[5].prevHash = good[3].hash;
        relinked[5].hash = audit_chain::entryHash(kKey, relinked[5]);
        QTest::newRow("broken link") << relinked << QList<AuditAnchor>{} << int(AuditBreak::BrokenLink)
                                     << qint64(6) << qint64(0);

        QTest::newRow("tail below anchor") << good.first(7) << QList<AuditAnchor>{{9, good[8].hash}}
                                           << int(AuditBreak::Truncated) << qint64(8) << qint64(9);
        QTest::newRow("all below anchor") << QList<AuditEntry>{} << QList<AuditAnchor>{{2, good[1].hash}}
                                          << int(AuditBreak::Truncated) << qint64(1) << qint64(2);

        const auto rewritten =
            chain(10, kOtherKey); // a whole new chain: consistent, but not the anchored one
        QTest::newRow("rewritten under anchor") << rewritten << QList<AuditAnchor>{{6, good[5].hash}}
                                                << int(AuditBreak::Changed) << qint64(1) << qint64(0);
        auto replaced = good; // the key holder rebuilt from 6 on
        replaced[5].target = QStringLiteral("run:forged");
        for (int i = 5; i < replaced.size(); ++i) {
            replaced[i].prevHash = replaced[i - 1].hash;
            replaced[i].hash = audit_chain::entryHash(kKey, replaced[i]);
        }
        QTest::newRow("rebuilt with the key") << replaced << QList<AuditAnchor>{{8, good[7].hash}}
                                              << int(AuditBreak::AnchorMismatch) << qint64(8) << qint64(8);
    }
    void tamperingIsDiagnosed()
    {
        QFETCH(QList<AuditEntry>, entries);
        QFETCH(QList<AuditAnchor>, anchors);
        QFETCH(int, problem);
        QFETCH(qint64, firstBad);
        QFETCH(qint64, related);
        const AuditReport report = run(entries, anchors);
        QVERIFY(!report.intact());
        QCOMPARE(auditBreakCode(report.problem), auditBreakCode(AuditBreak(problem)));
        QCOMPARE(report.firstBadSeq, firstBad);
        QCOMPARE(report.relatedSeq, related);
        QVERIFY2(report.summary().startsWith(QStringLiteral("audit log broken at entry %1 (").arg(firstBad)),
                 qPrintable(report.summary()));
        QCOMPARE(report.entries, firstBad - 1);
    }

    // A planted row with an enormous seq must not make the diagnosis of an edited entry search forever.
    void reorderSearchIsBounded()
    {
        auto entries = chain(5);
        entries[1].outcome = QStringLiteral("failed");
        AuditChainVerifier verifier(kKey, std::numeric_limits<qint64>::max() - 1, {});
        QElapsedTimer timer;
        timer.start();
        QVERIFY(verifier.feed(entries[0]));
        QVERIFY(!verifier.feed(entries[1]));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(verifier.finish().problem, AuditBreak::Changed);
        QCOMPARE(verifier.finish().firstBadSeq, 2);

        // Moves far apart (but within the window) are still recognised as moves.
        auto log = chain(30);
        std::swap(log[2], log[24]);
        std::swap(log[2].seq, log[24].seq);
        const AuditReport report = run(log);
        QCOMPARE(report.problem, AuditBreak::Reordered);
        QCOMPARE(report.firstBadSeq, 3);
        QCOMPARE(report.relatedSeq, 25);
    }

    void wrongKeyFailsAtTheFirstEntry()
    {
        const AuditReport report = run(chain(5), {}, kOtherKey);
        QCOMPARE(report.problem, AuditBreak::Changed);
        QCOMPARE(report.firstBadSeq, 1);
    }
};

QTEST_APPLESS_MAIN(TstAuditChain)
#include "tst_audit_chain.moc"
