// What answers do to the outbox on a real SQLCipher store: acknowledged items deleted, rejected ones in
// the failed queue (listed, retried, superseded), 413 splits down to one item, the 24 h age alert, and
// the install wipe of deprovisioning (real keychain: scripts/in-private-session.sh).

#include "storage/keychain_store.h"
#include "sync/backend/install_wipe.h"
#include "tests/integration/outbox_store_harness.h"

#include <QStandardPaths>
#include <QTest>

using odis::test::answer;
using odis::test::appointmentItem;

class TestOutboxResults : public QObject, public odis::test::OutboxStoreHarness
{
    Q_OBJECT

    static inline const QString kRun = QStringLiteral("run-1");

    static std::pair<qint64, qint64> tallyOf(OutboxBatches& batches, const QString& runId)
    {
        const auto tally = batches.tally(runId);
        if (!tally)
            qFatal("tally: %s", qPrintable(tally.error().toString()));
        return {tally->acknowledged, tally->rejected};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    void resultsDeleteAcknowledgedAndParkRejected()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        const QList<OutboxItem> list = items(1, 4);
        enqueue(outbox, list);
        const auto batch = form(batches);
        QVERIFY(batch);
        // Not about this batch: refused, nothing changes.
        QVERIFY(!batches.applyResults(QUuid::createUuid().toString(QUuid::WithoutBraces),
                                      answer(batch->batchId, {}), kRun));
        const auto wrong = batches.applyResults(batch->batchId, answer(QStringLiteral("other"), {}), kRun);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, QStringLiteral("backend_bad_response"));

