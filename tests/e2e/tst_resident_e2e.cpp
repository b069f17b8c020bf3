// The resident agent end to end (issue 13): the real `odis-agent --headless` against both simulators on the
// test clock (resident_world.h). One clinic week (seed 7) and one install go through the whole story, in
// order: set up and a first sync asked for from the command line; three simulated days at the 4-hour
// cadence (exactly the expected runs, each checked against the ground truth, no web engine left after any);
// a 9-hour sleep (one catch-up run); a backend outage at a due run (what it read delivered alone minutes
// after the backend is back); pause and resume; the status during a run; the backend's commands
// (sync_now once although delivered again and across a restart, pause, resume, diagnostics, an unknown
// type, a changed clinic profile) and the heartbeat; deprovisioning by command.

#include "tests/e2e/backend_fault_probe.h"
#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/resident_world.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace odis::test;

#define CHECKED(expr)                                                                                        \
    do {                                                                                                     \
        const auto _r = (expr);                                                                              \
        QVERIFY2(_r, qPrintable(_r ? QString() : _r.error().toString()));                                    \
    } while (false)

namespace {

// The first instant at or after `t` that is half past a minute (agent/run/clock_seam.h).
QDateTime halfMinuteFrom(const QDateTime& t)
{
    QDateTime half = QDateTime(t.date(), QTime(t.time().hour(), t.time().minute(), 30), Qt::UTC);
    if (half < t)
        half = half.addSecs(60);
    return half;
}

QString lastRunId(const QJsonObject& status)
{
    return status.value(QStringLiteral("last_run")).toObject().value(QStringLiteral("run_id")).toString();
}

QJsonObject lastRun(const QJsonObject& status)
{
    return status.value(QStringLiteral("last_run")).toObject();
}

// The backend double's run reports, latest per run: {run_id: report}.
QList<QJsonObject> backendRuns(const SyncWorld& w)
{
    QList<QJsonObject> runs;
    for (const QJsonValue v :
         w.backendAdmin("GET", QStringLiteral("/runs")).json().value(QStringLiteral("runs")).toArray())
        runs.append(v.toObject().value(QStringLiteral("report")).toObject());
    return runs;
}

int runsWithTrigger(const SyncWorld& w, const QString& trigger)
{
    int n = 0;
    for (const QJsonObject& r : backendRuns(w))
        n += r.value(QStringLiteral("trigger")).toString() == trigger ? 1 : 0;
    return n;
}

QJsonObject command(const SyncWorld& w, const QString& id)
{
    for (const QJsonValue v : w.backendAdmin("GET", QStringLiteral("/commands"))
                                  .json()
                                  .value(QStringLiteral("commands"))
                                  .toArray()) {
        if (v.toObject().value(QStringLiteral("id")).toString() == id)
            return v.toObject();
    }
    return {};
}

} // namespace

