// Runs in the real encrypted store (agent/run/run_log.h): started, stepped, finished once, found
// unfinished after a restart, listed for the alerts; the alert inputs and memory in the same store
// (agent/alerts/alert_inputs.h, alert_memory.h); the process's peak memory (agent/run/process_memory.h). The
// report's JSON: tst_run_report.

#include "agent/alerts/alert_inputs.h"
#include "agent/alerts/alert_memory.h"
#include "agent/alerts/alert_rules.h"
#include "agent/run/process_memory.h"
#include "sync/backend/outbox.h"
#include "sync/core/canonical_json.h"
#include "tests/integration/run_store_fixture.h"

#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <memory>
#include <optional>

using namespace odis::agent;
using namespace odis::test;

class TestRunRecord : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RunStoreFixture> s;

private Q_SLOTS:
    void init()
    {
        s = std::make_unique<RunStoreFixture>();
        const auto opened = s->open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
    }

    void cleanup() { s.reset(); }

    void startPersistsARunningRun()
    {
        const RunRecord run = s->started(RunTrigger::CatchUp);
        QVERIFY(!QUuid::fromString(run.runId).isNull());
        QCOMPARE(run.status, RunStatus::Running);

        QVERIFY(s->open()); // from the file, as after a restart
        auto found = s->log->find(run.runId);
        QVERIFY2(found, failure(found).constData());
        QVERIFY(found->has_value());
        const RunRecord& stored = **found;
        QCOMPARE(stored.runId, run.runId);
        QCOMPARE(stored.trigger, RunTrigger::CatchUp);
        QCOMPARE(stored.startedAt, kRunStoreStart);
        QVERIFY(!stored.finishedAt.isValid());
        QCOMPARE(stored.status, RunStatus::Running);
        QVERIFY(stored.step.isEmpty());
        QCOMPARE(stored.counts, RunCounts{});
        QVERIFY(!stored.error);
        QVERIFY(!stored.durationMs);

        QVERIFY(!s->log->find(QUuid::createUuid().toString(QUuid::WithoutBraces))->has_value());
        QVERIFY(s->log->start(RunTrigger::Manual)->runId != run.runId);
    }

    void stepIsStoredBeforeEachStep()
    {
        const RunRecord run = s->started();
        s->clock.advanceSecs(5);
        QVERIFY(s->log->setStep(run.runId, run_step::kNeoLogin));
        s->clock.advanceSecs(7);
        QVERIFY(s->log->setStep(run.runId, run_step::kSchedule));
        QVERIFY(s->log->setProgress(run.runId, RunCounts{42, 0, 0, 0, 0, 0, 0, 0}, 1));
        auto stored = s->log->find(run.runId);
        QCOMPARE((*stored)->step, QStringLiteral("schedule"));
        QCOMPARE((*stored)->counts.appointmentsSeen, 42);
        QCOMPARE((*stored)->driftWarnings, 1);
        QCOMPARE((*stored)->updatedAt, kRunStoreStart.addSecs(12));

        const auto unknown = s->log->setStep(run.runId, QStringLiteral("Reading Mrs Smith's file"));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, QStringLiteral("run_step_unknown"));
        QVERIFY(!unknown.error().message.contains(QStringLiteral("Smith")));
        QCOMPARE((*s->log->find(run.runId))->step, QStringLiteral("schedule"));

        const auto missing = s->log->setStep(QStringLiteral("no-such-run"), run_step::kUpload);
        QCOMPARE(missing.error().code, QStringLiteral("run_not_found"));
    }

    void finishRecordsTheOutcomeOnce()
    {
        const RunRecord run = s->started(RunTrigger::Manual);
        QVERIFY(s->log->setStep(run.runId, run_step::kUpload));
        s->clock.advanceSecs(83);
        RunOutcome outcome;
        outcome.status = RunStatus::Partial;
        outcome.counts = RunCounts{120, 14, 11, 40, 38, 6, 5, 2};
        outcome.error =
            RunError{QStringLiteral("backend_invalid_request"), QStringLiteral("2 items rejected")};
        outcome.driftWarnings = 3;
        outcome.peakRssMb = 412.47;
        auto done = s->log->finish(run.runId, outcome);
        QVERIFY2(done, failure(done).constData());
        QCOMPARE(done->durationMs, std::optional<qint64>(83'000)); // from the clock: none was measured

        QVERIFY(s->open());
        const RunRecord stored = **s->log->find(run.runId);
        QCOMPARE(stored.status, RunStatus::Partial);
        QCOMPARE(stored.finishedAt, kRunStoreStart.addSecs(83));
        QCOMPARE(stored.step, QStringLiteral("upload"));
        QCOMPARE(stored.counts, outcome.counts);
        QCOMPARE(stored.error, outcome.error);
        QCOMPARE(stored.durationMs, std::optional<qint64>(83'000));
        QCOMPARE(stored.peakRssMb, std::optional<double>(412.47));
        QCOMPARE(stored.driftWarnings, 3);
        QVERIFY(stored.hadLayoutDrift());

        QCOMPARE(s->log->finish(run.runId, outcome).error().code, QStringLiteral("run_already_finished"));
        QCOMPARE(s->log->setStep(run.runId, run_step::kClose).error().code,
                 QStringLiteral("run_already_finished"));
        QCOMPARE(s->log->setProgress(run.runId, {}, 0).error().code, QStringLiteral("run_already_finished"));
        QCOMPARE(s->log->finish(QStringLiteral("no-such-run"), outcome).error().code,
                 QStringLiteral("run_not_found"));

        // A measured duration wins over the clock's (a laptop may have slept mid-run).
        const RunRecord second = s->started();
        s->clock.advanceSecs(3600);
        RunOutcome measured;
        measured.durationMs = 61'500;
        QCOMPARE(s->log->finish(second.runId, measured)->durationMs, std::optional<qint64>(61'500));
    }

    void outcomesThatMakeNoSenseAreRefused_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorCode"); // "-": no error
        QTest::newRow("finish as running") << int(RunStatus::Running) << QStringLiteral("-");
        QTest::newRow("failed without an error") << int(RunStatus::Failed) << QStringLiteral("-");
        QTest::newRow("interrupted without an error") << int(RunStatus::Interrupted) << QStringLiteral("-");
        QTest::newRow("completed with an error")
            << int(RunStatus::Completed) << QStringLiteral("backend_timeout");
        QTest::newRow("an error without a code") << int(RunStatus::Failed) << QString();
        QTest::newRow("completed although something was held back")
            << int(RunStatus::Completed) << QStringLiteral("held");
    }
    void outcomesThatMakeNoSenseAreRefused()
    {
        QFETCH(int, status);
        QFETCH(QString, errorCode);
        const RunRecord run = s->started();
        RunOutcome outcome;
        outcome.status = static_cast<RunStatus>(status);
        if (errorCode == QStringLiteral("held"))
            outcome.warnings = {odis::sync::RunWarning{QStringLiteral("held_back"),
                                                       {},
                                                       {},
                                                       QStringLiteral("removal"),
                                                       QStringLiteral("day_collapsed"),
                                                       3}};
        else if (errorCode != QStringLiteral("-"))
            outcome.error = RunError{errorCode, QStringLiteral("why")};
        QCOMPARE(s->log->finish(run.runId, outcome).error().code, QStringLiteral("run_outcome_invalid"));
        QCOMPARE((*s->log->find(run.runId))->status, RunStatus::Running); // untouched
    }

    void anUnfinishedRunIsFoundAfterARestartAndMarkedInterrupted()
    {
        (void)s->finished(RunStatus::Completed);
        const RunRecord run = s->started(RunTrigger::Startup);
        s->clock.advanceSecs(20);
        QVERIFY(s->log->setStep(run.runId, run_step::kConsultations));
        QVERIFY(s->log->setProgress(run.runId, RunCounts{30, 4, 3, 0, 0, 0, 0, 0}, 0));

        // The process dies here; the next start is 9 hours later.
        s->clock.advanceSecs(9 * 3600);
        QVERIFY(s->open());
        auto unfinished = s->log->findUnfinished();
        QVERIFY2(unfinished, failure(unfinished).constData());
        QVERIFY(unfinished->has_value());
        QCOMPARE((*unfinished)->runId, run.runId);
        QCOMPARE((*unfinished)->step, QStringLiteral("consultations"));

        auto interrupted = s->log->markInterrupted(run.runId);
        QVERIFY2(interrupted, failure(interrupted).constData());
        QCOMPARE(interrupted->status, RunStatus::Interrupted);
        QCOMPARE(interrupted->error->code, QStringLiteral("run_interrupted"));
        QCOMPARE(interrupted->error->message, QStringLiteral("the agent stopped during step consultations"));
        QCOMPARE(interrupted->durationMs,
                 std::optional<qint64>(20'000)); // up to its last write, not the restart
        QCOMPARE(interrupted->counts.appointmentsSeen, 30);
        QCOMPARE(interrupted->finishedAt, s->clock.nowUtc());
        QVERIFY(!s->log->findUnfinished()->has_value());
        QCOMPARE(s->log->markInterrupted(run.runId).error().code, QStringLiteral("run_already_finished"));
    }

    void historyForTheAlerts()
    {
        QVERIFY(!s->log->lastSuccessAt()->has_value());
        QVERIFY(!s->log->firstStartedAt()->has_value());
        QVERIFY(s->log->lastFinished(20)->isEmpty());

        const RunRecord first = s->finished(RunStatus::Completed);
        const RunRecord second = s->finished(RunStatus::Partial);
        const RunRecord third = s->finished(RunStatus::Failed);
        const RunRecord running = s->started();

        auto last = s->log->lastFinished(20);
        QVERIFY2(last, failure(last).constData());
        QCOMPARE(last->size(), 3);
        QCOMPARE(last->at(0).runId, third.runId); // newest first
        QCOMPARE(last->at(2).runId, first.runId);
        QCOMPARE(s->log->lastFinished(2)->size(), 2);
        QCOMPARE(s->log->lastRuns(20)->first().runId, running.runId);
        QCOMPARE(**s->log->lastSuccessAt(), second.finishedAt);
        QCOMPARE(**s->log->firstStartedAt(), first.startedAt);

        // Two runs in the same millisecond keep their order.
        const RunRecord a = s->started();
        QVERIFY(s->log->markInterrupted(running.runId));
        QVERIFY(s->log->markInterrupted(a.runId));
        QCOMPARE(s->log->lastFinished(1)->first().runId, a.runId);
    }

    void alertsAreRaisedOnceAcrossRestarts()
    {
        // Something waits in the outbox from the start: it turns stale after 24 hours.
        std::optional<odis::sync::Outbox> outbox(std::in_place, *s->db, s->clock);
        const QByteArray payload = odis::sync::canonicalJson(
            QJsonObject{{QStringLiteral("neo_appointment_id"), QStringLiteral("1")}});
        QVERIFY(s->db->transaction([&] {
            return outbox->enqueue(
                odis::sync::OutboxItem{QStringLiteral("appointment"), QStringLiteral("appointment:1"),
                                       odis::sync::sha256Hex(payload), s->clock.nowUtc(), payload});
        }));

        AlertMemory memory(*s->db, s->clock);
        QVERIFY(memory.previous()->isEmpty());
        const auto evaluate = [this, &outbox] {
            auto in =
                gatherAlertInputs(*s->log, *outbox, s->clock.nowUtc(), CredentialCondition::Usable, true);
            if (!in)
                qFatal("%s", failure(in).constData());
            return evaluateAlerts(*in);
        };
        const auto raisedNames = [](const AlertChanges& c) {
            QStringList out;
            for (const Alert& a : c.raised)
                out.append(a.name());
            return out;
        };

        (void)s->finished(RunStatus::Completed);
        QVERIFY(memory.update(evaluate())->empty());
        (void)s->finished(RunStatus::Failed);
        (void)s->finished(RunStatus::Failed);
        QVERIFY(memory.update(evaluate())->empty());
        (void)s->finished(RunStatus::Failed);
        auto third = memory.update(evaluate());
        QVERIFY2(third, failure(third).constData());
        QCOMPARE(raisedNames(*third),
                 (QStringList{QStringLiteral("sync_failure_rate"), QStringLiteral("consecutive_failures")}));

        (void)s->finished(RunStatus::Failed);
        QVERIFY(memory.update(evaluate())->raised.isEmpty()); // still failing: no second notification

        QVERIFY(s->open()); // restart: the store remembers what the clinic was told
        outbox.emplace(*s->db, s->clock);
        AlertMemory after(*s->db, s->clock);
        QCOMPARE(after.previous()->size(), 2);
        (void)s->finished(RunStatus::Failed); // 24 hours since the item was queued: not over yet
        auto later = after.update(evaluate());
        QVERIFY(later->empty());

        (void)s->finished(RunStatus::Completed);
        auto recovered = after.update(evaluate());
        QCOMPARE(raisedNames(*recovered), QStringList{QStringLiteral("outbox_stale")});
        QCOMPARE(recovered->cleared, QList<AlertCode>{AlertCode::ConsecutiveFailures});
    }

    void credentialConditions_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("secondFactor");
        QTest::addColumn<int>("condition");
        using S = odis::storage::CredentialState;
        using C = CredentialCondition;
        QTest::newRow("not configured") << int(S::NotConfigured) << false << int(C::NotConfigured);
        QTest::newRow("saved, never validated") << int(S::Configured) << false << int(C::NotConfigured);
        QTest::newRow("saved, second factor asked")
            << int(S::Configured) << true << int(C::NeedsSecondFactor);
        QTest::newRow("validated") << int(S::Validated) << false << int(C::Usable);
        QTest::newRow("active") << int(S::Active) << false << int(C::Usable);
        QTest::newRow("active, second factor asked") << int(S::Active) << true << int(C::NeedsSecondFactor);
        QTest::newRow("suspended (rejected)") << int(S::Suspended) << false << int(C::Rejected);
        QTest::newRow("suspended beats a second factor") << int(S::Suspended) << true << int(C::Rejected);
        QTest::newRow("revoked") << int(S::Revoked) << false << int(C::NotConfigured);
    }
    void credentialConditions()
    {
        QFETCH(int, state);
        QFETCH(bool, secondFactor);
        QFETCH(int, condition);
        QCOMPARE(
            int(credentialConditionFor(static_cast<odis::storage::CredentialState>(state), secondFactor)),
            condition);
    }

    void peakMemoryIsMeasured()
    {
#if defined(Q_OS_LINUX)
        // Start a fresh peak so that it follows what this test does (the peak of one run, in the agent).
        const auto reset = resetPeakRss();
        QVERIFY2(reset, failure(reset).constData());
#endif
        auto before = peakRssMb();
        QVERIFY2(before, failure(before).constData());
        QVERIFY2(*before > 1.0 && *before < 65536.0, qPrintable(QString::number(*before)));
        double during = 0;
        {
            // 64 MiB, touched page by page so that it is resident.
            QByteArray block(qsizetype{64} * 1024 * 1024, Qt::Uninitialized);
            for (qsizetype i = 0; i < block.size(); i += 4096)
                block[i] = char(i);
            auto measured = peakRssMb();
            QVERIFY(measured);
            during = *measured;
        }
        QVERIFY2(during >= *before + 60.0, qPrintable(QStringLiteral("%1 -> %2").arg(*before).arg(during)));
#if defined(Q_OS_LINUX)
        QVERIFY(resetPeakRss());
        auto afterReset = peakRssMb();
        QVERIFY(afterReset);
        // The block is freed: a fresh peak is well below the one that held it.
        QVERIFY2(
            *afterReset + 32.0 < during,
            qPrintable(QStringLiteral("%1 after reset, %2 with the block").arg(*afterReset).arg(during)));
#endif
    }
};

QTEST_GUILESS_MAIN(TestRunRecord)
#include "tst_run_record.moc"
