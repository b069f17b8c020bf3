// The outbox uploader against the real backend double over HTTPS, for the answers that are not retried as
// they are: 413 (split), 401 (stop, keep), 403 agent_deprovisioned (wipe), 409 (alert, keep), rejected
// items and 400/422 batches (failed queue, retried after a fix), and the 24 h age alert; nothing lost
// and nothing duplicated in each. Needs the private session's keychain (scripts/in-private-session.sh).

#include "sync/backend/outbox_batches.h"
#include "tests/integration/upload_harness.h"
#include "tests/support/manual_clock.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

using odis::test::appointmentItem;
using odis::test::awaitCallback;
namespace backend_error = odis::sync::backend_error;

class TestOutboxUploadStops : public QObject, public odis::test::UploadHarness
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { startHarness(); }
    void cleanup() { stopHarness(); }

    void tooLargeBatchesAreSplit()
    {
        QList<OutboxItem> items;
        for (int i = 0; i < 120; ++i)
            items.append(odis::test::bulkyAppointmentItem(1 + i, f->clock.nowUtc(), 1500));
        items.append(
            odis::test::bulkyAppointmentItem(500, f->clock.nowUtc(), 60'000)); // too large even alone
        queue(items);
        QCOMPARE(f->adminSend("PUT", QStringLiteral("/config"),
                              QJsonObject{{QStringLiteral("max_batch_bytes"), 40'000}}),
                 200);
        const UploadReport report = upload();
        QCOMPARE(report.outcome, Outcome::Drained);
        QCOMPARE(report.uploaded, 120);
        QCOMPARE(report.rejected, 1);
        QCOMPARE(report.failed, 1);
        QCOMPARE(report.pending, 0);
        const auto failed = m_outbox->failedItems();
        QVERIFY(failed && failed->size() == 1);
        QCOMPARE(failed->first().key, QStringLiteral("appointment:500"));
        QCOMPARE(failed->first().lastError, odis::sync::OutboxBatches::kItemTooLarge);
        const QJsonObject statuses = f->adminGet(QStringLiteral("/requests"))
                                         .value(QStringLiteral("statuses"))
                                         .toObject()
                                         .value(QStringLiteral("batches"))
                                         .toObject();
        QVERIFY(statuses.value(QStringLiteral("413")).toInt() >= 3);
        for (const QJsonValue b : f->receivedBatches())
            QVERIFY(b.toObject().value(QStringLiteral("wire_bytes")).toInteger() <= 40'000);
        ODIS_CHECK(verifyNothingLostNothingDuplicated());
    }

    void revokedTokenStopsAndKeepsEverything()
    {
        queueAppointments(1, 1200);
        // The first batch goes through; then the token is revoked.
        QTimer revoke;
        connect(&revoke, &QTimer::timeout, this, [&] {
            if (f->server->requestLog().count(QStringLiteral("batches")) >= 1) {
                (void)f->server->stores().agents.revokeTokens(m_identity.agentId);
                revoke.stop();
            }
        });
        revoke.start(1);
        const UploadReport report = upload();
        QCOMPARE(report.outcome, Outcome::Stopped);
        QVERIFY(report.error);
        QCOMPARE(report.error->code, backend_error::kAuthRevoked);
        QVERIFY(report.alerts.contains(backend_error::kAuthRevoked));
        QCOMPARE(report.uploaded, 500);
        QCOMPARE(report.pending, 700);
        QCOMPARE(f->outboxRows(), 700);
        QCOMPARE(f->frozenBatches(), 1); // the refused batch stays frozen, to go as it is after re-enrollment
        ODIS_CHECK(verifyNothingLostNothingDuplicated());
        // A second attempt does not loop: one request, the same answer.
        const qint64 before = f->server->requestLog().count(QStringLiteral("batches"));
        QCOMPARE(upload().outcome, Outcome::Stopped);
        QCOMPARE(f->server->requestLog().count(QStringLiteral("batches")), before + 1);
    }

    void deprovisionedWipesDataAndKeychain()
    {
        queueAppointments(1, 30);
        QCOMPARE(f->adminSend("POST", QStringLiteral("/agents/%1/deprovision").arg(m_identity.agentId)), 200);
        const UploadReport report = upload();
        QCOMPARE(report.outcome, Outcome::Deprovisioned);
        QCOMPARE(m_deprovision->calls, 1);
        QVERIFY(!m_client->hasIdentity()); // the token is not used again, even from memory
        QVERIFY(report.alerts.contains(backend_error::kDeprovisioned));
        QCOMPARE(report.pending, 0);
        for (const QString& table : odis::sync::installDataTables())
            QCOMPARE(f->db->scalar(QStringLiteral("SELECT COUNT(*) FROM ") + table)->toInt(), 0);
        auto token = awaitCallback<odis::Result<std::optional<QByteArray>>>(
            [this](auto done) { f->keychain->read(odis::storage::secret::kAgentToken, done); });
        QVERIFY(token && *token);
        QVERIFY(!**token);
        auto identity = f->enrollment->storedIdentity();
        QVERIFY(identity && !*identity);
        QCOMPARE(f->storedItems().size(), 0);
    }

    void conflictAlertsAndKeepsTheBatch()
    {
        queueAppointments(1, 600);
        // A batch whose key the double already knows with another body: a bug somewhere.
        odis::sync::OutboxBatches batches(*f->db, f->clock);
        const auto batch = batches.formBatch(QStringLiteral("run-0"), m_identity.clinicId);
        QVERIFY(batch && *batch);
        odis::sync::BackendRequest other;
        other.method = "POST";
        other.path = QStringLiteral("/v1/sync/batches");
        other.idempotencyKey = (*batch)->batchId;
        other.body =
            QJsonDocument(QJsonObject{{QStringLiteral("batch_id"), (*batch)->batchId},
                                      {QStringLiteral("run_id"), QStringLiteral("run-x")},
                                      {QStringLiteral("clinic_id"), m_identity.clinicId},
                                      {QStringLiteral("sent_at"), QStringLiteral("2026-03-10T12:00:00.000Z")},
                                      {QStringLiteral("items"), QJsonArray{}}})
                .toJson(QJsonDocument::Compact);
        const auto first =
            awaitCallback<odis::sync::BackendReply>([&](auto done) { m_client->send(other, done); });
        QVERIFY(first && first->status == 200);

        const UploadReport report = upload();
        QCOMPARE(report.outcome, Outcome::Stopped);
        QCOMPARE(report.error->code, backend_error::kConflict);
        QVERIFY(report.alerts.contains(backend_error::kConflict));
        QCOMPARE(report.uploaded, 100); // the other batch went
        QCOMPARE(report.pending, 500);
        QCOMPARE(f->outboxRows(QStringLiteral("batch_id = '") + (*batch)->batchId + u'\''), 500);
        ODIS_CHECK(verifyNothingLostNothingDuplicated());
    }

    void rejectedItemsWaitInTheFailedQueueUntilFixed()
    {
        queueAppointments(1, 10);
        queue({odis::test::invalidAppointmentItem(101, f->clock.nowUtc()),
               odis::test::invalidAppointmentItem(102, f->clock.nowUtc())});
        const UploadReport report = upload();
        QCOMPARE(report.outcome, Outcome::Drained);
        QCOMPARE(report.uploaded, 10);
        QCOMPARE(report.rejected, 2);
        QCOMPARE(report.failed, 2);
        auto failed = m_outbox->failedItems();
        QVERIFY(failed && failed->size() == 2);
        QCOMPARE(failed->first().lastError, QStringLiteral("invalid_payload (payload.date)"));
        // Retrying unchanged items is refused again: they come back to the failed queue.
        QCOMPARE(*m_outbox->retryAllFailed(), 2);
        QCOMPARE(upload().rejected, 2);
        QCOMPARE(*m_outbox->failedCount(), 2);
        // The fix: corrected versions of the same keys supersede the failed rows.
        queue({appointmentItem(101, f->clock.nowUtc()), appointmentItem(102, f->clock.nowUtc())});
        QCOMPARE(*m_outbox->failedCount(), 0);
        const UploadReport fixed = upload();
        ODIS_CHECK(verifyDrained(fixed, 2));
        QCOMPARE(f->storedItems().size(), 12);
    }

    void batchRefusedAsAWholeIsRetriedAfterTheFix()
    {
        queueAppointments(1, 50);
        f->setFault(QStringLiteral("batches"),
                    QJsonObject{{QStringLiteral("error_rate"), 1.0}, {QStringLiteral("error_status"), 422}});
        const UploadReport refused = upload();
        QCOMPARE(refused.outcome, Outcome::Drained); // nothing left to send: everything waits for a person
        QCOMPARE(refused.rejected, 50);
        QCOMPARE(refused.failed, 50);
        QCOMPARE(refused.batchesSent, 1);
        QCOMPARE(m_outbox->failedItems()->first().lastError, QStringLiteral("simulated_fault"));
        ODIS_CHECK(verifyNothingLostNothingDuplicated());

        f->clearFaults(); // the fix, on the backend's side
        QCOMPARE(*m_outbox->retryAllFailed(), 50);
        ODIS_CHECK(verifyDrained(upload(), 50));
    }

    void staleOutboxRaisesTheAgeAlert()
    {
        odis::test::ManualClock clock(f->clock.nowUtc());
        odis::sync::Outbox outbox(*f->db, clock);
        QVERIFY(odis::test::enqueueAll(*f->db, outbox, {appointmentItem(1, clock.nowUtc())}));
        (void)f->server->stores().agents.revokeTokens(m_identity.agentId); // nothing can leave
        clock.advanceSecs(24 * 3600 + 1);
        const UploadReport report = upload(m_noJitter, settings(), &clock);
        QCOMPARE(report.outcome, Outcome::Stopped);
        QVERIFY(report.alerts.contains(odis::sync::Outbox::kStaleAlert));
        QCOMPARE(report.pending, 1);
    }
};

QTEST_GUILESS_MAIN(TestOutboxUploadStops)
#include "tst_outbox_upload_stops.moc"
