// Crash trials at random points (issue 16, item 2): the resident agent (`odis-agent --headless`, both
// simulators as processes, the test clock of resident_world.h) is SIGKILLed at a random instant of a random
// run, then started again. After each kill:
//  - no process of the killed agent lives on (its sync child and Chromium's helpers die with it);
//  - the store opens and passes its integrity check (`odis-agent status`: quick_check ok) and
//    `odis-agent verify-audit` passes;
//  - the restarted agent resumes the interrupted run under its own id, completes it and reports it to the
//    backend as completed;
//  - the backend double then holds exactly the Neo simulator's ground truth, with no duplicate item.
// Then the backend double and the Neo simulator are SIGKILLed in the middle of a run and started again:
// the agent stays up, and the next sync puts the backend back at the ground truth. Last, a security check
// that needs the resident agent's schedule: a password Neo rejects is tried once over two days of runs.
//
// Trials: ODIS_CRASH_TRIALS (default 6: about 3 minutes on the 2-core CI machine, docs/RELIABILITY.md),
// seeded by ODIS_CRASH_SEED (default: from the clock; the seed is printed, set it to replay a failure).
// `scripts/reliability.sh --crash` runs 200.

#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/resident_world.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>
#include <QTest>
#include <QUrlQuery>

#include <signal.h>

using namespace odis::test;

#define CHECKED(expr)                                                                                        \
    do {                                                                                                     \
        const auto _r = (expr);                                                                              \
        QVERIFY2(_r, qPrintable(_r ? QString() : _r.error().toString() + seedLine()));                       \
    } while (false)

