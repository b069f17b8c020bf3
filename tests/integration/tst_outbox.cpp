// The outbox on a real SQLCipher store: queueing inside the run's transaction, supersession, and batch
// formation within the contract's limits (500 items, 2 MiB measured gzipped), frozen batches that
// survive a restart byte for byte.

#include "sync/backend/gzip_body.h"
#include "sync/backend/utc_text.h"
#include "sync/core/canonical_json.h"
#include "tests/integration/outbox_store_harness.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

using odis::test::appointmentItem;

class TestOutbox : public QObject, public odis::test::OutboxStoreHarness
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    void enqueueOnlyInsideTheCallersTransaction()
    {
        Outbox outbox(*m_db, m_clock);
        const auto outside = outbox.enqueue(appointmentItem(1, m_clock.nowUtc()));
        QVERIFY(!outside);
        QCOMPARE(outside.error().code, QStringLiteral("outbox_not_in_transaction"));
        // Written with what it belongs to, or not at all.
        const auto rolledBack = m_db->transaction([&]() -> odis::Status {
            if (auto q = outbox.enqueue(appointmentItem(1, m_clock.nowUtc())); !q)
                return q;
            return odis::fail(QStringLiteral("run_failed"), QStringLiteral("a later step of the run failed"));
        });
        QVERIFY(!rolledBack);
        QCOMPARE(*outbox.depth(), 0);
        enqueue(outbox, {appointmentItem(1, m_clock.nowUtc())});
        QCOMPARE(*outbox.depth(), 1);
    }

    void enqueueRefusesWhatTheBackendWouldReject_data()
    {
        QTest::addColumn<int>("breakage");
        QTest::newRow("version of other bytes") << 0;
        QTest::newRow("payload not an object") << 1;
        QTest::newRow("key of another kind") << 2;
        QTest::newRow("no observation time") << 3;
    }
    void enqueueRefusesWhatTheBackendWouldReject()
    {
        QFETCH(int, breakage);
        Outbox outbox(*m_db, m_clock);
        OutboxItem item = appointmentItem(7, m_clock.nowUtc());
        if (breakage == 0)
            item.version = appointmentItem(8, m_clock.nowUtc()).version;
        if (breakage == 1) {
            item.payload = "[1,2]";
            item.version = odis::sync::sha256Hex(item.payload);
        }
        if (breakage == 2)
            item.key = QStringLiteral("consultation:7");
        if (breakage == 3)
            item.observedAt = QDateTime();
        const auto queued = odis::test::enqueueAll(*m_db, outbox, {item});
        QVERIFY(!queued);
        QCOMPARE(queued.error().code, QStringLiteral("outbox_item_invalid"));
    }

    void newerVersionSupersedesPendingButNotFrozen()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        const OutboxItem v1 = appointmentItem(5, m_clock.nowUtc(), 1);
        const OutboxItem v2 = appointmentItem(5, m_clock.nowUtc().addSecs(60), 2);
        enqueue(outbox, {v1});
        enqueue(outbox, {v1}); // the same version again: nothing changes
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox")), 1);
        enqueue(outbox, {v2});
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox")), 1);
        QCOMPARE(m_db->scalar(QStringLiteral("SELECT version FROM outbox"))->toString(), v2.version);

        // v2 frozen in a batch; v3 waits behind it; back to v2's content: the newest queued is v3, so v2 is
        // queued again (v3 superseded) while the frozen v2 goes as it is.
        const auto batch = form(batches);
        QVERIFY(batch);
        const OutboxItem v3 = appointmentItem(5, m_clock.nowUtc().addSecs(120), 3);
        enqueue(outbox, {v3});
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox")), 2);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE batch_id IS NOT NULL")), 1);
        const OutboxItem v2Again = appointmentItem(5, m_clock.nowUtc().addSecs(180), 2);
        enqueue(outbox, {v2Again});
        const auto rows = m_db->query(
            QStringLiteral("SELECT version, batch_id IS NULL, observed_at FROM outbox ORDER BY id"));
        QVERIFY(rows);
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).at(0).toString(), v2.version);
        QCOMPARE(rows->at(0).at(1).toInt(), 0); // frozen, untouched
        QCOMPARE(rows->at(1).at(0).toString(), v2.version);
        QCOMPARE(rows->at(1).at(1).toInt(), 1);
        QCOMPARE(rows->at(1).at(2).toString(), odis::sync::utcText(v2Again.observedAt));
    }

    void batchesRespectTheItemLimit()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        enqueue(outbox, items(1, 1200));
        QList<int> sizes;
        while (const auto batch = form(batches))
            sizes.append(batch->itemCount);
        QCOMPARE(sizes, (QList<int>{500, 500, 200}));
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE batch_id IS NULL")), 0);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox_batches")), 3);
        QCOMPARE(*outbox.depth(), 1200); // frozen items still wait for their answer
    }

    void batchesRespectTheGzippedByteLimit()
    {
        Outbox outbox(*m_db, m_clock);
        const odis::sync::BatchLimits limits{500, 64 * 1024};
        OutboxBatches batches(*m_db, m_clock, limits);
        QList<OutboxItem> bulky;
        for (int i = 0; i < 60; ++i)
            bulky.append(odis::test::bulkyAppointmentItem(100 + i, m_clock.nowUtc(), 6000));
        enqueue(outbox, bulky);
        int total = 0;
        int batchesFormed = 0;
        while (const auto batch = form(batches)) {
            ++batchesFormed;
            total += batch->itemCount;
            auto body = batches.body(batch->batchId);
            QVERIFY(body);
            auto wire = odis::sync::wireBody(*body);
            QVERIFY(wire && wire->gzipped);
            QVERIFY2(wire->bytes.size() <= limits.maxWireBytes,
                     qPrintable(QString::number(wire->bytes.size())));
            if (total == 60)
                break;
            // Full: one more item would not have fitted (the limit binds, not the item count).
            QVERIFY(wire->bytes.size() > limits.maxWireBytes - 2 * 6000);
        }
        QCOMPARE(total, 60);
        QVERIFY(batchesFormed >= 4);
    }

    void anItemTooLargeAloneGoesToTheFailedQueue()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock, odis::sync::BatchLimits{500, 16 * 1024});
        enqueue(outbox, {odis::test::bulkyAppointmentItem(1, m_clock.nowUtc(), 40'000),
                         appointmentItem(2, m_clock.nowUtc())});
        const auto batch = form(batches);
        QVERIFY(batch);
        QCOMPARE(batch->itemCount, 1);
        QCOMPARE(*outbox.failedCount(), 1);
        const auto failed = outbox.failedItems();
        QVERIFY(failed);
        QCOMPARE(failed->first().key, QStringLiteral("appointment:1"));
        QCOMPARE(failed->first().lastError, OutboxBatches::kItemTooLarge);
        // Counted as rejected by the run that formed the batch (form() uses "run-1").
        const auto tally = batches.tally(QStringLiteral("run-1"));
        QVERIFY(tally);
        QCOMPARE(tally->acknowledged, 0);
        QCOMPARE(tally->rejected, 1);
    }

    void frozenBatchIsTheSameBodyAfterARestart()
    {
        QByteArray before;
        QString batchId;
        {
            Outbox outbox(*m_db, m_clock);
            OutboxBatches batches(*m_db, m_clock);
            enqueue(outbox, items(1, 30));
            const auto batch = form(batches);
            QVERIFY(batch);
            batchId = batch->batchId;
            before = *batches.body(batchId);
        }
        reopen(); // the process died between sending and reading the answer
        m_clock.advanceSecs(3600);
        OutboxBatches batches(*m_db, m_clock);
        const auto frozen = batches.nextFrozen();
        QVERIFY(frozen && *frozen);
        QCOMPARE((*frozen)->batchId, batchId);
        QCOMPARE((*frozen)->itemCount, 30);
        QCOMPARE(*batches.body(batchId), before);
        const QJsonObject body = QJsonDocument::fromJson(before).object();
        QCOMPARE(body.value(QStringLiteral("batch_id")).toString(), batchId);
        QCOMPARE(body.value(QStringLiteral("sent_at")).toString(),
                 QStringLiteral("2026-03-10T12:00:00.000Z"));
        QCOMPARE(body.value(QStringLiteral("clinic_id")).toString(), QStringLiteral("clinic-1"));
        QCOMPARE(body.value(QStringLiteral("items")).toArray().size(), 30);
        // The payload goes exactly as stored: its version is the hash of those bytes.
        const OutboxItem first = appointmentItem(1, QDateTime());
        QVERIFY(before.contains(QByteArray(QByteArray("\"payload\":") + first.payload + ",\"version\":\"" +
                                           first.version.toLatin1())));
    }
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
