// Every backend fault of issue 5 (500, 503, 429, reset, slow, beyond the time-out, 413, 401, 403) against
// the real `odis-agent sync --once --headless` process, the Neo simulator and the backend double as
// processes over HTTPS: whatever the fault, nothing is lost and nothing is duplicated in the backend
// double (docs/backend-api.md, "Errors and how the agent reacts"). Once the fault is gone, what the
// backend holds equals the Neo simulator's ground truth.
//
// A small clinic (two days, synced on Monday evening) keeps each sync short: the first one reads the
// day's consultations and plans their calls, all of which fit in one batch unless a test limits batches.

#include "storage/credential_store.h"
#include "tests/e2e/backend_fault_probe.h"
#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/sync_world.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

// Runs a helper that verifies, and returns from the test when it failed.
#define CHECKED(call)                                                                                        \
    do {                                                                                                     \
        call;                                                                                                \
        if (QTest::currentTestFailed())                                                                      \
            return;                                                                                          \
    } while (false)

using namespace odis::test;
using namespace Qt::StringLiterals;

class SyncBackendFaultsTest : public QObject
{
    Q_OBJECT

private:
    BackendFaultWorld m_fx;
    SyncWorld* m_world = nullptr;

    static constexpr int kShortTransferTimeoutS = 5;

    void installWorld(int transferTimeoutS = 0)
    {
        m_fx.install(transferTimeoutS);
        m_world = m_fx.world();
    }

private Q_SLOTS:
    void cleanup()
    {
        m_fx.reset();
        m_world = nullptr;
    }

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
        if (rate < 1.0) { // the seeded draws: two failures, then the third send gets through in this run
            QCOMPARE(answeredWith(*m_world, QStringLiteral("batches"), status), 2);
            QVERIFY2(faulted.exitCode == 0 && counts.pending == 0, faulted.describe().constData());
        } else { // past the run's retry budget: partial, and everything waits in the outbox
            QVERIFY(answeredWith(*m_world, QStringLiteral("batches"), status) >= 2);
            QVERIFY2(faulted.exitCode == 4 && faulted.out.contains(QStringLiteral("[backend_server_error]")),
                     faulted.describe().constData());
            QVERIFY2(counts.uploaded == 0 && counts.pending == counts.queued, faulted.describe().constData());
            QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
        }
        m_fx.expectNothingDuplicated();

