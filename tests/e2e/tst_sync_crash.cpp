// The agent process killed during a sync and restarted (issue 5): `odis-agent sync --once --headless`
// against both simulators as processes is SIGKILLed while reading Neo, while planning and while
// uploading, at every stored step of the run (the ODIS_TEST_HOLD_AT_STEP seam, agent/run/step_hold.h)
// and at moments only the backend double can see (some batches acknowledged, a stored batch whose answer
// never arrived). The next `sync --once` must take the killed run up under its own id and complete it;
// the backend double must then hold exactly the Neo simulator's ground truth with every item observed
// once (no duplicate, nothing rejected, nothing sent twice as a new batch), the killed run must be
// reported completed rather than left running, and one more sync must upload nothing.

#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/sync_world.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace odis::test;

namespace {

// How the agent is killed.
enum KillMoment
{
    HeldAtStep,              // it holds right after storing the step (the test seam) and is killed there
    SomeBatchesAcknowledged, // small batches, slow answers: killed once a random number of them is stored
    BatchAnswerLost,         // the backend stores a batch but its answer never arrives (fault after_handler)
};

// How far the killed run had read Neo (the simulator's request log).
enum NeoReadAtKill
{
    ScheduleNotRead,
    ScheduleOnly, // the schedule, no consultation yet
    AllRead,      // the schedule and consultations
};

// What the backend double holds when the agent is killed.
enum UploadedAtKill
{
    Nothing,
    Part,       // some items, not all
    Everything, // every item of the sync
    SomeBatch,  // at least one batch (the one whose answer was lost), maybe all items
};

QString readAll(const QString& file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// A number of the summary printed by `sync --once`, e.g. "consultations    12 read".
qint64 summaryNumber(const QString& out, const QString& label)
{
    const QRegularExpression re(QStringLiteral("^  %1\\s+(\\d+)").arg(QRegularExpression::escape(label)),
                                QRegularExpression::MultilineOption);
    const auto match = re.match(out);
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

// "Sync run <id>: <status>": the run id and its status.
std::pair<QString, QString> summaryRun(const QString& out)
{
    static const QRegularExpression re(QStringLiteral("^Sync run ([0-9a-f-]{36}): (\\w+)"),
                                       QRegularExpression::MultilineOption);
    const auto match = re.match(out);
    return match.hasMatch() ? std::pair{match.captured(1), match.captured(2)} : std::pair<QString, QString>{};
}

QJsonArray adminList(const SyncWorld& world, const QString& path, const QString& key)
{
    return world.backendAdmin("GET", path).json().value(key).toArray();
}

} // namespace

class SyncCrashTest : public QObject
{
    Q_OBJECT

private:
    // Polls until the stderr file shows the seam's hold line; fails when the agent ends or takes too long.
    static void waitForHold(const SyncWorld& world, QProcess& agent, const QString& step)
    {
        const QString line = QStringLiteral("odis-agent: test seam: holding at step ") + step;
        const QDeadlineTimer deadline(180'000);
        while (!readAll(world.path(QStringLiteral("sync.err"))).contains(line)) {
            QVERIFY2(agent.state() == QProcess::Running,
                     qPrintable(QStringLiteral("the agent ended (exit %1) without holding at %2:\n%3\n%4")
                                    .arg(agent.exitCode())
                                    .arg(step, readAll(world.path(QStringLiteral("sync.out"))),
                                         readAll(world.path(QStringLiteral("sync.err"))).right(3000))));
            QVERIFY2(!deadline.hasExpired(), qPrintable(QStringLiteral("no hold at %1 in 180 s").arg(step)));
            QTest::qWait(50);
        }
    }

    // Polls the backend double until `condition` holds for its summary; fails when the agent ends first.
    template <typename Condition>
    static void waitForBackend(const SyncWorld& world, QProcess& agent, Condition condition, const char* what)
    {
        const QDeadlineTimer deadline(180'000);
        while (!condition(world.backendSummary())) {
            QVERIFY2(
                agent.state() == QProcess::Running,
                qPrintable(QStringLiteral("the agent ended before %1:\n%2\n%3")
                               .arg(QLatin1StringView(what), readAll(world.path(QStringLiteral("sync.out"))),
                                    readAll(world.path(QStringLiteral("sync.err"))).right(3000))));
            QVERIFY2(!deadline.hasExpired(), what);
            QTest::qWait(20);
        }
    }

    // The run id the killed process started, from the agent's log ("run <id> started"): its first run in
    // this install, so the first one logged.
    static QString startedRunId(const SyncWorld& world)
    {
        static const QRegularExpression re(QStringLiteral("run ([0-9a-f-]{36}) started"));
        return re.match(world.agentLog()).captured(1);
    }

    // After a sync that completed: the backend double equals the ground truth, each item observed once.
    static void checkExactlyOnce(const SyncWorld& world, const char* when)
    {
        expectGroundTruth(world, when);
        if (QTest::currentTestFailed())
            return;
        const QJsonObject summary = world.backendSummary();
        // Exactly once: no item went up twice, not even as an `unchanged` observation of a new batch (a
        // batch resent under its Idempotency-Key is answered from the first answer and stores nothing).
        QCOMPARE(counter(summary, "observations"), counter(summary, "items"));
    }

private Q_SLOTS:
    void killedAndRestarted_data()
    {
        QTest::addColumn<QString>("holdAt");     // ODIS_TEST_HOLD_AT_STEP (HeldAtStep)
        QTest::addColumn<int>("moment");         // KillMoment
        QTest::addColumn<QJsonObject>("fault");  // on the backend's `batches` route while the agent runs
        QTest::addColumn<int>("maxBatchItems");  // the backend's limit (0: its default)
        QTest::addColumn<QString>("resumedAt");  // the step the restarted agent must find the run at
        QTest::addColumn<int>("neoReadAtKill");  // NeoReadAtKill
        QTest::addColumn<int>("uploadedAtKill"); // UploadedAtKill

        const auto held = [](const char* phase, const char* step, NeoReadAtKill neo,
                             UploadedAtKill uploaded) {
            const QString s = QString::fromLatin1(step);
            QTest::addRow("%s, held at %s", phase, step)
                << s << int(HeldAtStep) << QJsonObject{} << 0 << s << int(neo) << int(uploaded);
        };
        held("reading", "neo_login", ScheduleNotRead, Nothing);
        held("reading", "schedule", ScheduleNotRead, Nothing);
        held("reading", "consultations", ScheduleOnly, Nothing);
        for (const char* step : {"validate", "reconcile", "plan_calls", "store"})
            held("planning", step, AllRead, Nothing);
        // The run's data is committed, nothing sent yet; everything sent, the run not closed yet.
        held("uploading", "upload", AllRead, Nothing);
        held("uploading", "close", AllRead, Everything);

        const QString upload = QStringLiteral("upload");
        // Batches of at most 4 items (the agent halves a batch the backend refuses with 413), answered
        // slowly: the kill comes once a random number of them (1 to 12 of about 60) is stored, most likely
        // with the last one's answer still on its way.
        QTest::addRow("uploading, some batches acknowledged")
            << QString() << int(SomeBatchesAcknowledged) << QJsonObject{{QStringLiteral("latency_ms"), 200}}
            << 4 << upload << int(AllRead) << int(Part);
        // The backend stores the batch, then never answers it, or resets the connection.
        QTest::addRow("uploading, stored batch never answered")
            << QString() << int(BatchAnswerLost)
            << QJsonObject{{QStringLiteral("after_handler"), true}, {QStringLiteral("hang"), true}} << 0
            << upload << int(AllRead) << int(SomeBatch);
        QTest::addRow("uploading, stored batch answered by a reset")
            << QString() << int(BatchAnswerLost)
            << QJsonObject{{QStringLiteral("after_handler"), true}, {QStringLiteral("reset"), true}} << 0
            << upload << int(AllRead) << int(SomeBatch);
    }

    void killedAndRestarted()
    {
        QFETCH(QString, holdAt);
        QFETCH(int, moment);
        QFETCH(QJsonObject, fault);
        QFETCH(int, maxBatchItems);
        QFETCH(QString, resumedAt);
        QFETCH(int, neoReadAtKill);
        QFETCH(int, uploadedAtKill);

        // Two days of seed 7's clinic on Monday evening: the first day is over, so the first sync reads
        // consultations and plans calls, and it is short.
        auto created = SyncWorld::create({7, 2, kMondayEvening});
        QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
        SyncWorld& w = **created;
        QVERIFY2(w.install(), "install failed");

        if (maxBatchItems > 0) {
            const auto set = w.backendAdmin("PUT", QStringLiteral("/config"),
                                            QJsonObject{{QStringLiteral("max_batch_items"), maxBatchItems}});
            QCOMPARE(set.status, 200);
        }
        if (!fault.isEmpty())
            QCOMPARE(w.backendAdmin("PUT", QStringLiteral("/faults/batches"), fault).status, 200);

        // The first sync of this install, killed.
        QProcessEnvironment held;
        if (!holdAt.isEmpty())
            held.insert(QStringLiteral("ODIS_TEST_HOLD_AT_STEP"), holdAt);
        const std::unique_ptr<QProcess> agent = w.startSync(held);
        QVERIFY2(agent->waitForStarted(10'000), qPrintable(agent->errorString()));
        switch (KillMoment(moment)) {
        case HeldAtStep:
            waitForHold(w, *agent, holdAt);
            break;
        case SomeBatchesAcknowledged: {
            const qint64 batches = QRandomGenerator::global()->bounded(1, 13);
            qInfo("killing once %lld batch(es) are stored", batches);
            waitForBackend(
                w, *agent, [batches](const QJsonObject& s) { return counter(s, "batches") >= batches; },
                "the batches were stored");
            break;
        }
        case BatchAnswerLost:
            waitForBackend(
                w, *agent, [](const QJsonObject& s) { return counter(s, "batches") >= 1; },
                "a batch was stored");
            break;
        }
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(agent->state() == QProcess::Running, "the agent ended before it was killed");
        agent->kill();
        QVERIFY(agent->waitForFinished(10'000));
        QCOMPARE(agent->exitStatus(), QProcess::CrashExit);
        const QJsonObject atKill = w.backendSummary();
        const QHash<QString, qint64> neoAtKill = w.neoRequestCounts();
        const QString killedRun = startedRunId(w);
        QVERIFY2(!killedRun.isEmpty(), "no run start in the agent's log");
        if (!fault.isEmpty()) // the restart talks to a healthy backend
            QCOMPARE(w.backendAdmin("DELETE", QStringLiteral("/faults/batches")).status, 204);

        // Restarted: the killed run is taken up and completes.
        const AgentRun resumed = w.sync();
        QVERIFY2(resumed.finished && resumed.exitCode == 0, resumed.describe().constData());
        QCOMPARE(summaryRun(resumed.out), std::pair(killedRun, QStringLiteral("completed")));
        QVERIFY2(resumed.out.contains(QStringLiteral("found unfinished at step ") + resumedAt + u'\n'),
                 resumed.describe().constData());
        // A sync that read consultations and planned calls (the killed one, or this one after it).
        QVERIFY2(summaryNumber(resumed.out, QStringLiteral("consultations")) > 0,
                 resumed.describe().constData());
        QVERIFY2(summaryNumber(resumed.out, QStringLiteral("calls planned")) > 0,
                 resumed.describe().constData());
        checkExactlyOnce(w, "after the restart");
        if (QTest::currentTestFailed())
            return;

        // The kill came where this row says.
        const QJsonObject afterResume = w.backendSummary();
        const qint64 items = counter(afterResume, "items");
        const qint64 storedAtKill = counter(atKill, "observations");
        qInfo("killed with %lld of %lld items in %lld batch(es) stored; resumed at %s", storedAtKill, items,
              counter(atKill, "batches"), qPrintable(resumedAt));
        switch (UploadedAtKill(uploadedAtKill)) {
        case Nothing:
            QCOMPARE(storedAtKill, 0);
            break;
        case Part:
            QVERIFY2(
                storedAtKill > 0 && storedAtKill < items,
                qPrintable(QStringLiteral("%1 of %2 items stored at the kill").arg(storedAtKill).arg(items)));
            break;
        case Everything:
            QCOMPARE(storedAtKill, items);
            break;
        case SomeBatch:
            QVERIFY(storedAtKill > 0);
            break;
        }
        const qint64 schedules = neoAtKill.value(QStringLiteral("schedule"));
        const qint64 consultations = neoAtKill.value(QStringLiteral("consultation"));
        switch (NeoReadAtKill(neoReadAtKill)) {
        case ScheduleNotRead:
            QCOMPARE(schedules + consultations, 0);
            break;
        case ScheduleOnly: // the step is stored before the first consultation is asked for
            QVERIFY(schedules > 0);
            QCOMPARE(consultations, 0);
            break;
        case AllRead:
            QVERIFY(schedules > 0 && consultations > 0);
            break;
        }
        if (KillMoment(moment) == BatchAnswerLost) {
            // The batch stored before the kill went again under its Idempotency-Key: the backend answered
            // the repeat with its first answer instead of storing a second batch.
            const QJsonArray batches = adminList(w, QStringLiteral("/batches"), QStringLiteral("batches"));
            QVERIFY(!batches.isEmpty());
            QVERIFY2(batches.first().toObject().value(QStringLiteral("replays")).toInteger() >= 1,
                     QJsonDocument(batches.first().toObject()).toJson().constData());
        }

        // The killed run is reported as what it became, completed, and no run stays `running`.
        const QJsonArray runs = adminList(w, QStringLiteral("/runs"), QStringLiteral("runs"));
        QStringList statuses;
        for (const QJsonValue v : runs)
            statuses << v.toObject().value(QStringLiteral("run_id")).toString() + u' ' +
                            v.toObject().value(QStringLiteral("status")).toString();
        QVERIFY2(statuses.contains(killedRun + QStringLiteral(" completed")),
                 qPrintable(statuses.join(u'\n')));
        QCOMPARE(runs.size(), 1);
        const QJsonArray reports =
            adminList(w, QStringLiteral("/run-reports?run_id=") + killedRun, QStringLiteral("run_reports"));
        QVERIFY(!reports.isEmpty());
        const QJsonObject lastReport = reports.last().toObject().value(QStringLiteral("report")).toObject();
        QCOMPARE(lastReport.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(lastReport.value(QStringLiteral("step")).toString(), QStringLiteral("close"));
        // The run reports every item it delivered, whichever process delivered it: the one killed in
        // the middle of the upload, the resumed one, or both.
        QCOMPARE(lastReport.value(QStringLiteral("counts"))
                     .toObject()
                     .value(QStringLiteral("items_uploaded"))
                     .toInteger(),
                 items);

        // Once more: the store opens, a new run completes, nothing new goes up.
        const AgentRun again = w.sync();
        QVERIFY2(again.finished && again.exitCode == 0, again.describe().constData());
        QVERIFY2(!again.out.contains(QStringLiteral("found unfinished")), again.describe().constData());
        QCOMPARE(summaryRun(again.out).second, QStringLiteral("completed"));
        QCOMPARE(counter(w.backendSummary(), "observations"), counter(afterResume, "observations"));
        QCOMPARE(counter(w.backendSummary(), "batches"), counter(afterResume, "batches"));
        checkExactlyOnce(w, "after one more sync");
        QCOMPARE(adminList(w, QStringLiteral("/runs"), QStringLiteral("runs")).size(), 2);
    }
};

QTEST_GUILESS_MAIN(SyncCrashTest)
#include "tst_sync_crash.moc"
