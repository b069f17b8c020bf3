// Every backend fault of issue 5 (500, 503, 429, reset, slow, beyond the time-out, 413, 401, 403) against
// the real `odis-agent sync --once --headless` process, the Neo simulator and the backend double as
// processes over HTTPS: whatever the fault, nothing is lost and nothing is duplicated in the backend
// double (docs/backend-api.md, "Errors and how the agent reacts"). Once the fault is gone, what the
// backend holds equals the Neo simulator's ground truth.
//
// A small clinic (two days, synced on Monday evening) keeps each sync short: the first one reads the
// day's consultations and plans their calls, all of which fit in one batch unless a test limits batches.

#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/sync_world.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>

// Runs a helper that verifies, and returns from the test when it failed.
#define CHECKED(call)                                                                                        \
    do {                                                                                                     \
        call;                                                                                                \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)

using namespace odis::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 180'000;

// The summary's "items  Q queued, U uploaded, P pending, F failed" line.
struct ItemCounts
{
    bool found = false;
    qint64 queued = 0;
    qint64 uploaded = 0;
    qint64 pending = 0;
    qint64 failed = 0;
};

ItemCounts itemCounts(const QString& summary)
{
    static const QRegularExpression line(
        QStringLiteral(R"(items\s+(\d+) queued, (\d+) uploaded, (\d+) pending, (\d+) failed)"));
    const QRegularExpressionMatch m = line.match(summary);
    if (!m.hasMatch())
        return {};
    return {true, m.captured(1).toLongLong(), m.captured(2).toLongLong(), m.captured(3).toLongLong(),
            m.captured(4).toLongLong()};
}

// The request log's entries of one route, oldest first.
QList<QJsonObject> requestsOf(const SyncWorld& w, const QString& route)
{
    QList<QJsonObject> out;
    const QJsonArray entries =
        w.backendAdmin("GET", QStringLiteral("/requests")).json().value(QStringLiteral("entries")).toArray();
    for (const QJsonValue& v : entries) {
        if (v.toObject().value(QStringLiteral("route")).toString() == route)
            out.append(v.toObject());
    }
    return out;
}

qint64 answeredWith(const SyncWorld& w, const QString& route, int status)
{
    return w.backendAdmin("GET", QStringLiteral("/requests"))
        .json()
        .value(QStringLiteral("statuses"))
        .toObject()
        .value(route)
        .toObject()
        .value(QString::number(status))
        .toInteger();
}

QJsonArray batches(const SyncWorld& w)
{
    return w.backendAdmin("GET", QStringLiteral("/batches"))
        .json()
        .value(QStringLiteral("batches"))
        .toArray();
}

qint64 sumOf(const QJsonArray& rows, const char* field)
{
    qint64 total = 0;
    for (const QJsonValue& v : rows)
        total += counter(v.toObject(), field);
    return total;
}

QString readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QDateTime receivedAt(const QJsonObject& request)
{
    return QDateTime::fromString(request.value(QStringLiteral("received_at")).toString(), Qt::ISODateWithMs);
}

// This install's entries in the Secret Service, listed by secret-tool (independently of the agent's
// keychain code): keys are "<install id>/<name>" under the service odis-clinic-agent
// (storage/keychain_store.h), in QtKeychain's "user" attribute.
QStringList keychainKeys(const QString& installId)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--unlock"),
                QStringLiteral("server"), QStringLiteral("odis-clinic-agent")});
    if (!tool.waitForFinished(30'000) || tool.exitStatus() != QProcess::NormalExit)
        qFatal("secret-tool did not run: %s", qPrintable(tool.errorString()));
    QStringList keys;
    const QString marker = QStringLiteral("attribute.user = ");
    for (const QString& line : QString::fromUtf8(tool.readAllStandardError()).split(u'\n')) {
        if (line.startsWith(marker) && line.mid(marker.size()).startsWith(installId + QLatin1Char('/')))
            keys.append(line.mid(marker.size()));
    }
    return keys;
}

} // namespace

class SyncBackendFaultsTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SyncWorld> m_world;

    // A fresh install (its own simulators, store and keychain entries) for each test.
    void installWorld()
    {
        m_world.reset();
        auto world = SyncWorld::create({7, 2, kMondayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
        const auto installed = m_world->install();
        QVERIFY2(installed, qPrintable(installed ? QString() : installed.error().toString()));
    }

    void setFault(const QString& route, const QJsonObject& fault) const
    {
        const auto r = m_world->backendAdmin("PUT", QStringLiteral("/faults/") + route, fault);
        QVERIFY2(r.status == 200, r.body.constData());
    }

    void clearFaults() const
    {
        const auto r = m_world->backendAdmin("DELETE", QStringLiteral("/faults"));
        QVERIFY2(r.status == 200 || r.status == 204, r.body.constData());
    }

    // Ran to the end and exited with `exitCode`; its summary's item counts.
    static void expectExit(const AgentRun& run, int exitCode, ItemCounts& counts)
    {
        QVERIFY2(run.finished && !run.crashed && run.exitCode == exitCode, run.describe().constData());
        counts = itemCounts(run.out);
        QVERIFY2(counts.found, run.describe().constData());
    }

    // The sync started with startSync(), once `until` holds (faults are then cleared) and it has ended.
    AgentRun finishStarted(QProcess& process, const std::function<bool()>& until)
    {
        AgentRun run;
        bool reached = false;
        if (!process.waitForStarted(10'000))
            run.err = process.errorString();
        for (QDeadlineTimer deadline(kWaitMs);
             !deadline.hasExpired() && process.state() == QProcess::Running;) {
            if ((reached = until()))
                break;
            QTest::qWait(100);
        }
        clearFaults();
        run.finished = process.waitForFinished(kWaitMs);
        if (!run.finished) {
            process.kill();
            process.waitForFinished(5'000);
        }
        run.crashed = process.exitStatus() == QProcess::CrashExit;
        run.exitCode = run.finished && !run.crashed ? process.exitCode() : -1;
        run.out = readFile(m_world->path(QStringLiteral("sync.out")));
        run.err = readFile(m_world->path(QStringLiteral("sync.err")));
        if (!reached)
            run.err.prepend(QStringLiteral("[the fault was never observed]\n"));
        return run;
    }

    // No key stored twice with the same version, nothing refused.
    void expectNothingDuplicated() const
    {
        const QJsonObject summary = m_world->backendSummary();
        QVERIFY2(counter(summary, "duplicates") == 0,
                 m_world->backendAdmin("GET", QStringLiteral("/duplicates")).body.left(3000).constData());
        QCOMPARE(counter(summary, "rejected_items"), 0);
    }

    // What the backend holds is the ground truth, each item observed once, in batches that hold each
    // item once (a resend was a replay under the same key, not a new batch with the same items).
    void expectDeliveredOnce() const
    {
        expectNothingDuplicated();
        const auto truth = m_world->groundTruth();
        QVERIFY2(truth, qPrintable(truth ? QString() : truth.error().toString()));
        const auto items = m_world->backendItems();
        QVERIFY2(items, qPrintable(items ? QString() : items.error().toString()));
        QVERIFY2(!items->isEmpty(), "nothing was delivered");
        const QStringList differences = truthDifferences(*truth, *items);
        QVERIFY2(differences.isEmpty(),
                 QByteArray(QByteArray::number(differences.size()) + " difference(s)\n" + listed(differences))
                     .constData());
        const QJsonObject summary = m_world->backendSummary();
        QCOMPARE(counter(summary, "observations"), counter(summary, "items"));
        const QJsonArray received = batches(*m_world);
        QCOMPARE(sumOf(received, "stored") + sumOf(received, "unchanged"), counter(summary, "observations"));
        QCOMPARE(sumOf(received, "item_count"), counter(summary, "observations"));
    }

    // A run that has read Neo and committed its items is killed right before uploading (the test seam
    // agent/run/step_hold.h): the next run takes it up at the upload, without reading Neo again.
    void syncUntilUpload()
    {
        QProcessEnvironment hold;
        hold.insert(QStringLiteral("ODIS_TEST_HOLD_AT_STEP"), QStringLiteral("upload"));
        auto process = m_world->startSync(hold);
        QVERIFY2(process->waitForStarted(10'000), qPrintable(process->errorString()));
        const QString err = m_world->path(QStringLiteral("sync.err"));
        QTRY_VERIFY_WITH_TIMEOUT(readFile(err).contains(QStringLiteral("holding at step upload")) ||
                                     process->state() != QProcess::Running,
                                 kWaitMs);
        QVERIFY2(process->state() == QProcess::Running, qPrintable(readFile(err).right(3000)));
        process->kill();
        QVERIFY(process->waitForFinished(10'000));
        QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
    }

    [[nodiscard]] QString agentId() const
    {
        const QJsonArray agents = m_world->backendAdmin("GET", QStringLiteral("/agents"))
                                      .json()
                                      .value(QStringLiteral("agents"))
                                      .toArray();
        return agents.size() == 1 ? agents.first().toObject().value(QStringLiteral("agent_id")).toString()
                                  : QString();
    }

private Q_SLOTS:
    void cleanup() { m_world.reset(); }

    // 5xx: the run backs off and resends the same batch; when the backend keeps failing past the run's
    // budget it ends partial with the items pending, and the next run delivers them.
    void serverErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<double>("rate");
        QTest::newRow("500 half the time") << 500 << 0.5;
        QTest::newRow("503 every time") << 503 << 1.0;
    }
    void serverErrors()
    {
        QFETCH(int, status);
        QFETCH(double, rate);
        CHECKED(installWorld());
        // Seeded: with 12, the first two draws of a rate of one half fail and the third succeeds.
        const auto planned = m_world->backendAdmin(
            "PUT", QStringLiteral("/faults?seed=12"),
            QJsonObject{{QStringLiteral("batches"), QJsonObject{{QStringLiteral("error_rate"), rate},
                                                                {QStringLiteral("error_status"), status}}}});
        QVERIFY2(planned.status == 200, planned.body.constData());
        const AgentRun faulted = m_world->sync();
        QVERIFY2(faulted.finished && (faulted.exitCode == 0 || faulted.exitCode == 4),
                 faulted.describe().constData());
        ItemCounts counts = itemCounts(faulted.out);
        QVERIFY2(counts.found && counts.queued > 0, faulted.describe().constData());
        QVERIFY2(answeredWith(*m_world, QStringLiteral("batches"), status) > 0, "the fault never struck");
        if (faulted.exitCode == 4) { // partial: what did not go through waits in the outbox
            QVERIFY2(faulted.out.contains(QStringLiteral("backend_server_error")),
                     faulted.describe().constData());
            QVERIFY2(counts.pending > 0, faulted.describe().constData());
        } else {
            QCOMPARE(counts.pending, 0);
        }
        if (rate >= 1.0) {
            QCOMPARE(faulted.exitCode, 4);
            QCOMPARE(counts.uploaded, 0);
            QCOMPARE(counts.pending, counts.queued);
            QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
        }
        expectNothingDuplicated();

        clearFaults();
        // A later run, as the scheduler would start it (its clock past the batch's backoff).
        QVERIFY(m_world->advanceNeo(10 * 60));
        const AgentRun after = m_world->sync();
        expectExit(after, 0, counts);
        QCOMPARE(counts.pending, 0);
        expectDeliveredOnce();
    }

    // 429: the agent waits Retry-After before it resends, then delivers exactly once.
    void rateLimited()
    {
        constexpr int retryAfterSeconds = 2;
        CHECKED(installWorld());
        setFault(QStringLiteral("batches"),
                 QJsonObject{{QStringLiteral("rate_limit"),
                              QJsonObject{{QStringLiteral("requests"), 0},
                                          {QStringLiteral("per_seconds"), 60},
                                          {QStringLiteral("retry_after"), retryAfterSeconds}}}});
        auto process = m_world->startSync();
        const AgentRun run = finishStarted(
            *process, [this] { return answeredWith(*m_world, QStringLiteral("batches"), 429) >= 2; });
        ItemCounts counts;
        CHECKED(expectExit(run, 0, counts));
        QCOMPARE(counts.pending, 0);
        const QList<QJsonObject> sends = requestsOf(*m_world, QStringLiteral("batches"));
        QVERIFY2(sends.size() >= 3, qPrintable(QString::number(sends.size())));
        for (qsizetype i = 1; i < sends.size(); ++i) {
            if (sends.at(i - 1).value(QStringLiteral("status")).toInt() != 429)
                continue;
            // Its timer may fire a little early (a coarse Qt timer: up to 5 %).
            const qint64 gap = receivedAt(sends.at(i - 1)).msecsTo(receivedAt(sends.at(i)));
            QVERIFY2(gap >= retryAfterSeconds * 950,
                     qPrintable(QStringLiteral("resent after %1 ms").arg(gap)));
        }
        expectDeliveredOnce();
    }

    // The connection is reset, before the backend stored the batch or after (the agent never learns that
    // it did): the resend carries the same Idempotency-Key and, when stored, is answered as a replay.
    void connectionReset_data()
    {
        QTest::addColumn<bool>("afterHandler");
        QTest::newRow("before the backend stored it") << false;
        QTest::newRow("after the backend stored it") << true;
    }
    void connectionReset()
    {
        QFETCH(bool, afterHandler);
        CHECKED(installWorld());
        setFault(QStringLiteral("batches"), QJsonObject{{QStringLiteral("reset"), true},
                                                        {QStringLiteral("after_handler"), afterHandler}});
        auto process = m_world->startSync();
        const AgentRun run = finishStarted(
            *process, [this] { return requestsOf(*m_world, QStringLiteral("batches")).size() >= 2; });
        ItemCounts counts;
        CHECKED(expectExit(run, 0, counts));
        QCOMPARE(counts.pending, 0);
        const QJsonArray received = batches(*m_world);
        const qint64 sends = requestsOf(*m_world, QStringLiteral("batches")).size();
        QVERIFY2(sends >= 3, qPrintable(QString::number(sends)));
        if (afterHandler) {
            // Every send reached the backend: each batch's first one, the others replays of it.
            QVERIFY(sumOf(received, "replays") >= 2);
            QCOMPARE(received.size() + sumOf(received, "replays"), sends);
        } else {
            QCOMPARE(sumOf(received, "replays"), 0);
            QVERIFY(received.size() <= sends - 2);
        }
        expectDeliveredOnce();
    }

    // Slow, but within the agent's time-out: delivered by the first send of each batch.
    void slowBackend()
    {
        CHECKED(installWorld());
        setFault(QStringLiteral("batches"), QJsonObject{{QStringLiteral("latency_ms"), 3000}});
        ItemCounts counts;
        CHECKED(expectExit(m_world->sync(), 0, counts));
        QCOMPARE(counts.pending, 0);
        const QJsonArray received = batches(*m_world);
        QCOMPARE(requestsOf(*m_world, QStringLiteral("batches")).size(), received.size());
        QCOMPARE(sumOf(received, "replays"), 0);
        expectDeliveredOnce();
    }

    // No answer within the agent's time-out (30 s without a byte): the batch is resent under its key. With
    // the answer merely late the backend had stored it (the handler runs on arrival): a replay.
    void beyondTheTimeout_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<bool>("stored");
        QTest::newRow("answer later than the time-out")
            << QJsonObject{{QStringLiteral("latency_ms"), 45'000}} << true;
        QTest::newRow("no answer at all") << QJsonObject{{QStringLiteral("hang"), true}} << false;
    }
    void beyondTheTimeout()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(bool, stored);
        CHECKED(installWorld());
        setFault(QStringLiteral("batches"), fault);
        auto process = m_world->startSync();
        const AgentRun run = finishStarted(
            *process, [this] { return !requestsOf(*m_world, QStringLiteral("batches")).isEmpty(); });
        ItemCounts counts;
        CHECKED(expectExit(run, 0, counts));
        QCOMPARE(counts.pending, 0);
        const QJsonArray received = batches(*m_world);
        const qint64 sends = requestsOf(*m_world, QStringLiteral("batches")).size();
        QVERIFY2(sends >= 2, qPrintable(QString::number(sends)));
        QCOMPARE(sumOf(received, "replays"), stored ? 1 : 0);
        QCOMPARE(received.size() + sumOf(received, "replays") + (stored ? 0 : 1), sends);
        expectDeliveredOnce();
    }

    // 413: the agent halves the batch until the backend takes it, and everything arrives once.
    void tooLarge_data()
    {
        QTest::addColumn<QString>("limit");
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("measure");
        QTest::newRow("at most 5 items a batch") << u"max_batch_items"_s << 5 << u"item_count"_s;
        // The clinic's largest item (a consultation with long notes) is about 11 KB gzipped: alone it fits.
        QTest::newRow("at most 16 KiB a batch") << u"max_batch_bytes"_s << 16 * 1024 << u"wire_bytes"_s;
    }
    void tooLarge()
    {
        QFETCH(QString, limit);
        QFETCH(int, value);
        QFETCH(QString, measure);
        CHECKED(installWorld());
        const auto configured =
            m_world->backendAdmin("PUT", QStringLiteral("/config"), QJsonObject{{limit, value}});
        QVERIFY2(configured.status == 200, configured.body.constData());
        ItemCounts counts;
        CHECKED(expectExit(m_world->sync(), 0, counts));
        QCOMPARE(counts.pending, 0);
        QCOMPARE(counts.failed, 0);
        QVERIFY(answeredWith(*m_world, QStringLiteral("batches"), 413) >= 1);
        const QJsonArray received = batches(*m_world);
        QVERIFY(received.size() >= 2);
        for (const QJsonValue& v : received)
            QVERIFY(v.toObject().value(measure).toInteger() <= value);
        expectDeliveredOnce();
    }

    // 401: uploads stop at once and the run fails naming it; the outbox keeps every item.
    void tokenRevoked()
    {
        CHECKED(installWorld());
        CHECKED(syncUntilUpload());
        const QString agent = agentId();
        QVERIFY(!agent.isEmpty());
        const auto revoked =
            m_world->backendAdmin("POST", QStringLiteral("/agents/%1/revoke-token").arg(agent));
        QVERIFY2(revoked.status == 200, revoked.body.constData());

        // The run that takes up the upload stops at the first 401; a later run at the clinic profile,
        // before reading Neo. Either way every item still waits in the outbox.
        qint64 pending = -1;
        for (const char* when : {"taking up the upload", "a later run"}) {
            const AgentRun run = m_world->sync();
            ItemCounts counts;
            CHECKED(expectExit(run, 1, counts));
            const QByteArray context = QByteArray(when) + '\n' + run.describe();
            QVERIFY2(run.out.contains(QStringLiteral("[backend_auth_revoked]")), context.constData());
            QVERIFY2(counts.pending > 0 && counts.uploaded == 0, context.constData());
            if (pending < 0)
                QVERIFY2(counts.pending == counts.queued, context.constData());
            else
                QVERIFY2(counts.pending == pending, context.constData());
            pending = counts.pending;
        }
        // One send, answered 401, and no other.
        QCOMPARE(requestsOf(*m_world, QStringLiteral("batches")).size(), 1);
        QCOMPARE(answeredWith(*m_world, QStringLiteral("batches"), 401), 1);
        QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
        expectNothingDuplicated();
    }

    // 403 agent_deprovisioned, to a batch or to the clinic profile: the install's data and keychain
    // entries are wiped, and the run fails saying so.
    void deprovisioned_data()
    {
        QTest::addColumn<bool>("atUpload");
        QTest::newRow("answered to a batch") << true;
        QTest::newRow("answered to the clinic profile") << false;
    }
    void deprovisioned()
    {
        QFETCH(bool, atUpload);
        CHECKED(installWorld());
        if (atUpload)
            CHECKED(syncUntilUpload());
        const QString installId =
            readFile(m_world->path(QStringLiteral("config/Odis/odis-agent/install-id"))).trimmed();
        QVERIFY2(!installId.isEmpty(), "no install id");
        QVERIFY2(!keychainKeys(installId).isEmpty(), "the install has no keychain entries to begin with");
        const QString agent = agentId();
        QVERIFY(!agent.isEmpty());
        const auto removed =
            m_world->backendAdmin("POST", QStringLiteral("/agents/%1/deprovision").arg(agent));
        QVERIFY2(removed.status == 200, removed.body.constData());

        const AgentRun run = m_world->sync();
        QVERIFY2(run.finished && run.exitCode == 1, run.describe().constData());
        QVERIFY2(run.out.contains(QStringLiteral("[agent_deprovisioned]")), run.describe().constData());
        QCOMPARE(keychainKeys(installId), QStringList());
        QCOMPARE(answeredWith(*m_world, QStringLiteral("batches"), 403), atUpload ? 1 : 0);
        QCOMPARE(requestsOf(*m_world, QStringLiteral("batches")).size(), atUpload ? 1 : 0);
        QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
        expectNothingDuplicated();

        // Nothing of the install is left to run with: a later start stops before it reaches the backend
        // (its store's key went with the keychain entries) and creates no new entry.
        const qint64 requestsBefore = m_world->backendAdmin("GET", QStringLiteral("/requests"))
                                          .json()
                                          .value(QStringLiteral("total"))
                                          .toInteger();
        const AgentRun after = m_world->sync();
        QVERIFY2(after.finished && after.exitCode != 0, after.describe().constData());
        QCOMPARE(m_world->backendAdmin("GET", QStringLiteral("/requests"))
                     .json()
                     .value(QStringLiteral("total"))
                     .toInteger(),
                 requestsBefore);
        QCOMPARE(keychainKeys(installId), QStringList());
    }
};

QTEST_GUILESS_MAIN(SyncBackendFaultsTest)
#include "tst_sync_backend_faults.moc"