        const auto applied = batches.applyResults(
            batch->batchId,
            answer(batch->batchId, {{list[0].key, list[0].version, QStringLiteral("stored")},
                                    {list[1].key, list[1].version, QStringLiteral("unchanged")},
                                    {list[2].key, list[2].version, QStringLiteral("rejected")}}),
            kRun);
        QVERIFY(applied);
        QCOMPARE(applied->acknowledged, 2);
        QCOMPARE(applied->rejected, 1);
        QCOMPARE(applied->missing, 1);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox_batches")), 0);
        QCOMPARE(*outbox.depth(), 1); // the missing one, pending again
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE dead = 0 AND batch_id IS NULL")), 1);
        const auto failed = outbox.failedItems();
        QVERIFY(failed);
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().key, list[2].key);
        QCOMPARE(failed->first().lastError, QStringLiteral("invalid_payload (payload.date)"));
        QCOMPARE(failed->first().failedAt, m_clock.nowUtc());
        // The refused answers counted nothing; the applied one counts in the run's tally.
        QCOMPARE(tallyOf(batches, kRun), std::make_pair(qint64(2), qint64(1)));
        QCOMPARE(tallyOf(batches, QStringLiteral("run-never")), std::make_pair(qint64(0), qint64(0)));
    }

    // A backend answering a rejection with garbage in its error code or field (megabytes, markup, a
    // clinic's data, wrong types): the item is still rejected, and the failed queue keeps only what has the
    // contract's form (docs/openapi/agent-api-v1.yaml: a snake_case code).
    void hostileRejectionKeepsOnlyTheContractsForm_data()
    {
        QTest::addColumn<QJsonValue>("error");
        QTest::addColumn<QJsonValue>("field");
        QTest::addColumn<QString>("kept");
        const QJsonValue date(QStringLiteral("payload.date"));
        QTest::newRow("contract's form") << QJsonValue(QStringLiteral("invalid_value")) << date
                                         << QStringLiteral("invalid_value (payload.date)");
        QTest::newRow("1 MB code") << QJsonValue(QString(1 << 20, u'a')) << date
                                   << QStringLiteral("unreadable_error_code (payload.date)");
        QTest::newRow("markup code") << QJsonValue(QStringLiteral("<script>alert(1)</script>"))
                                     << QJsonValue() << QStringLiteral("unreadable_error_code");
        QTest::newRow("SQL in the code") << QJsonValue(QStringLiteral("x'); DROP TABLE outbox; --")) << date
                                         << QStringLiteral("unreadable_error_code (payload.date)");
        QTest::newRow("code a number") << QJsonValue(42) << date << QStringLiteral("rejected (payload.date)");
        QTest::newRow("code null") << QJsonValue(QJsonValue::Null) << QJsonValue()
                                   << QStringLiteral("rejected");
        QTest::newRow("note text in the field")
            << QJsonValue(QStringLiteral("invalid_value"))
            << QJsonValue(QStringLiteral("Biscuit limps, call Jane")) << QStringLiteral("invalid_value");
        QTest::newRow("field an object")
            << QJsonValue(QStringLiteral("invalid_value"))
            << QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}) << QStringLiteral("invalid_value");
    }
    void hostileRejectionKeepsOnlyTheContractsForm()
    {
        QFETCH(QJsonValue, error);
        QFETCH(QJsonValue, field);
        QFETCH(QString, kept);
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        const QList<OutboxItem> list = items(1, 1);
        enqueue(outbox, list);
        const auto batch = form(batches);
        QVERIFY(batch);
        QJsonObject result{{QStringLiteral("key"), list[0].key},
                           {QStringLiteral("version"), list[0].version},
                           {QStringLiteral("status"), QStringLiteral("rejected")},
                           {QStringLiteral("error"), error}};
        if (!field.isNull())
            result.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("field"), field}});
        const auto applied =
            batches.applyResults(batch->batchId,
                                 QJsonObject{{QStringLiteral("batch_id"), batch->batchId},
                                             {QStringLiteral("results"), QJsonArray{result}}},
                                 kRun);
        QVERIFY(applied);
        QCOMPARE(applied->rejected, 1);
        const auto failed = outbox.failedItems();
        QVERIFY(failed);
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().lastError, kept);
    }

    // A run killed in the middle of its upload is resumed by another process under the same id: what the
    // first process delivered is still counted, because the tally was written with the deletions.
    void tallyOutlivesTheProcessThatUploaded()
    {
        {
            Outbox outbox(*m_db, m_clock);
            OutboxBatches batches(*m_db, m_clock);
            const QList<OutboxItem> list = items(1, 3);
            enqueue(outbox, list);
            const auto batch = form(batches);
            QVERIFY(batch);
            QVERIFY(batches.applyResults(
                batch->batchId,
                answer(batch->batchId, {{list[0].key, list[0].version, QStringLiteral("stored")},
                                        {list[1].key, list[1].version, QStringLiteral("stored")},
                                        {list[2].key, list[2].version, QStringLiteral("stored")}}),
                kRun));
        }
        reopen();
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        const QList<OutboxItem> more = items(4, 2);
        enqueue(outbox, more);
        const auto batch = form(batches);
        QVERIFY(batch);
        QVERIFY(batches.applyResults(
            batch->batchId,
            answer(batch->batchId, {{more[0].key, more[0].version, QStringLiteral("unchanged")},
                                    {more[1].key, more[1].version, QStringLiteral("rejected")}}),
            kRun));
        QCOMPARE(tallyOf(batches, kRun), std::make_pair(qint64(4), qint64(1)));
        // Another run's uploads are its own.
        enqueue(outbox, items(6, 1));
        const auto other = form(batches);
        QVERIFY(
            batches.failBatch(other->batchId, QStringLiteral("invalid_request"), QStringLiteral("run-2")));
        QCOMPARE(tallyOf(batches, QStringLiteral("run-2")), std::make_pair(qint64(0), qint64(1)));
        QCOMPARE(tallyOf(batches, kRun), std::make_pair(qint64(4), qint64(1)));
    }

    void tooLargeSplitsIntoTwoNewBatches()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        enqueue(outbox, items(1, 5));
        const auto batch = form(batches);
        QVERIFY(batch);
        const auto halves = batches.splitTooLarge(batch->batchId, QStringLiteral("run-2"));
        QVERIFY(halves && *halves);
        QVERIFY((*halves)->first != batch->batchId && (*halves)->second != batch->batchId);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox_batches")), 2);
        QCOMPARE(
            m_db->scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE batch_id = ?"), {(*halves)->first})
                ->toInt(),
            3);
        QCOMPARE(m_db->scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE batch_id = ?"),
                              {(*halves)->second})
                     ->toInt(),
                 2);
        // Sent in order: the first half first.
        QCOMPARE((*batches.nextFrozen())->batchId, (*halves)->first);
        // Down to one item: a single item still too large is parked, not split.
        auto quarter = batches.splitTooLarge((*halves)->second, QStringLiteral("run-2"));
        QVERIFY(quarter && *quarter);
        auto single = batches.splitTooLarge((*quarter)->first, QStringLiteral("run-2"));
        QVERIFY(single && !*single);
        QCOMPARE(*outbox.failedCount(), 1);
        QCOMPARE(tallyOf(batches, QStringLiteral("run-2")), std::make_pair(qint64(0), qint64(1)));
        QCOMPARE(*outbox.depth(), 4);
    }

    void failedQueueIsListedAndRetried()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        enqueue(outbox, items(1, 3));
        const auto batch = form(batches);
        QVERIFY(batches.failBatch(batch->batchId, QStringLiteral("invalid_request"), kRun));
        QCOMPARE(*outbox.failedCount(), 3);
        QCOMPARE(tallyOf(batches, kRun), std::make_pair(qint64(0), qint64(3)));
        QCOMPARE(*outbox.depth(), 0);
        const auto failed = outbox.failedItems();
        QCOMPARE(failed->size(), 3);
        QCOMPARE(failed->first().lastError, QStringLiteral("invalid_request"));
        QCOMPARE(failed->first().attempts, 1);

        QVERIFY(outbox.retryFailed(failed->first().id));
        QCOMPARE(*outbox.failedCount(), 2);
        QCOMPARE(*outbox.depth(), 1);
        const auto missing = outbox.retryFailed(failed->first().id);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("outbox_item_not_found"));

        // A newer version of a failed key queued meanwhile: the failed row is superseded, not revived.
        m_clock.advanceSecs(60);
        const OutboxItem newer = appointmentItem(3, m_clock.nowUtc(), 9);
        enqueue(outbox, {newer});
        QCOMPARE(*outbox.failedCount(), 1); // enqueue superseded the failed appointment:3 (not in a batch)
        QCOMPARE(*outbox.retryAllFailed(), 1);
        QCOMPARE(*outbox.failedCount(), 0);
        QCOMPARE(*outbox.depth(), 3);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE key = 'appointment:3'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT attempts FROM outbox WHERE key = 'appointment:2'")), 0);
    }

    void retryOfAFailedItemWithANewerRowRemovesIt()
    {
        Outbox outbox(*m_db, m_clock);
        OutboxBatches batches(*m_db, m_clock);
        const OutboxItem v1 = appointmentItem(4, m_clock.nowUtc(), 1);
        enqueue(outbox, {v1});
        const auto batch = form(batches);
        enqueue(outbox, {appointmentItem(4, m_clock.nowUtc().addSecs(5), 2)}); // waits behind the frozen v1
        QVERIFY(batches.applyResults(
            batch->batchId, answer(batch->batchId, {{v1.key, v1.version, QStringLiteral("rejected")}}),
            kRun));
        QCOMPARE(*outbox.failedCount(), 1);
        QCOMPARE(*outbox.retryAllFailed(), 0);
        QCOMPARE(*outbox.failedCount(), 0);
        QCOMPARE(*outbox.depth(), 1);
    }

    void ageAlertAfter24Hours()
    {
        Outbox outbox(*m_db, m_clock);
        QCOMPARE(*outbox.isStale(), false);
        QVERIFY(!*outbox.oldestWaitingSince());
        const QDateTime queuedAt = m_clock.nowUtc();
        enqueue(outbox, items(1, 2));
        m_clock.advanceSecs(24 * 3600);
        QCOMPARE(*outbox.isStale(), false);
        QCOMPARE(**outbox.oldestWaitingSince(), queuedAt);
        m_clock.advanceSecs(1);
        QCOMPARE(*outbox.isStale(), true);
        // Failed items wait for a person, not for the backend: they do not age the outbox.
        OutboxBatches batches(*m_db, m_clock);
        const auto batch = form(batches);
        QVERIFY(batches.failBatch(batch->batchId, QStringLiteral("invalid_request"), kRun));
        QCOMPARE(*outbox.isStale(), false);
    }

    void wipeEmptiesTheStoreAndTheKeychain()
    {
        odis::storage::KeychainStore keychain(QUuid::createUuid());
        for (const QString& name :
             {odis::storage::secret::kAgentToken, odis::storage::secret::kDatabaseKey}) {
            auto written = odis::test::awaitCallback<odis::Status>(
                [&](auto done) { keychain.write(name, QByteArray("secret-") + name.toLatin1(), done); });
            QVERIFY(written && *written);
        }
        Outbox outbox(*m_db, m_clock);
        enqueue(outbox, items(1, 10));
        OutboxBatches batches(*m_db, m_clock);
        QVERIFY(form(batches));
        QVERIFY(m_db->execute(
            QStringLiteral("INSERT INTO kv (key, value, updated_at) VALUES ('agent.id', 'a', 'now')")));
        QVERIFY(m_db->execute(QStringLiteral(
            "INSERT INTO clinic_profile (id, etag, body, fetched_at) VALUES (1, 'e', '{}', 'now')")));
        QVERIFY(m_db->execute(QStringLiteral(
            "INSERT INTO upload_tallies (run_id, acknowledged, rejected) VALUES ('run-1', 10, 0)")));
        // Every table of the store is wiped but the audit log (append-only, no clinic data): a table
        // added by a later migration must be added to the wipe too.
        auto tables = m_db->query(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                                 "name NOT LIKE 'sqlite_%' ORDER BY name"));
        QVERIFY(tables);
        QStringList expected;
        for (const QVariantList& row : *tables) {
            // The journal of the backend's commands stays until the store file goes: the deprovision
            // command that wipes must still be acknowledged from it. It holds no clinic data.
            if (row.value(0).toString() != QStringLiteral("audit_log") &&
                row.value(0).toString() != QStringLiteral("remote_commands"))
                expected << row.value(0).toString();
        }
        QStringList wipedTables = odis::sync::installDataTables();
        wipedTables.sort();
        QCOMPARE(wipedTables, expected);

        auto wiped = odis::test::awaitCallback<odis::Status>(
            [&](auto done) { odis::sync::wipeInstallData(*m_db, keychain, done); });
        QVERIFY(wiped);
        QVERIFY2(*wiped, qPrintable(wiped->has_value() ? QString() : wiped->error().toString()));
        for (const QString& table : odis::sync::installDataTables())
            QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM ") + table), 0);
        for (const QString& name :
             {odis::storage::secret::kAgentToken, odis::storage::secret::kDatabaseKey}) {
            auto read = odis::test::awaitCallback<odis::Result<std::optional<QByteArray>>>(
                [&](auto done) { keychain.read(name, done); });
            QVERIFY(read && *read);
            QVERIFY(!**read);
        }
    }
};

QTEST_GUILESS_MAIN(TestOutboxResults)
#include "tst_outbox_results.moc"