class ResidentE2eTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SyncWorld> m_world;
    std::unique_ptr<ResidentWorld> m_agent;
    qint64 m_intervalSecs = 0;
    QString m_agentId;
    QString m_logBeforeWipe; // the agent's log as it was before deprovisioning removed it

    // After a run the agent reported as ending at the current instant: completed, the backend holds the
    // ground truth, and nothing of the web engine is left.
    void expectRunDone(const QJsonObject& status, const QString& trigger, const char* when)
    {
        const QJsonObject run = lastRun(status);
        QVERIFY2(run.value(QStringLiteral("status")).toString() == QLatin1String("completed"),
                 qPrintable(QString::fromUtf8(QJsonDocument(status).toJson())));
        QCOMPARE(run.value(QStringLiteral("trigger")).toString(), trigger);
        expectGroundTruth(*m_world, when);
        QTRY_VERIFY2_WITH_TIMEOUT(m_agent->webEngineProcesses().isEmpty(),
                                  "a QtWebEngineProcess outlived its run", 10'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto world = SyncWorld::create({7, 7, kMondayMorning});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
        QVERIFY2(m_world->install(), "install failed");
        m_agent = std::make_unique<ResidentWorld>(*m_world);
        CHECKED(m_agent->startClock(kMondayMorning));
        CHECKED(m_agent->start());
        const auto agents = m_world->backendAdmin("GET", QStringLiteral("/agents")).json();
        m_agentId = agents.value(QStringLiteral("agents"))
                        .toArray()
                        .last()
                        .toObject()
                        .value(QStringLiteral("agent_id"))
                        .toString();
        QVERIFY(!m_agentId.isEmpty());
    }

    void cleanupTestCase()
    {
        if (m_agent)
            m_agent->quit();
    }

    // One agent per user: a second start asks the first to show itself and exits 0.
    void secondStartHandsOverToTheFirst()
    {
        const AgentRun second = m_world->agent({QStringLiteral("--headless")}, {}, {}, 60'000);
        QVERIFY2(second.finished && second.exitCode == 0, second.describe().constData());
        QVERIFY2(second.out.contains(QStringLiteral("already running")), second.describe().constData());
        QVERIFY(m_agent->running());
        QTRY_VERIFY_WITH_TIMEOUT(m_agent->log().contains(QStringLiteral("asked this agent to show itself")),
                                 10'000);
    }

    // Credentials saved but never used: nothing automatic until a person's sync validates them.
    void firstSyncIsAPersonsRequest()
    {
        auto idle = m_agent->settle();
        CHECKED(idle);
        QCOMPARE(idle->value(QStringLiteral("gate")).toString(), QStringLiteral("credentials_unvalidated"));
        QCOMPARE(idle->value(QStringLiteral("state")).toString(), QStringLiteral("setup_incomplete"));
        QVERIFY(lastRunId(*idle).isEmpty());

        const AgentRun now = m_world->agent({QStringLiteral("sync-now")});
        QVERIFY2(now.exitCode == 0 && now.out.contains(QStringLiteral("sync starting")),
                 now.describe().constData());
        auto done = m_agent->settle();
        CHECKED(done);
        expectRunDone(*done, QStringLiteral("manual"), "the first sync");
        QCOMPARE(done->value(QStringLiteral("gate")).toString(), QStringLiteral("open"));
        const double jitter = done->value(QStringLiteral("jitter")).toDouble();
        QVERIFY(jitter >= 0.0 && jitter < 0.1);
        QCOMPARE(done->value(QStringLiteral("interval_minutes")).toInt(), 240);
        m_intervalSecs = std::llround(240 * 60 * (1.0 + jitter));
        QCOMPARE(statusInstant(*done, "next_run_at"), kMondayMorning.addSecs(m_intervalSecs));
    }

    // Three days at the 4-hour cadence: a run at each due time (the clock stepped to half past its minute)
    // and none between, checked every simulated hour.
    void threeDaysAtTheFourHourCadence()
    {
        QVERIFY(m_intervalSecs > 0);
        const QDateTime end = kMondayMorning.addDays(3);
        QDateTime previous = m_agent->now();
        QString runId = lastRunId(m_agent->status());
        int runs = 0;
        for (;;) {
            const QDateTime due = statusInstant(m_agent->status(), "next_run_at");
            QVERIFY(due.isValid());
            if (due > end)
                break;
            for (QDateTime t = previous.addSecs(3600); t < due; t = t.addSecs(3600)) {
                CHECKED(m_agent->setNow(t));
                auto quiet = m_agent->settle();
                CHECKED(quiet);
                QVERIFY2(lastRunId(*quiet) == runId,
                         qPrintable(QStringLiteral("an extra run at %1").arg(t.toString(Qt::ISODate))));
                QCOMPARE(statusInstant(*quiet, "next_run_at"), due);
            }
            const QDateTime start = halfMinuteFrom(due);
            CHECKED(m_agent->setNow(start));
            auto ran = m_agent->settle();
            CHECKED(ran);
            QVERIFY2(lastRunId(*ran) != runId,
                     qPrintable(QStringLiteral("no run at %1").arg(start.toString(Qt::ISODate))));
            runId = lastRunId(*ran);
            expectRunDone(*ran, QStringLiteral("schedule"),
                          qPrintable(QStringLiteral("the run at %1").arg(start.toString(Qt::ISODate))));
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(statusInstant(*ran, "next_run_at"), start.addSecs(m_intervalSecs));
            previous = start;
            ++runs;
        }
        // 72 hours over an interval of 4 h to 4 h 24 min (its jitter): 16 or 17 runs after the first.
        QVERIFY2(runs == int(std::floor(3 * 24 * 3600.0 / double(m_intervalSecs + 30))) ||
                     runs == int(std::floor(3 * 24 * 3600.0 / double(m_intervalSecs))),
                 qPrintable(QString::number(runs)));
        QCOMPARE(runsWithTrigger(*m_world, QStringLiteral("schedule")), runs);
        QCOMPARE(runsWithTrigger(*m_world, QStringLiteral("manual")), 1);
    }

    // The machine sleeps 9 hours (the wall clock jumps, the monotonic one does not): one catch-up run soon
    // after it wakes, not the two it missed, and the cadence goes on from it.
    void nineHoursAsleepGiveOneCatchUpRun()
    {
        const int before = int(backendRuns(*m_world).size());
        const QDateTime due = statusInstant(m_agent->status(), "next_run_at");
        const QDateTime wake = m_agent->now().addSecs(9 * 3600);
        QVERIFY(wake > due.addSecs(m_intervalSecs)); // two runs were missed
        CHECKED(m_agent->setNow(wake, false));
        auto caught = m_agent->settle();
        CHECKED(caught);
        expectRunDone(*caught, QStringLiteral("catch_up"), "the catch-up run");
        QCOMPARE(int(backendRuns(*m_world).size()), before + 1);
        QCOMPARE(statusInstant(*caught, "next_run_at"), wake.addSecs(m_intervalSecs));
        QVERIFY(m_agent->log().contains(QStringLiteral("the machine slept or the clock was set")));
        // Awake again: nothing more until the next due time.
        CHECKED(m_agent->setNow(wake.addSecs(3600)));
        auto quiet = m_agent->settle();
        CHECKED(quiet);
        QCOMPARE(int(backendRuns(*m_world).size()), before + 1);
    }

    // The backend away at a due run: the run reads Neo and ends partial with its items in the outbox. The
    // agent then delivers them alone (no Neo read, no run) on the ladder 1, 5, 15, 60 minutes, so what it
    // read reaches the backend minutes after the backend is back, not with the next run 4 hours later; the
    // run's report, owed meanwhile, goes with them.
    void outboxIsDeliveredSoonAfterABackendOutage()
    {
        QVERIFY(m_intervalSecs > 0);
        const QJsonObject before = m_agent->status();
        const QDateTime due = statusInstant(before, "next_run_at");
        QVERIFY(due.isValid());
        QVERIFY(m_world->stopBackend());
        const QDateTime runAt = halfMinuteFrom(due);
        CHECKED(m_agent->setNow(runAt));
        auto ran = m_agent->settle();
        CHECKED(ran);
        const QString outageRun = lastRunId(*ran);
        QVERIFY(outageRun != lastRunId(before));
        QVERIFY2(lastRun(*ran).value(QStringLiteral("status")).toString() == QLatin1String("partial"),
                 qPrintable(QString::fromUtf8(QJsonDocument(*ran).toJson())));
        QVERIFY(ran->value(QStringLiteral("outbox_depth")).toInteger() > 0);
        QCOMPARE(statusInstant(*ran, "next_run_at"), runAt.addSecs(m_intervalSecs));
        QCOMPARE(statusInstant(*ran, "next_delivery_at"), runAt.addSecs(60));
        // What the run read: the clinic as of its instant (the simulator's clock stood still during it).
        const auto truth =
            m_world->neoAdmin("GET", QStringLiteral("/ground-truth?at=") + runAt.toString(Qt::ISODate));
        QCOMPARE(truth.status, 200);

        // Still away at the first attempt: the ladder goes on (5 minutes); nothing asked of Neo.
        m_world->neoAdmin("DELETE", QStringLiteral("/requests"));
        CHECKED(m_agent->setNow(runAt.addSecs(60)));
        auto first = m_agent->settle();
        CHECKED(first);
        QCOMPARE(lastRunId(*first), outageRun);
        const QJsonObject firstAttempt = first->value(QStringLiteral("last_delivery")).toObject();
        QVERIFY2(firstAttempt.value(QStringLiteral("pending")).toInteger() > 0,
                 qPrintable(QString::fromUtf8(QJsonDocument(firstAttempt).toJson())));
        QCOMPARE(statusInstant(*first, "next_delivery_at"), runAt.addSecs(60 + 300));

        // Back: the next attempt delivers everything the outage run read; still no run, no Neo request.
        CHECKED(m_world->restartBackend());
        CHECKED(m_agent->setNow(runAt.addSecs(60 + 300)));
        auto delivered = m_agent->settle();
        CHECKED(delivered);
        QCOMPARE(lastRunId(*delivered), outageRun);
        const QJsonObject attempt = delivered->value(QStringLiteral("last_delivery")).toObject();
        QVERIFY2(attempt.value(QStringLiteral("outcome")).toString() == QLatin1String("drained"),
                 qPrintable(QString::fromUtf8(QJsonDocument(attempt).toJson())));
        QCOMPARE(delivered->value(QStringLiteral("outbox_depth")).toInteger(), 0);
        QVERIFY(delivered->value(QStringLiteral("next_delivery_at")).isNull());
        QCOMPARE(statusInstant(*delivered, "next_run_at"), runAt.addSecs(m_intervalSecs));
        QCOMPARE(m_world->neoAdmin("GET", QStringLiteral("/requests"))
                     .json()
                     .value(QStringLiteral("total"))
                     .toInteger(),
                 0);
        const auto items = m_world->backendItems();
        CHECKED(items);
        const QStringList differences = truthDifferences(truth.json(), *items);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.mid(0, 10).join(u'\n')));
        QCOMPARE(counter(m_world->backendSummary(), "duplicates"), 0);
        // The outage run's report, owed since, went with the delivery: the backend knows the run ended
        // partial.
        QVERIFY(attempt.value(QStringLiteral("reports_sent")).toInt() >= 1);
        const QList<QJsonObject> runs = backendRuns(*m_world);
        QVERIFY(std::ranges::any_of(runs, [&outageRun](const QJsonObject& r) {
            return r.value(QStringLiteral("run_id")).toString() == outageRun &&
                   r.value(QStringLiteral("status")).toString() == QLatin1String("partial");
        }));

        // An hour on: nothing more until the next due time.
        CHECKED(m_agent->setNow(runAt.addSecs(3600)));
        auto quiet = m_agent->settle();
        CHECKED(quiet);
        QCOMPARE(lastRunId(*quiet), outageRun);
    }

    // Paused over a due time: no run; resumed: the run that became due starts at once.
    void pauseAndResume()
    {
        const int before = int(backendRuns(*m_world).size());
        const AgentRun paused =
            m_world->agent({QStringLiteral("pause"), QStringLiteral("--for"), QStringLiteral("4h")});
        QVERIFY2(paused.exitCode == 0, paused.describe().constData());
        auto s = m_agent->settle();
        CHECKED(s);
        QCOMPARE(s->value(QStringLiteral("state")).toString(), QStringLiteral("paused"));
        QCOMPARE(statusInstant(*s, "paused_until"), m_agent->now().addSecs(4 * 3600));
        const QDateTime later = halfMinuteFrom(statusInstant(*s, "paused_until").addSecs(-600));
        // Past the due time: the run it would have been waits for the pause.
        QVERIFY(later > statusInstant(*s, "scheduled_last_success_at").addSecs(m_intervalSecs));
        CHECKED(m_agent->setNow(later));
        s = m_agent->settle();
        CHECKED(s);
        QCOMPARE(s->value(QStringLiteral("state")).toString(), QStringLiteral("paused"));
        QCOMPARE(int(backendRuns(*m_world).size()), before);

        const AgentRun resumed = m_world->agent({QStringLiteral("resume")});
        QVERIFY2(resumed.exitCode == 0, resumed.describe().constData());
        s = m_agent->settle();
        CHECKED(s);
        expectRunDone(*s, QStringLiteral("catch_up"), "the run after the pause");
        QVERIFY(s->value(QStringLiteral("paused_until")).isNull());
        QCOMPARE(int(backendRuns(*m_world).size()), before + 1);

        // Without an agent the steering verbs say so and exit 3 (checked at the end, when it is gone).
        const AgentRun bad =
            m_world->agent({QStringLiteral("pause"), QStringLiteral("--for"), QStringLiteral("9d")});
        QCOMPARE(bad.exitCode, 2);
    }

    // A run held at its consultations step (the crash tests' seam): `status --json` shows the step; quitting
    // stops the run and leaves no web engine; the next start resumes the run under its id by itself.
    void statusDuringARunShowsTheStep()
    {
        QCOMPARE(m_agent->quit(), 0);
        QProcessEnvironment hold;
        hold.insert(QStringLiteral("ODIS_TEST_HOLD_AT_STEP"), QStringLiteral("consultations"));
        CHECKED(m_agent->start(600'000, hold));
        CHECKED(m_agent->setNow(halfMinuteFrom(m_agent->now().addSecs(7200))));
        const AgentRun now = m_world->agent({QStringLiteral("sync-now")});
        QVERIFY2(now.exitCode == 0, now.describe().constData());
        auto held = m_agent->waitFor(
            [](const QJsonObject& s) {
                return s.value(QStringLiteral("run")).toObject().value(QStringLiteral("step")).toString() ==
                       QLatin1String("consultations");
            },
            QStringLiteral("a run at its consultations step"));
        CHECKED(held);
        const AgentRun cli = m_world->agent({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(cli.exitCode == 0, cli.describe().constData());
        const QJsonObject status = QJsonDocument::fromJson(cli.out.toUtf8()).object();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        const QJsonObject run = status.value(QStringLiteral("run")).toObject();
        QCOMPARE(run.value(QStringLiteral("step")).toString(), QStringLiteral("consultations"));
        QCOMPARE(run.value(QStringLiteral("trigger")).toString(), QStringLiteral("manual"));
        const QString runId = run.value(QStringLiteral("run_id")).toString();
        QVERIFY(!runId.isEmpty());
        const AgentRun text = m_world->agent({QStringLiteral("status")});
        QVERIFY2(text.out.contains(QStringLiteral("manual run, consultations")), text.describe().constData());

        QCOMPARE(m_agent->quit(), 0);
        QTRY_VERIFY2_WITH_TIMEOUT(m_agent->webEngineProcesses().isEmpty(),
                                  "a QtWebEngineProcess outlived the agent", 20'000);
        const AgentRun none = m_world->agent({QStringLiteral("sync-now")});
        QCOMPARE(none.exitCode, 3);
        QVERIFY2(none.err.contains(QStringLiteral("no agent is running")), none.describe().constData());

        // The next start takes the interrupted run up by itself, under its own id (and its own trigger).
        CHECKED(m_agent->start());
        auto resumed = m_agent->settle();
        CHECKED(resumed);
        QCOMPARE(lastRunId(*resumed), runId);
        expectRunDone(*resumed, QStringLiteral("manual"), "the resumed run");
    }

    // `sync --once` while the agent runs: the agent runs it and the command prints its summary.
    void syncOnceAsksTheRunningAgent()
    {
        CHECKED(m_agent->setNow(m_agent->now().addSecs(600)));
        CHECKED(m_agent->settle());
        const AgentRun run = m_world->sync();
        QVERIFY2(run.exitCode == 0, run.describe().constData());
        QVERIFY2(run.out.contains(QStringLiteral("odis-agent is running: it ran this sync")),
                 run.describe().constData());
        QVERIFY2(run.out.contains(QStringLiteral(": completed")), run.describe().constData());
        auto s = m_agent->settle();
        CHECKED(s);
        expectRunDone(*s, QStringLiteral("manual"), "the delegated run");
    }

    // The backend's commands through the heartbeat: sync_now carried out once although delivered again (its
    // acknowledgement fails) and after a restart; pause, resume, collect_diagnostics, an unknown type; a
    // changed clinic profile; the heartbeat's fields; the audit log shipped.
    void remoteCommandsAndHeartbeat()
    {
        QCOMPARE(m_agent->quit(), 0);
        CHECKED(m_agent->start(300));
        QVERIFY(m_world
                    ->backendAdmin("PUT", QStringLiteral("/faults/command_ack"),
                                   QJsonObject{{QStringLiteral("error_rate"), 1.0},
                                               {QStringLiteral("error_status"), 503}})
                    .status == 200);
        const int remoteBefore = runsWithTrigger(*m_world, QStringLiteral("remote"));
        const auto queued =
            m_world->backendAdmin("POST", QStringLiteral("/agents/%1/commands").arg(m_agentId),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("sync_now")}});
        QVERIFY2(queued.status == 201, queued.body.constData());
        const QString id = queued.json().value(QStringLiteral("id")).toString();
        QTRY_VERIFY_WITH_TIMEOUT(command(*m_world, id).value(QStringLiteral("deliveries")).toInt() >= 4,
                                 240'000);
        auto s = m_agent->settle();
        CHECKED(s);
        expectRunDone(*s, QStringLiteral("remote"), "the remote sync");
        QCOMPARE(runsWithTrigger(*m_world, QStringLiteral("remote")), remoteBefore + 1);
        QVERIFY(command(*m_world, id).value(QStringLiteral("acked_at")).isNull());

        // Delivered again after a restart, with the acknowledgement going through now: acknowledged, not run.
        QCOMPARE(m_agent->quit(), 0);
        QCOMPARE(m_world->backendAdmin("DELETE", QStringLiteral("/faults")).status, 204);
        CHECKED(m_agent->start(300));
        QTRY_VERIFY_WITH_TIMEOUT(!command(*m_world, id).value(QStringLiteral("acked_at")).isNull(), 60'000);
        const QJsonObject acked = command(*m_world, id);
        const QJsonObject result = acked.value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
        QCOMPARE(result.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(result.value(QStringLiteral("run_id")).toString(), lastRunId(*s));
        CHECKED(m_agent->settle());
        QCOMPARE(runsWithTrigger(*m_world, QStringLiteral("remote")), remoteBefore + 1);

        // Pause and resume by command.
        auto send = [this](const QJsonObject& body) {
            const auto r =
                m_world->backendAdmin("POST", QStringLiteral("/agents/%1/commands").arg(m_agentId), body);
            return r.json().value(QStringLiteral("id")).toString();
        };
        auto resultOf = [this](const QString& commandId) {
            QJsonObject c;
            const QDeadlineTimer deadline(60'000);
            while (!deadline.hasExpired()) {
                c = command(*m_world, commandId);
                if (!c.value(QStringLiteral("acked_at")).isNull())
                    break;
                QTest::qWait(200);
            }
            return c.value(QStringLiteral("result")).toObject();
        };
        const QJsonObject pausedResult = resultOf(
            send({{QStringLiteral("type"), QStringLiteral("pause")},
                  {QStringLiteral("args"), QJsonObject{{QStringLiteral("for"), QStringLiteral("30m")}}}}));
        QCOMPARE(pausedResult.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
        QCOMPARE(statusInstant(m_agent->status(), "paused_until"), m_agent->now().addSecs(1800));
        QCOMPARE(resultOf(send({{QStringLiteral("type"), QStringLiteral("resume")}}))
                     .value(QStringLiteral("outcome"))
                     .toString(),
                 QStringLiteral("done"));
        QVERIFY(m_agent->status().value(QStringLiteral("paused_until")).isNull());

        // An unknown type (a newer backend's): acknowledged as unsupported, audited, shipped.
        const auto unknown =
            m_world->backendAdmin("POST", QStringLiteral("/agents/%1/commands").arg(m_agentId),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("reboot")},
                                              {QStringLiteral("unlisted_type"), true}});
        QVERIFY2(unknown.status == 201, unknown.body.constData());
        const QJsonObject unsupported = resultOf(unknown.json().value(QStringLiteral("id")).toString());
        QCOMPARE(unsupported.value(QStringLiteral("outcome")).toString(), QStringLiteral("unsupported"));
        QTRY_VERIFY_WITH_TIMEOUT(QJsonDocument(m_world->backendAdmin("GET", QStringLiteral("/audit")).json())
                                     .toJson()
                                     .contains("remote_command.unsupported"),
                                 60'000);
        const AgentRun verified = m_world->agent({QStringLiteral("verify-audit")});
        QVERIFY2(verified.exitCode == 0, verified.describe().constData());

        // Diagnostics: the manifest goes to the backend, the bundle stays here, without secrets or clinic
        // data.
        const QJsonObject diagnostics =
            resultOf(send({{QStringLiteral("type"), QStringLiteral("collect_diagnostics")}}));
        QCOMPARE(diagnostics.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
        QStringList names;
        for (const QJsonValue f : diagnostics.value(QStringLiteral("files")).toArray())
            names << f.toObject().value(QStringLiteral("name")).toString();
        QVERIFY2(names.contains(QStringLiteral("status.json")) &&
                     names.contains(QStringLiteral("runs.json")) &&
                     names.contains(QStringLiteral("logs/odis-agent.log")),
                 qPrintable(names.join(u',')));
        const QString bundle = m_world->path(QStringLiteral("data/Odis/odis-agent/diagnostics/")) +
                               diagnostics.value(QStringLiteral("bundle")).toString();
        QVERIFY2(QFile::exists(bundle), qPrintable(bundle));
        QProcess unzip;
        unzip.start(QStringLiteral("unzip"), {QStringLiteral("-p"), bundle});
        QVERIFY(unzip.waitForFinished(30'000));
        const QByteArray content = unzip.readAllStandardOutput();
        const QJsonObject login = m_world->neoAdmin("GET", QStringLiteral("/credentials")).json();
        QVERIFY(!content.isEmpty());
        QVERIFY(!content.contains(login.value(QStringLiteral("password")).toString().toUtf8()));
        QVERIFY(!content.contains("SQLite format"));
        // The same from the command line: the files listed before the bundle is written.
        const QString out = m_world->path(QStringLiteral("support.zip"));
        const AgentRun cli = m_world->agent({QStringLiteral("diagnostics"), QStringLiteral("--out"), out});
        QVERIFY2(cli.exitCode == 0 && cli.out.contains(QStringLiteral("status.json")) &&
                     cli.out.contains(QStringLiteral("written: ")),
                 cli.describe().constData());
        QVERIFY(QFile::exists(out));

        // A new clinic profile (its ETag changes): fetched after the next heartbeat, its interval applies.
        auto profile = m_world->backendAdmin("GET", QStringLiteral("/clinic-profile"))
                           .json()
                           .value(QStringLiteral("profile"))
                           .toObject();
        QJsonObject sync = profile.value(QStringLiteral("sync")).toObject();
        sync.insert(QStringLiteral("interval_minutes"), 120);
        profile.insert(QStringLiteral("sync"), sync);
        QVERIFY(m_world->backendAdmin("PUT", QStringLiteral("/clinic-profile"), profile).status == 200);
        auto shorter = m_agent->waitFor(
            [](const QJsonObject& st) { return st.value(QStringLiteral("interval_minutes")).toInt() == 120; },
            QStringLiteral("the new interval"), 60'000);
        CHECKED(shorter);

        // The heartbeat says what the status says.
        const QJsonArray beats = m_world->backendAdmin("GET", QStringLiteral("/heartbeats"))
                                     .json()
                                     .value(QStringLiteral("heartbeats"))
                                     .toArray();
        QVERIFY(beats.size() >= 3);
        const QJsonObject beat = beats.last().toObject().value(QStringLiteral("heartbeat")).toObject();
        QCOMPARE(beat.value(QStringLiteral("credential_state")).toString(), QStringLiteral("valid"));
        QCOMPARE(beat.value(QStringLiteral("state")).toString(), QStringLiteral("waiting"));
        QCOMPARE(beat.value(QStringLiteral("outbox_depth")).toInt(), 0);
        QVERIFY(beat.value(QStringLiteral("next_sync_at")).isString());
        QVERIFY(beat.value(QStringLiteral("last_success_at")).isString());
        // The newest finished run (runs of this test share one instant of the test clock, so which one is
        // not asserted here; heartbeatCarriesTheNewestRunsWarnings moves the clock): a run the backend has
        // a report of, completed, nothing to warn about.
        const QJsonObject lastRunBeat = beat.value(QStringLiteral("last_run")).toObject();
        const QString beatRunId = lastRunBeat.value(QStringLiteral("run_id")).toString();
        QVERIFY2(std::ranges::any_of(backendRuns(*m_world),
                                     [&](const QJsonObject& r) {
                                         return r.value(QStringLiteral("run_id")).toString() == beatRunId;
                                     }),
                 QJsonDocument(beat).toJson().constData());
        QCOMPARE(lastRunBeat.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(lastRunBeat.value(QStringLiteral("error_code")).isNull());
        QVERIFY(lastRunBeat.value(QStringLiteral("warnings")).isArray());
        QVERIFY(lastRunBeat.value(QStringLiteral("warnings")).toArray().isEmpty());
    }

    // A run that could not trust an answer of Neo's ends partial, and the heartbeats that follow carry its
    // warnings (code, endpoint, field path; no value), so operations see it before the next run report.
    void heartbeatCarriesTheNewestRunsWarnings()
    {
        CHECKED(m_agent->setNow(m_agent->now().addSecs(600))); // after every earlier run
        CHECKED(m_agent->settle());
        const QJsonObject drop{{QStringLiteral("op"), QStringLiteral("drop")},
                               {QStringLiteral("path"), QStringLiteral("[].phone_number")},
                               {QStringLiteral("rows"), QStringLiteral("some")}};
        QCOMPARE(m_world
                     ->neoAdmin("PUT", QStringLiteral("/faults/schedule"),
                                QJsonObject{{QStringLiteral("mutate"), QJsonArray{drop}}})
                     .status,
                 200);
        const AgentRun run = m_world->sync();
        QCOMPARE(m_world->neoAdmin("DELETE", QStringLiteral("/faults")).status, 204);
        QVERIFY2(run.exitCode == 4 && run.out.contains(QStringLiteral(": partial")),
                 run.describe().constData());
        auto s = m_agent->settle();
        CHECKED(s);
        const QString runId = lastRunId(*s);
        QVERIFY(!runId.isEmpty());

        // Heartbeats go out every 300 ms here: the newest one soon names this run.
        QJsonObject lastRunBeat;
        const QDeadlineTimer deadline(60'000);
        while (!deadline.hasExpired()) {
            const QJsonArray beats = m_world->backendAdmin("GET", QStringLiteral("/heartbeats"))
                                         .json()
                                         .value(QStringLiteral("heartbeats"))
                                         .toArray();
            lastRunBeat = beats.last()
                              .toObject()
                              .value(QStringLiteral("heartbeat"))
                              .toObject()
                              .value(QStringLiteral("last_run"))
                              .toObject();
            if (lastRunBeat.value(QStringLiteral("run_id")).toString() == runId)
                break;
            QTest::qWait(200);
        }
        const QByteArray beatText = QJsonDocument(lastRunBeat).toJson(QJsonDocument::Compact);
        QVERIFY2(lastRunBeat.value(QStringLiteral("run_id")).toString() == runId,
                 qPrintable(QStringLiteral("run %1, newest heartbeat's last_run %2")
                                .arg(runId, QString::fromUtf8(beatText))));
        QCOMPARE(lastRunBeat.value(QStringLiteral("status")).toString(), QStringLiteral("partial"));
        QCOMPARE(lastRunBeat.value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("neo_layout_changed"));
        bool named = false;
        for (const QJsonValue w : lastRunBeat.value(QStringLiteral("warnings")).toArray()) {
            const QJsonObject warning = w.toObject();
            named =
                named ||
                (warning.value(QStringLiteral("code")).toString() == QLatin1String("neo_layout_changed") &&
                 warning.value(QStringLiteral("endpoint")).toString() ==
                     QLatin1String("getCalendarEventData") &&
                 warning.value(QStringLiteral("field")).toString().contains(QLatin1String("phone_number")) &&
                 warning.value(QStringLiteral("count")).toInt() >= 1);
        }
        QVERIFY2(named, beatText.constData());
        // Field paths, never values: no phone number of the schedule's in the heartbeat.
        auto truth = m_world->groundTruth();
        CHECKED(truth);
        int phones = 0;
        std::function<void(const QJsonValue&, const QString&)> scan = [&](const QJsonValue& v,
                                                                          const QString& key) {
            if (v.isObject()) {
                const QJsonObject o = v.toObject();
                for (auto it = o.begin(); it != o.end(); ++it)
                    scan(it.value(), it.key());
            } else if (v.isArray()) {
                for (const QJsonValue e : v.toArray())
                    scan(e, key);
            } else if (v.isString() && key.contains(QLatin1String("phone")) && v.toString().size() >= 7) {
                ++phones;
                QVERIFY2(!beatText.contains(v.toString().toUtf8()), beatText.constData());
            }
        };
        scan(*truth, QString());
        QVERIFY(phones > 0);

        // A clean read settles it, and the heartbeat says so.
        const AgentRun clean = m_world->sync();
        QVERIFY2(clean.exitCode == 0, clean.describe().constData());
        CHECKED(m_agent->settle());
        expectGroundTruth(*m_world, "after the clean read");
    }

    // The backend retires this install by command: wiped as on a 403, acknowledged, and the agent stops.
    void deprovisionByCommand()
    {
        const QString installId = QString::fromUtf8([this] {
            QFile f(m_world->path(QStringLiteral("config/Odis/odis-agent/install-id")));
            return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
        }());
        QVERIFY(!keychainKeys(installId).isEmpty());
        m_logBeforeWipe = m_world->agentLog();
        const auto queued =
            m_world->backendAdmin("POST", QStringLiteral("/agents/%1/commands").arg(m_agentId),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("deprovision")}});
        QVERIFY(queued.status == 201);
        QCOMPARE(m_agent->waitForExit(120'000), 0);
        const QJsonObject acked = command(*m_world, queued.json().value(QStringLiteral("id")).toString());
        QVERIFY(!acked.value(QStringLiteral("acked_at")).isNull());
        QCOMPARE(acked.value(QStringLiteral("result")).toObject().value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("done"));
        QCOMPARE(keychainKeys(installId), QStringList());
        // Nothing of the install stays on disk either: store, marker, install id, logs (the emptied store and
        // its marker go once the agent closed it).
        for (const char* gone :
             {"data/Odis/odis-agent/agent.db", "data/Odis/odis-agent/agent.db.deprovisioned",
              "config/Odis/odis-agent/install-id", "data/Odis/odis-agent/logs/odis-agent.log"})
            QVERIFY2(!QFile::exists(m_world->path(QLatin1StringView(gone))), gone);
        QVERIFY(m_agent->webEngineProcesses().isEmpty());
        // As after a 403: the next start finds nothing to run with.
        const AgentRun after = m_world->sync();
        QVERIFY2(after.finished && after.exitCode != 0, after.describe().constData());
        QVERIFY2(after.out.contains(QStringLiteral("[agent_not_enrolled]")), after.describe().constData());
    }

    // Qt said nothing about objects used wrongly in all that (its messages go to the agent's log).
    void noQtWarningsInTheLog()
    {
        const QString log = m_logBeforeWipe + m_world->agentLog();
        QVERIFY(!log.isEmpty());
        for (const char* sign : {"QObject::", "QSocketNotifier", "QTimer can only", "Cannot create children"})
            QVERIFY2(!log.contains(QLatin1StringView(sign)), sign);
    }
};

QTEST_GUILESS_MAIN(ResidentE2eTest)
#include "tst_resident_e2e.moc"
