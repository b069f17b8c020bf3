// The outbox uploader against the real backend double over HTTPS: three gzipped batches for 1200 items, a
// crash between send and answer, and every transient fault the contract names (500, 503 at a rate, 429
// with Retry-After, reset before and after the handler, latency beyond the time-out, hang, a cut or
// mangled answer), each retried under the batch's Idempotency-Key and ending with nothing lost and
// nothing duplicated. Needs the private session's keychain (scripts/in-private-session.sh).

#include "sync/backend/outbox_batches.h"
#include "tests/integration/upload_harness.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>

using odis::test::awaitCallback;
using odis::test::FaultWindow;
namespace backend_error = odis::sync::backend_error;

class TestOutboxUpload : public QObject, public odis::test::UploadHarness
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { startHarness(); }
    void cleanup() { stopHarness(); }

    void drains1200ItemsInThreeGzippedBatches()
    {
        queueAppointments(1, 1200);
        const UploadReport report = upload();
        ODIS_CHECK(verifyDrained(report, 1200));
        QCOMPARE(report.batchesSent, 3);
        QCOMPARE(report.rejected, 0);
        QVERIFY(report.alerts.isEmpty());
        const QJsonArray batches = f->receivedBatches();
        QCOMPARE(batches.size(), 3);
        QList<qint64> counts;
        for (const QJsonValue b : batches) {
            counts.append(b.toObject().value(QStringLiteral("item_count")).toInteger());
            QCOMPARE(b.toObject().value(QStringLiteral("gzip")).toInteger(), 1);
            QCOMPARE(b.toObject().value(QStringLiteral("run_id")).toString(), QStringLiteral("run-1"));
        }
        std::sort(counts.begin(), counts.end());
        QCOMPARE(counts, (QList<qint64>{200, 500, 500}));
        QCOMPARE(f->storedItems().size(), 1200);
    }

    void startNeedsAnIdentityAndOneAtATime()
    {
        odis::sync::OutboxUploader uploader(*m_client, *f->db, *m_deprovision, f->clock, m_noJitter,
                                            settings());
        QCOMPARE(uploader.start(QStringLiteral("run-1"), QString()).error().code,
                 backend_error::kNotEnrolled);
        QVERIFY(uploader.start(QStringLiteral("run-1"), m_identity.clinicId));
        QCOMPARE(uploader.start(QStringLiteral("run-1"), m_identity.clinicId).error().code,
                 QStringLiteral("upload_running"));
        QSignalSpy finished(&uploader, &odis::sync::OutboxUploader::finished);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(finished.first().first().value<UploadReport>().outcome, Outcome::Drained);
    }

    void resendAfterACrashBetweenSendAndResultIsReplayed()
    {
        queueAppointments(1, 40);
        // A run freezes a batch, sends it, and dies before it reads the answer: the double stored it.
        QString batchId;
        {
            odis::sync::OutboxBatches batches(*f->db, f->clock);
            const auto batch = batches.formBatch(QStringLiteral("run-0"), m_identity.clinicId);
            QVERIFY(batch && *batch);
            batchId = (*batch)->batchId;
            odis::sync::BackendRequest request;
            request.method = "POST";
            request.path = QStringLiteral("/v1/sync/batches");
            request.body = *batches.body(batchId);
            request.idempotencyKey = batchId;
            const auto first =
                awaitCallback<odis::sync::BackendReply>([&](auto done) { m_client->send(request, done); });
            QVERIFY(first && first->status == 200 && !first->replayed);
        }
        QCOMPARE(f->storedItems().size(), 40);
        QCOMPARE(f->outboxRows(), 40);

        restart();
        const UploadReport report = upload();
        ODIS_CHECK(verifyDrained(report, 40));
        QCOMPARE(report.batchesSent, 1);
        // The same key, answered with the first answer: one batch at the double, replayed once.
        const QJsonArray batches = f->receivedBatches();
        QCOMPARE(batches.size(), 1);
        QCOMPARE(batches.first().toObject().value(QStringLiteral("batch_id")).toString(), batchId);
        QCOMPARE(batches.first().toObject().value(QStringLiteral("replays")).toInteger(), 1);
    }

    void transientFaultsAreRetriedUnderTheSameKey_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<int>("faultyRequests"); // the fault is lifted after this many requests
        QTest::addColumn<bool>("replayed");      // the double had processed the batch: the resend is a replay
        const auto fault = [](std::initializer_list<QPair<QString, QJsonValue>> members) {
            return QJsonObject(members);
        };
        const QPair<QString, QJsonValue> afterHandler{QStringLiteral("after_handler"), true};
        QTest::newRow("500") << fault({{QStringLiteral("error_rate"), 1.0}}) << 3 << false;
        QTest::newRow("503") << fault({{QStringLiteral("error_rate"), 1.0},
                                       {QStringLiteral("error_status"), 503}})
                             << 2 << false;
        QTest::newRow("reset before the handler") << fault({{QStringLiteral("reset"), true}}) << 2 << false;
        QTest::newRow("reset after the handler")
            << fault({{QStringLiteral("reset"), true}, afterHandler}) << 2 << true;
        QTest::newRow("500 after the handler")
            << fault({{QStringLiteral("error_rate"), 1.0}, afterHandler}) << 2 << true;
        QTest::newRow("slow beyond the time-out")
            << fault({{QStringLiteral("latency_ms"), 5000}}) << 1 << true;
        QTest::newRow("hang") << fault({{QStringLiteral("hang"), true}}) << 1 << false;
        QTest::newRow("truncated answer") << fault({{QStringLiteral("truncate"), true}}) << 2 << true;
        QTest::newRow("mangled JSON answer") << fault({{QStringLiteral("invalid_json"), true}}) << 2 << true;
        // A backend answering garbage or wrong types (issue 16, item 4): never taken as results.
        QTest::newRow("HTML instead of JSON") << fault({{QStringLiteral("html_instead"), true}}) << 2 << true;
        QTest::newRow("results of another type")
            << fault({{QStringLiteral("mutate"),
                       QJsonArray{QJsonObject{{QStringLiteral("op"), QStringLiteral("retype")},
                                              {QStringLiteral("path"), QStringLiteral("results")},
                                              {QStringLiteral("to"), QStringLiteral("string")}}}}})
            << 2 << true;
        QTest::newRow("results in an unknown envelope")
            << fault({{QStringLiteral("wrap"), QStringLiteral("data")}}) << 2 << true;
    }
    void transientFaultsAreRetriedUnderTheSameKey()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(int, faultyRequests);
        QFETCH(bool, replayed);
        queueAppointments(1, 600);
        f->setFault(QStringLiteral("batches"), fault);
        FaultWindow window(*f->server, QStringLiteral("batches"), faultyRequests);
        const UploadReport report = upload();
        ODIS_CHECK(verifyDrained(report, 600));
        // Retried (by the uploader, or by Qt itself for a reset before any answer), never duplicated.
        QVERIFY(f->routeCount(QStringLiteral("batches")) > 2);
        QCOMPARE(f->storedItems().size(), 600);
        // Two batches, whatever the double saw: resends reused their batch's key.
        const QJsonArray batches = f->receivedBatches();
        QCOMPARE(batches.size(), 2);
        qint64 replays = 0;
        for (const QJsonValue b : batches)
            replays += b.toObject().value(QStringLiteral("replays")).toInteger();
        if (replayed)
            QVERIFY(replays > 0); // (a request slowed down by a loaded machine may be replayed in any row)
    }

    void serviceUnavailableAtARateWithJitter()
    {
        queueAppointments(1, 1200);
        QCOMPARE(f->adminSend("PUT", QStringLiteral("/faults?seed=1"),
                              QJsonObject{{QStringLiteral("batches"),
                                           QJsonObject{{QStringLiteral("error_rate"), 0.4},
                                                       {QStringLiteral("error_status"), 503}}}}),
                 200);
        const UploadReport report = upload(m_systemRandom, settings(10));
        ODIS_CHECK(verifyDrained(report, 1200));
        const QJsonObject statuses = f->adminGet(QStringLiteral("/requests"))
                                         .value(QStringLiteral("statuses"))
                                         .toObject()
                                         .value(QStringLiteral("batches"))
                                         .toObject();
        QVERIFY(statuses.value(QStringLiteral("503")).toInt() > 0);
        QVERIFY(statuses.value(QStringLiteral("200")).toInt() >= 3);
    }

    void rateLimitWaitsRetryAfter()
    {
        queueAppointments(1, 1200);
        f->setFault(
            QStringLiteral("batches"),
            QJsonObject{{QStringLiteral("rate_limit"), QJsonObject{{QStringLiteral("requests"), 1},
                                                                   {QStringLiteral("per_seconds"), 1},
                                                                   {QStringLiteral("retry_after"), 1}}}});
        QElapsedTimer timer;
        timer.start();
        const UploadReport report = upload();
        ODIS_CHECK(verifyDrained(report, 1200));
        const QJsonObject statuses = f->adminGet(QStringLiteral("/requests"))
                                         .value(QStringLiteral("statuses"))
                                         .toObject()
                                         .value(QStringLiteral("batches"))
                                         .toObject();
        QVERIFY(statuses.value(QStringLiteral("429")).toInt() >= 1);
        // Each 429 was followed by a wait of Retry-After (1 s), not by the 50 ms backoff.
        QVERIFY2(timer.elapsed() >= 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void givesUpForTheRunAndResumesLater()
    {
        queueAppointments(1, 700);
        f->setFault(QStringLiteral("batches"), QJsonObject{{QStringLiteral("error_rate"), 1.0}});
        const UploadReport deferred = upload(3);
        QCOMPARE(deferred.outcome, Outcome::Deferred);
        QVERIFY(deferred.error);
        QCOMPARE(deferred.error->code, backend_error::kServerError);
        QCOMPARE(deferred.uploaded, 0);
        QCOMPARE(deferred.pending, 700);
        QCOMPARE(deferred.batchesSent, 3);
        QVERIFY(deferred.nextAttemptAt.isValid());
        QCOMPARE(f->outboxRows(QStringLiteral(
                     "attempts = 3 AND next_attempt_at IS NOT NULL AND last_error = 'backend_server_error'")),
                 500);
        QCOMPARE(f->frozenBatches(), 1);
        ODIS_CHECK(verifyNothingLostNothingDuplicated());

        f->clearFaults();
        const UploadReport resumed = upload();
        ODIS_CHECK(verifyDrained(resumed, 700));
        QCOMPARE(f->receivedBatches().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestOutboxUpload)
#include "tst_outbox_upload.moc"
