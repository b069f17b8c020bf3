// Run reports to the backend double over HTTPS (agent/run/run_reporter.h): the start and end report of a
// run arrive exactly as built, a resend is the same request (the double replays its first answer), and a
// failing backend leaves reports owed until a later round sends them. The agent is enrolled through the
// double's API directly (no keychain needed): the reporter only needs a client with an identity.
//
// The double runs as its own process (odis-backend-sim) here: in a process that also links SQLCipher, Qt's
// SQLite driver binds to SQLCipher's SQLite 3.15, which lacks the upsert the double's runs store uses.

#include "agent/run/run_reporter.h"
#include "sync/backend/backend_client.h"
#include "tests/integration/run_store_fixture.h"
#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace odis::agent;
using namespace odis::test;
using namespace std::chrono_literals;

class TestRunReporter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<odis::sim::TestPki> m_pki;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<QProcess> m_double;
    QUrl m_base;
    std::unique_ptr<odis::sim::test::SimTestClient> m_http;
    std::unique_ptr<RunStoreFixture> s;
    odis::SystemClock m_clock;
    std::unique_ptr<odis::sync::BackendClient> m_client;
    std::unique_ptr<RunReporter> m_reporter;

    QUrl admin(const QString& path) const { return m_base.resolved(QUrl(QStringLiteral("/__admin") + path)); }

    QJsonArray reportsOf(const QString& runId)
    {
        const auto r = m_http->get(admin(QStringLiteral("/run-reports?run_id=") + runId));
        if (r.status != 200)
            qFatal("run-reports answered %d", r.status);
        return r.json().value(QStringLiteral("run_reports")).toArray();
    }

    odis::Status sendAndWait(const RunRecord& run, RunReportKind kind)
    {
        std::optional<odis::Status> result;
        m_reporter->send(run, kind, [&result](odis::Status r) { result = std::move(r); });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 10'000))
            return odis::fail(QStringLiteral("test_timeout"), QStringLiteral("no answer"));
        return *result;
    }

    std::optional<RunReportsSent> sendPendingAndWait()
    {
        std::optional<RunReportsSent> result;
        m_reporter->sendPending([&result](RunReportsSent r) { result = std::move(r); });
        (void)QTest::qWaitFor([&result] { return result.has_value(); }, 10'000);
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto pki = odis::sim::TestPki::loadOrCreate(m_dir.filePath(QStringLiteral("pki")));
        QVERIFY2(pki, failure(pki).constData());
        m_pki = *pki;
    }

    void init()
    {
        m_state = std::make_unique<QTemporaryDir>();
        m_double = std::make_unique<QProcess>();
        m_double->setProgram(QStringLiteral(ODIS_BACKEND_SIM_EXE));
        m_double->setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--state-dir"),
                                m_state->path(), QStringLiteral("--tls-dir"), m_pki->directory(),
                                QStringLiteral("--enrollment-code"), QStringLiteral("ENROLL-RUNS-0001")});
        m_double->start();
        QVERIFY(m_double->waitForStarted(10'000));
        while (!m_double->canReadLine() && m_double->waitForReadyRead(15'000)) {
        }
        const QByteArray ready = m_double->readLine().trimmed();
        QVERIFY2(ready.startsWith("READY "), m_double->readAllStandardError().constData());
        m_base = QUrl(QString::fromLatin1(ready.mid(6)));
        m_http = std::make_unique<odis::sim::test::SimTestClient>(m_pki->clientConfiguration());
        odis::sim::test::AgentSession agent(*m_http, m_base);
        QCOMPARE(agent.enroll(QStringLiteral("ENROLL-RUNS-0001")).status, 201);

        odis::sync::BackendConfig config;
        config.baseUrl = m_base;
        config.caFile = m_pki->caCertificatePath();
        config.transferTimeout = 3000ms;
        config.totalTimeout = 10000ms;
        config.osName = QStringLiteral("Debian GNU/Linux 12 (bookworm)");
        auto client = odis::sync::BackendClient::create(config, m_clock);
        QVERIFY2(client, failure(client).constData());
        m_client = std::move(*client);
        m_client->setIdentity(agent.agentId, agent.token);

        s = std::make_unique<RunStoreFixture>();
        QVERIFY(s->open());
        m_reporter = std::make_unique<RunReporter>(*m_client, *s->log);
    }

    void cleanup()
    {
        m_reporter.reset();
        m_client.reset();
        s.reset();
        m_http.reset();
        if (m_double) {
            m_double->terminate();
            QVERIFY(m_double->waitForFinished(10'000));
            m_double.reset();
        }
        m_state.reset();
    }

    void startAndEndReportsArriveAsBuilt()
    {
        const RunRecord run = s->started(RunTrigger::Manual);
        QVERIFY2(sendAndWait(run, RunReportKind::Start), "start report");
        QVERIFY(s->log->setStep(run.runId, run_step::kUpload));
        s->clock.advanceSecs(75);
        RunOutcome outcome;
        outcome.counts = RunCounts{10, 2, 2, 6, 6, 1, 1, 0};
        outcome.peakRssMb = 250.0;
        const RunRecord done = *s->log->finish(run.runId, outcome);
        QVERIFY2(sendAndWait(done, RunReportKind::End), "end report");

        const QJsonArray reports = reportsOf(run.runId);
        QCOMPARE(reports.size(), 2);
        QCOMPARE(reports.at(0).toObject().value(QStringLiteral("report")).toObject(),
                 *runReportJson(run, RunReportKind::Start));
        QCOMPARE(reports.at(1).toObject().value(QStringLiteral("report")).toObject(),
                 *runReportJson(done, RunReportKind::End));
        QVERIFY(s->log->pendingReports()->isEmpty());
    }

    void aResendIsTheSameRequest()
    {
        const RunRecord run = s->started();
        QVERIFY(sendAndWait(run, RunReportKind::Start));
        // As if the answer had been lost: the same report again, even after the run moved on.
        QVERIFY(s->log->setStep(run.runId, run_step::kSchedule));
        QVERIFY(sendAndWait(**s->log->find(run.runId), RunReportKind::Start));
        QCOMPARE(reportsOf(run.runId).size(), 1); // replayed by the double, not stored twice
    }

    void aFailingBackendLeavesReportsOwed()
    {
        const RunRecord first = s->finished(RunStatus::Completed);
        const RunRecord second = s->finished(RunStatus::Failed);
        const RunRecord running = s->started(RunTrigger::Startup);
        QCOMPARE(m_http
                     ->sendJson("PUT", admin(QStringLiteral("/faults/runs")),
                                QJsonObject{{QStringLiteral("error_rate"), 1.0},
                                            {QStringLiteral("error_status"), 503}})
                     .status,
                 200);
        auto round = sendPendingAndWait();
        QVERIFY(round);
        QCOMPARE(round->sent, 0);
        QCOMPARE(round->error->code, QStringLiteral("backend_server_error"));
        QCOMPARE(s->log->pendingReports()->size(), 3);

        QCOMPARE(m_http->send("DELETE", admin(QStringLiteral("/faults"))).status, 204);
        round = sendPendingAndWait();
        QVERIFY(round);
        QVERIFY2(!round->error, qPrintable(round->error ? round->error->toString() : QString()));
        QCOMPARE(round->sent, 3);
        QVERIFY(s->log->pendingReports()->isEmpty());
        // Finished runs owed only their end report; the running one its start report.
        QCOMPARE(reportsOf(first.runId)
                     .first()
                     .toObject()
                     .value(QStringLiteral("report"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("completed"));
        QCOMPARE(reportsOf(second.runId).size(), 1);
        QCOMPARE(reportsOf(running.runId)
                     .first()
                     .toObject()
                     .value(QStringLiteral("report"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("running"));

        const auto nothing = sendPendingAndWait();
        QVERIFY(nothing && !nothing->error);
        QCOMPARE(nothing->sent, 0);
    }

    void aRevokedTokenStopsTheRound()
    {
        (void)s->finished(RunStatus::Completed);
        m_client->setIdentity(m_client->agentId(), QStringLiteral("not-the-token"));
        auto round = sendPendingAndWait();
        QVERIFY(round);
        QCOMPARE(round->error->code, QStringLiteral("backend_auth_revoked"));
        QCOMPARE(s->log->pendingReports()->size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRunReporter)
#include "tst_run_reporter.moc"