namespace {

QByteArray readProcFile(qint64 pid, const char* name)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1StringView(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The first instant at or after `t` that is half past a minute (agent/run/clock_seam.h).
QDateTime halfMinuteFrom(const QDateTime& t)
{
    QDateTime half = QDateTime(t.date(), QTime(t.time().hour(), t.time().minute(), 30), Qt::UTC);
    if (half < t)
        half = half.addSecs(60);
    return half;
}

QJsonObject lastRun(const QJsonObject& status)
{
    return status.value(QStringLiteral("last_run")).toObject();
}

QString json(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

class CrashTrialsTest : public QObject
{
    Q_OBJECT

private:
    quint64 m_seed = 0;
    QRandomGenerator m_random;
    std::unique_ptr<SyncWorld> m_world;
    std::unique_ptr<ResidentWorld> m_agent;
    qint64 m_runWallMs = 0;           // a clean run's wall time, measured: the window of the random kill
    QStringList m_syncTimesBeforeNeo; // the schedule reads the killed Neo simulator had recorded

    QString seedLine() const { return QStringLiteral("\n(replay: ODIS_CRASH_SEED=%1)").arg(m_seed); }

    // This world's processes whose command line contains `marker` (QtWebEngineProcess, the sync child).
    QList<qint64> worldProcesses(const QByteArray& marker) const
    {
        const QByteArray mine = "XDG_DATA_HOME=" + m_world->path(QStringLiteral("data")).toLocal8Bit();
        QList<qint64> found;
        for (const QString& entry :
             QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            bool numeric = false;
            const qint64 pid = entry.toLongLong(&numeric);
            if (!numeric || !readProcFile(pid, "cmdline").contains(marker))
                continue;
            if (readProcFile(pid, "environ").split('\0').contains(mine))
                found.append(pid);
        }
        return found;
    }

    // `odis-agent sync-now` to the running agent.
    void syncNow()
    {
        const AgentRun now = m_world->agent({QStringLiteral("sync-now")});
        QVERIFY2(now.exitCode == 0, now.describe().constData());
    }

    // The backend double against the ground truth: the Neo simulator's own record of the schedule reads,
    // plus the ones a killed and restarted simulator had recorded before.
    void expectTruth(const char* when)
    {
        if (m_syncTimesBeforeNeo.isEmpty()) {
            expectGroundTruth(*m_world, when);
            return;
        }
        QStringList times = m_syncTimesBeforeNeo;
        for (const QJsonValue t : m_world->neoAdmin("GET", QStringLiteral("/sync-times"))
                                      .json()
                                      .value(QStringLiteral("sync_times"))
                                      .toArray())
            times << t.toString();
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("at"), m_agent->now().toString(Qt::ISODate));
        query.addQueryItem(QStringLiteral("sync_times"), times.join(u','));
        const auto truth =
            m_world->neoAdmin("GET", QStringLiteral("/ground-truth?") + query.toString(QUrl::FullyEncoded));
        QVERIFY2(truth.status == 200, truth.body.constData());
        const auto items = m_world->backendItems();
        QVERIFY2(items, qPrintable(items ? QString() : items.error().toString()));
        const QStringList differences = truthDifferences(truth.json(), *items);
        QVERIFY2(differences.isEmpty(),
                 qPrintable(QString::fromUtf8(when) + u'\n' + differences.mid(0, 20).join(u'\n')));
        QCOMPARE(counter(m_world->backendSummary(), "duplicates"), 0);
        QCOMPARE(counter(m_world->backendSummary(), "rejected_items"), 0);
    }

    // The run `runId` as the backend double last heard of it.
    QString reportedStatus(const QString& runId) const
    {
        for (const QJsonValue v : m_world->backendAdmin("GET", QStringLiteral("/runs"))
                                      .json()
                                      .value(QStringLiteral("runs"))
                                      .toArray()) {
            if (v.toObject().value(QStringLiteral("run_id")).toString() == runId)
                return v.toObject().value(QStringLiteral("status")).toString();
        }
        return {};
    }

    // A clean manual sync: completed, the backend at the ground truth.
    void cleanSync(const char* when)
    {
        const QString before = lastRun(m_agent->status()).value(QStringLiteral("run_id")).toString();
        syncNow();
        auto done = m_agent->waitFor(
            [&](const QJsonObject& s) {
                return s.value(QStringLiteral("run")).isNull() &&
                       lastRun(s).value(QStringLiteral("run_id")).toString() != before;
            },
            QStringLiteral("a new run done"));
        CHECKED(done);
        QVERIFY2(lastRun(*done).value(QStringLiteral("status")).toString() == u"completed",
                 qPrintable(json(*done) + seedLine()));
        expectTruth(when);
    }

private Q_SLOTS:
    void initTestCase()
    {
        bool given = false;
        m_seed = qEnvironmentVariable("ODIS_CRASH_SEED").toULongLong(&given);
        if (!given)
            m_seed = quint64(QDateTime::currentMSecsSinceEpoch());
        m_random.seed(quint32(m_seed ^ (m_seed >> 32)));
        qInfo("crash trials: seed %llu (ODIS_CRASH_SEED=%llu replays them)", m_seed, m_seed);

        auto world = SyncWorld::create({7, 7, kMondayMorning});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
        QVERIFY2(m_world->install(), "install failed");
        m_agent = std::make_unique<ResidentWorld>(*m_world);
        CHECKED(m_agent->startClock(kMondayMorning));
        CHECKED(m_agent->start());
        // The first sync is a person's (saved credentials are validated by it); its wall time sizes the
        // window in which the trials kill.
        CHECKED(m_agent->settle());
        QElapsedTimer wall;
        wall.start();
        cleanSync("the first sync");
        m_runWallMs = wall.elapsed();
        qInfo("a clean run took %lld ms of wall time", m_runWallMs);
    }

    void cleanupTestCase()
    {
        if (m_agent)
            m_agent->quit();
    }

    // The resident agent killed at a random instant of a run, N times.
    void agentKilledAtRandomInstants()
    {
        const int trials = qEnvironmentVariableIsSet("ODIS_CRASH_TRIALS")
                               ? qEnvironmentVariableIntValue("ODIS_CRASH_TRIALS")
                               : 6;
        QVERIFY(trials > 0);
        QElapsedTimer wall;
        wall.start();
        int resumed = 0;
        QMap<QString, int> killedAt; // step -> trials
        for (int trial = 1; trial <= trials; ++trial) {
            // A later instant of the clinic's week (new visits, notes written, edits): 5 to 45 minutes on, so
            // that 200 trials stay within the simulated week.
            const QDateTime at = halfMinuteFrom(m_agent->now().addSecs(qint64{60} * m_random.bounded(5, 46)));
            CHECKED(m_agent->setNow(at));
            CHECKED(m_agent->settle()); // a scheduled run that became due runs to its end first
            syncNow();
            // The instant as a share of a clean run's wall time (0 to 120 %): the seed replays the same
            // points of the run even when this machine runs faster or slower than when it failed.
            const qint64 killAfterMs = m_runWallMs * m_random.bounded(1200) / 1000;
            QElapsedTimer since;
            since.start();
            QString seenRun;
            QString seenStep;
            while (since.elapsed() < killAfterMs) {
                const QJsonObject run = m_agent->status().value(QStringLiteral("run")).toObject();
                if (!run.value(QStringLiteral("run_id")).toString().isEmpty()) {
                    seenRun = run.value(QStringLiteral("run_id")).toString();
                    seenStep = run.value(QStringLiteral("step")).toString();
                }
                QTest::qWait(30);
            }
            const QJsonObject atKill = m_agent->status();
            const bool runLive = !atKill.value(QStringLiteral("run")).isNull();
            QVERIFY2(m_agent->running(),
                     qPrintable(QStringLiteral("the agent ended by itself") + seedLine()));
            ::kill(pid_t(m_agent->pid()), SIGKILL);
            QCOMPARE(m_agent->waitForExit(10'000), -1);
            const QString where = runLive ? (seenStep.isEmpty() ? QStringLiteral("starting") : seenStep)
                                          : QStringLiteral("after the run");
            killedAt[where] += 1;
            qInfo("trial %d: %s, killed %lld ms after sync-now (%s, run %s)", trial,
                  qPrintable(at.toString(Qt::ISODate)), killAfterMs, qPrintable(where),
                  qPrintable(seenRun.isEmpty() ? QStringLiteral("-") : seenRun));

            // Nothing of it lives on.
            QTRY_VERIFY2_WITH_TIMEOUT(
                worldProcesses("odis-agent").isEmpty(),
                qPrintable(QStringLiteral("a process of the killed agent lives on") + seedLine()), 15'000);
            QTRY_VERIFY2_WITH_TIMEOUT(
                m_agent->webEngineProcesses().isEmpty(),
                qPrintable(QStringLiteral("a QtWebEngineProcess outlived the agent") + seedLine()), 20'000);
            // The store and the audit log as the kill left them.
            const AgentRun status = m_world->agent({QStringLiteral("status")});
            QVERIFY2(status.exitCode == 0 && status.out.contains(QStringLiteral("quick_check ok")),
                     QByteArray(status.describe() + seedLine().toUtf8()).constData());
            const AgentRun audit = m_world->agent({QStringLiteral("verify-audit")});
            QVERIFY2(audit.exitCode == 0, QByteArray(audit.describe() + seedLine().toUtf8()).constData());

            // Started again: the interrupted run is taken up under its own id, completed and reported.
            CHECKED(m_agent->start());
            auto after = m_agent->settle();
            CHECKED(after);
            // The newest finished run: the resumed one, or the killed one itself when it had completed before
            // the kill (nothing left to resume then).
            const QJsonObject last = after->value(QStringLiteral("last_finished_run")).toObject();
            if (runLive && !seenRun.isEmpty()) {
                QVERIFY2(
                    last.value(QStringLiteral("run_id")).toString() == seenRun,
                    qPrintable(
                        QStringLiteral("the killed run %1 was not resumed: %2").arg(seenRun, json(*after)) +
                        seedLine()));
                QVERIFY2(last.value(QStringLiteral("status")).toString() == u"completed",
                         qPrintable(json(*after) + seedLine()));
                QTRY_COMPARE_WITH_TIMEOUT(reportedStatus(seenRun), QStringLiteral("completed"), 30'000);
                ++resumed;
                expectTruth(qPrintable(QStringLiteral("after trial %1").arg(trial)));
            } else {
                // Killed before the run stored itself (or after it ended): the request died with the
                // agent. A clean run now.
                cleanSync(qPrintable(QStringLiteral("after trial %1").arg(trial)));
            }
            if (QTest::currentTestFailed()) {
                qWarning("%s", qPrintable(seedLine()));
                return;
            }
        }
        QStringList where;
        for (auto it = killedAt.cbegin(); it != killedAt.cend(); ++it)
            where << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
        qInfo("%d trials in %lld s (%.1f s each), %d killed runs resumed; killed at: %s", trials,
              wall.elapsed() / 1000, double(wall.elapsed()) / 1000.0 / trials, resumed,
              qPrintable(where.join(QStringLiteral(", "))));
    }

    // The backend double killed at a random instant of a run (clinic profile, run reports, batches), and
    // started again: the agent stays up, and the next sync puts the backend at the ground truth with nothing
    // twice.
    void backendKilledMidRun()
    {
        // The next clinic afternoon (14:00 in Los Angeles), at least two hours on: visits and notes to
        // upload.
        QDateTime at(m_agent->now().date(), QTime(21, 0, 30), Qt::UTC);
        while (at < m_agent->now().addSecs(2 * 3600))
            at = at.addDays(1);
        CHECKED(m_agent->setNow(at)); // a scheduled run may start by itself; sync-now then joins it
        syncNow();
        const qint64 killAfterMs = m_runWallMs * m_random.bounded(1000) / 1000;
        QTest::qWait(int(killAfterMs));
        const QJsonObject run = m_agent->status().value(QStringLiteral("run")).toObject();
        qInfo("backend killed %lld ms after sync-now, run at step %s", killAfterMs,
              qPrintable(run.value(QStringLiteral("step")).toString()));
        m_world->killBackend();
        QTest::qWait(m_random.bounded(0, 3000));
        CHECKED(m_world->restartBackend());
        auto after = m_agent->settle();
        CHECKED(after);
        QVERIFY(m_agent->running());
        qInfo("the run the backend died in: %s", qPrintable(json(lastRun(*after))));
        CHECKED(m_agent->setNow(halfMinuteFrom(m_agent->now().addSecs(60))));
        CHECKED(m_agent->settle());
        cleanSync("after the backend's restart");
    }

    // The Neo simulator killed while the agent reads consultations, and started again (its clock set back to
    // the agent's instant, its sessions gone): the agent stays up and the next sync completes.
    void neoKilledMidRun()
    {
        CHECKED(m_agent->setNow(halfMinuteFrom(m_agent->now().addSecs(3 * 3600))));
        CHECKED(m_agent->settle());
        QCOMPARE(m_world
                     ->neoAdmin("PUT", QStringLiteral("/faults/consultation"),
                                QJsonObject{{QStringLiteral("latency_ms"), 300}})
                     .status,
                 200);
        syncNow();
        auto reading = m_agent->waitFor(
            [](const QJsonObject& s) {
                return s.value(QStringLiteral("run")).toObject().value(QStringLiteral("step")).toString() ==
                       u"consultations";
            },
            QStringLiteral("a run reading consultations"));
        CHECKED(reading);
        QTest::qWait(m_random.bounded(0, 2000));
        for (const QJsonValue t : m_world->neoAdmin("GET", QStringLiteral("/sync-times"))
                                      .json()
                                      .value(QStringLiteral("sync_times"))
                                      .toArray())
            m_syncTimesBeforeNeo << t.toString();
        m_world->killNeo();
        QTest::qWait(m_random.bounded(0, 3000));
        CHECKED(m_world->restartNeo(m_agent->now())); // its clock at the agent's instant, as a real Neo's
        auto after = m_agent->settle();
        CHECKED(after);
        QVERIFY(m_agent->running());
        qInfo("the run Neo died in: %s", qPrintable(json(lastRun(*after))));
        CHECKED(m_agent->setNow(halfMinuteFrom(m_agent->now().addSecs(60))));
        CHECKED(m_agent->settle());
        cleanSync("after Neo's restart");
    }

    // Security (item 6): a password Neo rejects is tried once, by the run a person asked for, and never again
    // by the scheduled runs of the next two days (the credentials are suspended until a person saves new
    // ones): Neo's lockout is never reached.
    void rejectedPasswordIsTriedOnceOverManyRuns()
    {
        const auto wrong = m_world->saveNeoLogin(QStringLiteral("not-the-password"));
        QVERIFY2(wrong && wrong->exitCode == 0, wrong ? wrong->describe().constData() : "no login saved");
        QCOMPARE(m_world->neoAdmin("DELETE", QStringLiteral("/login-attempts")).status, 200);
        CHECKED(m_agent->setNow(halfMinuteFrom(m_agent->now().addSecs(60))));
        CHECKED(m_agent->settle());
        const QString before = lastRun(m_agent->status()).value(QStringLiteral("run_id")).toString();
        syncNow();
        auto refused = m_agent->waitFor(
            [&](const QJsonObject& s) {
                return s.value(QStringLiteral("run")).isNull() &&
                       lastRun(s).value(QStringLiteral("run_id")).toString() != before;
            },
            QStringLiteral("the run with the wrong password done"));
        CHECKED(refused);
        QVERIFY2(lastRun(*refused).value(QStringLiteral("status")).toString() == u"failed",
                 qPrintable(json(*refused)));
        const QString refusedRun = lastRun(*refused).value(QStringLiteral("run_id")).toString();
        for (int hour = 1; hour <= 48; ++hour) {
            CHECKED(m_agent->setNow(m_agent->now().addSecs(3600)));
            auto quiet = m_agent->settle();
            CHECKED(quiet);
            QCOMPARE(lastRun(*quiet).value(QStringLiteral("run_id")).toString(), refusedRun);
        }
        const QJsonObject status = m_agent->status();
        QCOMPARE(status.value(QStringLiteral("gate")).toString(), QStringLiteral("credentials_rejected"));
        const QJsonObject attempts = m_world->neoAdmin("GET", QStringLiteral("/login-attempts")).json();
        QCOMPARE(attempts.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(
            attempts.value(QStringLiteral("by_outcome")).toObject().value(QStringLiteral("rejected")).toInt(),
            1);
    }
};

QTEST_GUILESS_MAIN(CrashTrialsTest)
#include "tst_crash_trials.moc"
