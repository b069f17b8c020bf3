// What the backend double received survives its restart: the server object destroyed and recreated over
// the same state directory, and the real odis-backend-sim executable stopped with SIGTERM and started
// again (its READY line, its exit code, and its data).

#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/test_pki.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::sim;
using namespace odis::sim::test;

namespace {

const QString kCode = QStringLiteral("RESTART-CODE");

// Leaves one of everything in the store and returns the batch's body and answer for a later replay.
struct Traffic
{
    QJsonObject batch;
    QString batchId;
    QByteArray batchAnswer;
};

Traffic sendOneOfEverything(AgentSession& agent, SimTestClient& client, const QUrl& base)
{
    Traffic t;
    t.batchId = newUuid();
    t.batch = batchBody(agent.clinicId,
                        {item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("1")),
                              QStringLiteral("2026-03-10T16:00:00Z")),
                         item(QStringLiteral("discharge_call"), dischargeCallPayload(QStringLiteral("1")),
                              QStringLiteral("2026-03-10T16:00:00Z"))},
                        t.batchId);
    t.batchAnswer = agent.change("POST", QStringLiteral("/v1/sync/batches"), t.batch, t.batchId).body;
    agent.change("PUT", QStringLiteral("/v1/sync/runs/r1"),
                 runReport(QStringLiteral("r1"), QStringLiteral("completed")));
    client.sendJson(
        "POST",
        base.resolved(QUrl(QStringLiteral("/__admin/agents/") + agent.agentId + QStringLiteral("/commands"))),
        QJsonObject{{QStringLiteral("type"), QStringLiteral("pause")}});
    agent.change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody());
    agent.change("POST", QStringLiteral("/v1/audit/batches"),
                 QJsonObject{{QStringLiteral("entries"), auditEntries(1, 4)}});
    client.sendJson("POST", base.resolved(QUrl(QStringLiteral("/batch/"))), posthogBody(agent.agentId, 2));
    return t;
}

// Every count, plus the data a restart must not change.
QJsonObject snapshot(const AgentSession& agent)
{
    return QJsonObject{{QStringLiteral("summary"), agent.admin(QStringLiteral("/summary"))},
                       {QStringLiteral("items"), agent.admin(QStringLiteral("/items"))},
                       {QStringLiteral("commands"), agent.admin(QStringLiteral("/commands"))},
                       {QStringLiteral("audit"), agent.admin(QStringLiteral("/audit"))},
                       {QStringLiteral("profile"), agent.admin(QStringLiteral("/clinic-profile"))}};
}

void verifyServesTheSameAgent(AgentSession& agent, const Traffic& t)
{
    QCOMPARE(agent.get(QStringLiteral("/v1/clinic")).status, 200);
    const HttpResult replay = agent.change("POST", QStringLiteral("/v1/sync/batches"), t.batch, t.batchId);
    QCOMPARE(replay.body, t.batchAnswer);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
    const QJsonArray commands = agent.change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody())
                                    .json()
                                    .value(QStringLiteral("commands"))
                                    .toArray();
    QCOMPARE(commands.size(), 1); // still unacknowledged
    AgentSession late(agent);
    QCOMPARE(late.enroll(kCode).status, 404); // the startup code stays used
}

} // namespace

class TstBackendRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void recreatedServerKeepsEverything();
    void restartedExecutableKeepsEverything();

private:
    QUrl startProcess(QProcess& process, const QString& stateDir);

    QTemporaryDir m_pkiDir;
    std::optional<TestPki> m_pki;
    std::unique_ptr<SimTestClient> m_client;
};

void TstBackendRestart::initTestCase()
{
    auto pki = TestPki::loadOrCreate(m_pkiDir.path());
    QVERIFY(pki.has_value());
    m_pki = *pki;
    m_client = std::make_unique<SimTestClient>(m_pki->clientConfiguration());
}

void TstBackendRestart::recreatedServerKeepsEverything()
{
    QTemporaryDir state;
    auto first = startBackend(state.path(), *m_pki, kCode);
    QVERIFY(first.has_value());
    AgentSession agent(*m_client, (*first)->baseUrl());
    QCOMPARE(agent.enroll(kCode).status, 201);
    const Traffic traffic = sendOneOfEverything(agent, *m_client, (*first)->baseUrl());
    QJsonObject profile = agent.get(QStringLiteral("/v1/clinic")).json();
    profile.insert(QStringLiteral("name"), QStringLiteral("Set before the restart"));
    QCOMPARE(m_client
                 ->sendJson("PUT",
                            (*first)->baseUrl().resolved(QUrl(QStringLiteral("/__admin/clinic-profile"))),
                            profile)
                 .status,
             200);
    const QJsonObject before = snapshot(agent);
    QCOMPARE(before[QStringLiteral("summary")][QStringLiteral("items")].toInt(), 2);
    first->reset();

    auto second = startBackend(state.path(), *m_pki, kCode);
    QVERIFY(second.has_value());
    AgentSession again(*m_client, (*second)->baseUrl());
    again.agentId = agent.agentId;
    again.token = agent.token;
    again.clinicId = agent.clinicId;
    QCOMPARE(snapshot(again), before);
    verifyServesTheSameAgent(again, traffic);
    QCOMPARE(again.get(QStringLiteral("/v1/clinic")).json().value(QStringLiteral("name")).toString(),
             QStringLiteral("Set before the restart"));
}

QUrl TstBackendRestart::startProcess(QProcess& process, const QString& stateDir)
{
    process.setProgram(QStringLiteral(ODIS_BACKEND_SIM_EXE));
    process.setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--state-dir"),
                          stateDir, QStringLiteral("--tls-dir"), m_pki->directory(),
                          QStringLiteral("--enrollment-code"), kCode});
    process.start();
    if (!process.waitForStarted(10'000))
        return {};
    while (!process.canReadLine() && process.waitForReadyRead(15'000)) {
    }
    const QByteArray line = process.readLine().trimmed();
    if (!line.startsWith("READY "))
        return {};
    return QUrl(QString::fromLatin1(line.mid(6)));
}

void TstBackendRestart::restartedExecutableKeepsEverything()
{
    QTemporaryDir state;
    QProcess process;
    const QUrl first = startProcess(process, state.path());
    QVERIFY2(first.isValid(), first.isValid() ? "" : process.readAllStandardError().constData());
    QCOMPARE(first.scheme(), QStringLiteral("https"));
    QCOMPARE(first.host(), QStringLiteral("127.0.0.1"));
    AgentSession agent(*m_client, first);
    QCOMPARE(agent.enroll(kCode).status, 201);
    const Traffic traffic = sendOneOfEverything(agent, *m_client, first);
    const QJsonObject before = snapshot(agent);

    process.terminate(); // SIGTERM
    QVERIFY(process.waitForFinished(10'000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.readAllStandardOutput(), QByteArray()); // READY was the only line
    QVERIFY(process.readAllStandardError().contains(QByteArray("enrollment code " + kCode.toLatin1())));

    QProcess restarted;
    const QUrl second = startProcess(restarted, state.path());
    QVERIFY2(second.isValid(), second.isValid() ? "" : restarted.readAllStandardError().constData());
    AgentSession again(*m_client, second);
    again.agentId = agent.agentId;
    again.token = agent.token;
    again.clinicId = agent.clinicId;
    QCOMPARE(snapshot(again), before);
    verifyServesTheSameAgent(again, traffic);
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10'000));
    QCOMPARE(restarted.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TstBackendRestart)
#include "tst_backend_restart.moc"