        m_fx.clearFaults();
        // A later run, as the scheduler would start it (its clock past the batch's backoff).
        QVERIFY(m_world->advanceNeo(10 * 60));
        CHECKED(expectExit(m_world->sync(), 0, counts));
        QCOMPARE(counts.pending, 0);
        m_fx.expectDeliveredOnce();
    }

    // 429: the agent waits Retry-After before it resends, then delivers exactly once.
    void rateLimited()
    {
        constexpr int retryAfterSeconds = 2;
        CHECKED(installWorld());
        m_fx.setFault(QStringLiteral("batches"),
                      QJsonObject{{QStringLiteral("rate_limit"),
                                   QJsonObject{{QStringLiteral("requests"), 0},
                                               {QStringLiteral("per_seconds"), 60},
                                               {QStringLiteral("retry_after"), retryAfterSeconds}}}});
        auto process = m_world->startSync();
        const AgentRun run = m_fx.finishStarted(
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
        m_fx.expectDeliveredOnce();
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
        m_fx.setFault(
            QStringLiteral("batches"),
            QJsonObject{{QStringLiteral("reset"), true}, {QStringLiteral("after_handler"), afterHandler}});
        auto process = m_world->startSync();
        const AgentRun run = m_fx.finishStarted(
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
        m_fx.expectDeliveredOnce();
    }

    // Slow, but within the agent's time-out: delivered by the first send of each batch.
    void slowBackend()
    {
        CHECKED(installWorld());
        m_fx.setFault(QStringLiteral("batches"), QJsonObject{{QStringLiteral("latency_ms"), 3000}});
        ItemCounts counts;
        CHECKED(expectExit(m_world->sync(), 0, counts));
        QCOMPARE(counts.pending, 0);
        const QJsonArray received = batches(*m_world);
        QCOMPARE(requestsOf(*m_world, QStringLiteral("batches")).size(), received.size());
        QCOMPARE(sumOf(received, "replays"), 0);
        m_fx.expectDeliveredOnce();
    }

    // No answer within the agent's time-out (here backend.transfer_timeout_s = 5 s without a byte; 30 s
    // by default): the batch is resent under its key. With the answer merely late the backend had stored
    // it (the handler runs on arrival): a replay.
    void beyondTheTimeout_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<bool>("stored");
        QTest::newRow("answer later than the time-out")
            << QJsonObject{{QStringLiteral("latency_ms"), 12'000}} << true;
        QTest::newRow("no answer at all") << QJsonObject{{QStringLiteral("hang"), true}} << false;
    }
    void beyondTheTimeout()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(bool, stored);
        CHECKED(installWorld(kShortTransferTimeoutS));
        m_fx.setFault(QStringLiteral("batches"), fault);
        auto process = m_world->startSync();
        const AgentRun run = m_fx.finishStarted(
            *process, [this] { return !requestsOf(*m_world, QStringLiteral("batches")).isEmpty(); });
        ItemCounts counts;
        CHECKED(expectExit(run, 0, counts));
        QCOMPARE(counts.pending, 0);
        const QJsonArray received = batches(*m_world);
        const qint64 sends = requestsOf(*m_world, QStringLiteral("batches")).size();
        QVERIFY2(sends >= 2, qPrintable(QString::number(sends)));
        QCOMPARE(sumOf(received, "replays"), stored ? 1 : 0);
        QCOMPARE(received.size() + sumOf(received, "replays") + (stored ? 0 : 1), sends);
        m_fx.expectDeliveredOnce();
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
        for (const QJsonValue v : received)
            QVERIFY(v.toObject().value(measure).toInteger() <= value);
        m_fx.expectDeliveredOnce();
    }

    // 413 for a batch of one item: it cannot be split, so it goes to the failed queue a person sees while
    // the rest goes up; once the backend takes it, `failed retry --all` and the next run deliver it.
    void tooLargeAlone()
    {
        CHECKED(installWorld());
        // Below the clinic's largest items (about 11 KB gzipped), above most of them.
        auto configured = m_world->backendAdmin("PUT", QStringLiteral("/config"),
                                                QJsonObject{{QStringLiteral("max_batch_bytes"), 8 * 1024}});
        QVERIFY2(configured.status == 200, configured.body.constData());
        ItemCounts counts;
        const AgentRun refused = m_world->sync();
        CHECKED(expectExit(refused, 4, counts));
        QVERIFY2(refused.out.contains(QStringLiteral("[items_failed]")), refused.describe().constData());
        QVERIFY2(counts.failed > 0 && counts.pending == 0, refused.describe().constData());
        QCOMPARE(counter(m_world->backendSummary(), "items"), counts.queued - counts.failed);
        m_fx.expectNothingDuplicated();
        const AgentRun listed = m_world->agent({QStringLiteral("failed"), QStringLiteral("list")});
        QVERIFY2(listed.exitCode == 0 &&
                     listed.out.count(QStringLiteral("outbox_item_too_large")) == counts.failed,
                 listed.describe().constData());

        configured = m_world->backendAdmin("PUT", QStringLiteral("/config"),
                                           QJsonObject{{QStringLiteral("max_batch_bytes"), 2 * 1024 * 1024}});
        QVERIFY2(configured.status == 200, configured.body.constData());
        const AgentRun retried =
            m_world->agent({QStringLiteral("failed"), QStringLiteral("retry"), QStringLiteral("--all")});
        QVERIFY2(retried.exitCode == 0, retried.describe().constData());
        QVERIFY(m_world->advanceNeo(10 * 60));
        CHECKED(expectExit(m_world->sync(), 0, counts));
        QCOMPARE(counts.pending, 0);
        QCOMPARE(counts.failed, 0);
        m_fx.expectDeliveredOnce();
    }

    // 401: uploads stop at once and the run fails naming it; the outbox keeps every item, an alert asks
    // for re-enrollment, and once enrolled again (same clinic only) everything goes up once.
    void tokenRevoked()
    {
        CHECKED(installWorld());
        CHECKED(m_fx.syncUntilUpload());
        const QString agent = m_fx.agentId();
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
        m_fx.expectNothingDuplicated();

        // A person is told, and enrolls the install again; a code of another clinic is refused so that this
        // clinic's waiting data never goes up under another's.
        const AgentRun told = m_world->sync();
        QVERIFY2(told.out.contains(QStringLiteral("reenrollment_needed")), told.describe().constData());
        const auto wrongClinic = m_world->enrollWithNewCode(
            {QStringLiteral("--replace")},
            QJsonObject{{QStringLiteral("clinic_id"), QStringLiteral("clinic-sim-other")}});
        QVERIFY(wrongClinic);
        QVERIFY2(wrongClinic->exitCode == 1 &&
                     wrongClinic->err.contains(QStringLiteral("enrollment_clinic_mismatch")),
                 wrongClinic->describe().constData());
        const auto again = m_world->enrollWithNewCode({QStringLiteral("--replace")});
        QVERIFY(again);
        QVERIFY2(again->exitCode == 0 && again->out.contains(QStringLiteral("replaces agent ") + agent),
                 again->describe().constData());
        ItemCounts delivered;
        // The clinic's clock stands still between syncs; a minute on, this run is the newest one for the
        // alert rules too.
        QVERIFY(m_world->advanceNeo(60));
        const AgentRun caughtUp = m_world->sync();
        CHECKED(expectExit(caughtUp, 0, delivered));
        QCOMPARE(delivered.pending, 0);
        QVERIFY2(!caughtUp.out.contains(QStringLiteral("reenrollment_needed")),
                 caughtUp.describe().constData());
        m_fx.expectDeliveredOnce();
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
            CHECKED(m_fx.syncUntilUpload());
        const QString installId =
            readFile(m_world->path(QStringLiteral("config/Odis/odis-agent/install-id"))).trimmed();
        QVERIFY2(!installId.isEmpty(), "no install id");
        QVERIFY2(!keychainKeys(installId).isEmpty(), "the install has no keychain entries to begin with");
        const QString agent = m_fx.agentId();
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
        m_fx.expectNothingDuplicated();

        // Nothing of the install is left to run with (tst_sync_security lists it all): a later start is a
        // new install, with a new id, whose new database and audit keys are its only keychain entries (no
        // token, no IDEXX login), and stops, not enrolled, before it reaches the backend.
        QVERIFY(!QFile::exists(m_world->path(QStringLiteral("config/Odis/odis-agent/install-id"))));
        const qint64 requestsBefore = backendRequestTotal(*m_world);
        const AgentRun after = m_world->sync();
        QVERIFY2(after.finished && after.exitCode != 0, after.describe().constData());
        QVERIFY2(after.out.contains(QStringLiteral("[agent_not_enrolled]")), after.describe().constData());
        QCOMPARE(backendRequestTotal(*m_world), requestsBefore);
        QCOMPARE(keychainKeys(installId), QStringList());
        const QString newId =
            readFile(m_world->path(QStringLiteral("config/Odis/odis-agent/install-id"))).trimmed();
        QVERIFY2(!newId.isEmpty() && newId != installId, qPrintable(newId));
        QStringList fresh = keychainKeys(newId);
        fresh.sort();
        QCOMPARE(fresh, (QStringList{newId + QLatin1Char('/') + odis::storage::secret::kAuditHmacKey,
                                     newId + QLatin1Char('/') + odis::storage::secret::kDatabaseKey}));
        QVERIFY(!QFile::exists(m_world->path(QStringLiteral("data/Odis/odis-agent/agent.db.deprovisioned"))));

        // IT enrolls it again with a new code: a fresh install of the same clinic, which delivers it all.
        const auto enrolled = m_world->enrollWithNewCode();
        QVERIFY2(enrolled && enrolled->exitCode == 0,
                 enrolled ? enrolled->describe().constData() : "no code");
        const auto saved = m_world->saveNeoLogin();
        QVERIFY2(saved && saved->exitCode == 0, saved ? saved->describe().constData() : "no login");
        QVERIFY(m_world->advanceNeo(60));
        ItemCounts delivered;
        CHECKED(expectExit(m_world->sync(), 0, delivered));
        m_fx.expectDeliveredOnce();
    }
};

QTEST_GUILESS_MAIN(SyncBackendFaultsTest)
#include "tst_sync_backend_faults.moc"
