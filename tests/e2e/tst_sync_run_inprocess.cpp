// The sync run's logic in seconds (label fast): the IDEXX Neo simulator and the backend double as objects
// in this process, the agent's real SyncRun, store, keychain and offscreen QtWebEngine (sync_bench.h), in
// the way Nextcloud's FakeFolder drives its sync engine. The e2e suites (tst_sync_e2e, tst_sync_crash)
// stay the proof with real processes; this one covers the run machine itself:
// - a run completes, uploads exactly the ground truth and reports its counts to the backend;
// - a run dropped after storing a step (as a killed process leaves it) is resumed under its own id by the
//   next one, from the start when it had not committed, at the upload when it had, with nothing lost or
//   uploaded twice;
// - an upload the backend refuses for good fails the run at the upload with the error named, keeps the
//   items, and the next run delivers them.

#include "agent/run/run_record.h"
#include "tests/e2e/thursday_bench.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonDocument>

using namespace odis;
using odis::sim::neo::SimAppointment;

class TstSyncRunInProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_bench.start(); }
    void runCompletesAndReports();
    void droppedRunIsResumed_data();
    void droppedRunIsResumed();
    void refusedUploadFailsNamedAndKeepsItems();

private:
    void editNotesOfAFinishedVisit();

    test::ThursdayBench m_bench;
};

void TstSyncRunInProcess::editNotesOfAFinishedVisit()
{
    for (const SimAppointment& a : m_bench.finishedVisitsWithNotes()) {
        // A visit of the day, which the run reads again (older ones are read again only after a while).
        if (a.date == test::kThursday) {
            m_bench.addToNotes(a, QStringLiteral("<p>Recheck the sutures in ten days.</p>"));
            return;
        }
    }
    QFAIL("no finished visit with notes in the simulated clinic");
}

void TstSyncRunInProcess::runCompletesAndReports()
{
    const auto result = m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(result);
    m_bench.countReadNow();
    m_bench.expectTruth("after the first run");
    QVERIFY(!result->resumed);
    QCOMPARE(result->outboxPending, 0);
    QVERIFY(result->plan.has_value());
    QVERIFY(result->run->counts.appointmentsSeen > 0);
    QVERIFY(result->run->counts.itemsUploaded > 0);

    // The end report the backend holds says what the run says.
    const QJsonObject report = m_bench->runReport(result->run->runId);
    QVERIFY2(!report.isEmpty(), "no run report reached the backend");
    QCOMPARE(report.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    const QJsonObject counts = report.value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("appointments_seen")).toInteger(),
             result->run->counts.appointmentsSeen);
    QCOMPARE(counts.value(QStringLiteral("items_uploaded")).toInteger(), result->run->counts.itemsUploaded);
}

void TstSyncRunInProcess::droppedRunIsResumed_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("readsAgain");
    // Nothing committed yet: the resumed run reads Neo again from the start.
    QTest::newRow("schedule") << QString(agent::run_step::kSchedule) << true;
    QTest::newRow("consultations") << QString(agent::run_step::kConsultations) << true;
    // Committed with the step `upload`: the resumed run goes on uploading what the store holds.
    QTest::newRow("upload") << QString(agent::run_step::kUpload) << false;
}

void TstSyncRunInProcess::droppedRunIsResumed()
{
    QFETCH(QString, step);
    QFETCH(bool, readsAgain);
    // One changed visit and past the re-read interval (recent notes are read again, as the ground truth
    // does), so that the run waits for Neo in `schedule` and `consultations` and for the backend in
    // `upload`.
    editNotesOfAFinishedVisit();
    m_bench->advance(61 * 60);
    const QString dropped = m_bench->abandonAfter(QLatin1StringView(step.toLatin1()));
    QVERIFY2(!dropped.isEmpty(), "the run did not stop at the step (ended before it, or went past it)");
    const QDateTime droppedAt = m_bench->now();

    m_bench->advance(60);
    const auto result = m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(result);
    QVERIFY(result->resumed);
    QCOMPARE(result->resumedAtStep, step);
    QCOMPARE(result->run->runId, dropped);
    QCOMPARE(result->plan.has_value(), readsAgain);
    QCOMPARE(result->outboxPending, 0);
    m_bench.countRead(readsAgain ? m_bench->now() : droppedAt);
    m_bench.expectTruth("after the resumed run");
    const QJsonObject report = m_bench->runReport(dropped);
    QVERIFY2(report.value(QStringLiteral("status")).toString() == u"completed",
             QJsonDocument(m_bench->backendSummary()).toJson().constData());
}

void TstSyncRunInProcess::refusedUploadFailsNamedAndKeepsItems()
{
    // A vet edits a finished visit's notes: the next run (past the re-read interval) has it to upload.
    editNotesOfAFinishedVisit();
    m_bench->advance(61 * 60);
    QVERIFY(m_bench->setBackendFault(
        QStringLiteral("batches"),
        QJsonObject{{QStringLiteral("error_rate"), 1.0}, {QStringLiteral("error_status"), 418}}));
    const auto failed = m_bench.syncExpecting(agent::RunStatus::Failed);
    m_bench->clearBackendFaults();
    QVERIFY(failed);
    QCOMPARE(failed->run->step, QString(agent::run_step::kUpload));
    QVERIFY(failed->run->error.has_value());
    QVERIFY2(!failed->run->error->code.isEmpty(), "the failed run names no error code");
    QVERIFY2(failed->outboxPending > 0, "the refused items are no longer in the outbox");
    const QJsonObject report = m_bench->runReport(failed->run->runId);
    QCOMPARE(report.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    m_bench.countReadNow();

    m_bench->advance(60);
    const auto next = m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(next);
    QCOMPARE(next->outboxPending, 0);
    m_bench.countReadNow();
    m_bench.expectTruth("after the run that delivered the kept items");
}

ODIS_WEBENGINE_TEST_MAIN(TstSyncRunInProcess)
#include "tst_sync_run_inprocess.moc"
