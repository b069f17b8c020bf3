// The audit log shipped to the backend double (agent/audit/audit_shipper.h) over HTTPS: every entry once, in
// batches, the acknowledged head recorded as the chain's anchor, only what is new sent next time; and a local
// log cut below that anchor fails verification (what `odis-agent verify-audit` runs). The double runs as its
// own process (see tst_run_reporter.cpp for why).

#include "agent/audit/audit_shipper.h"
#include "storage/audit_log.h"
#include "storage/audit_verification.h"
#include "sync/backend/backend_client.h"
#include "tests/integration/run_store_fixture.h"
#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"

#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace odis;
using namespace odis::agent;
using namespace odis::test;
using namespace std::chrono_literals;

class AuditShippingTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<sim::TestPki> m_pki;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<QProcess> m_double;
    QUrl m_base;
    std::unique_ptr<sim::test::SimTestClient> m_http;
    std::unique_ptr<RunStoreFixture> s;
    SystemClock m_clock;
    std::unique_ptr<sync::BackendClient> m_client;
    std::unique_ptr<storage::AuditLog> m_log;
    QString m_agentId;

    void append(int n)
    {
        for (int i = 0; i < n; ++i) {
            auto e = m_log->append(QStringLiteral("agent"), QStringLiteral("test.entry"),
                                   QStringLiteral("install"), QStringLiteral("ok"));
            QVERIFY2(e, failure(e).constData());
        }
    }

    Result<AuditShipResult> ship(AuditShipper& shipper)
    {
        std::optional<Result<AuditShipResult>> result;
        shipper.ship([&result](Result<AuditShipResult> r) { result = std::move(r); });
        if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30'000))
            return fail(QStringLiteral("test_timeout"), QStringLiteral("no answer"));
        return *result;
    }

    // The double's head for this agent (acked_through_seq), and the entries it holds.
    qint64 backendHead()
    {
        const QJsonObject audit = m_http->get(m_base.resolved(QUrl(QStringLiteral("/__admin/audit")))).json();
        qint64 head = 0;
        for (const QJsonValue h : audit.value(QStringLiteral("heads")).toArray())
            head =
                std::max<qint64>(head, h.toObject().value(QStringLiteral("acked_through_seq")).toInteger());
        return head;
    }

    qint64 backendEntries()
    {
        const QJsonObject audit = m_http->get(m_base.resolved(QUrl(QStringLiteral("/__admin/audit")))).json();
        return audit.value(QStringLiteral("entries")).toArray().size();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto pki = sim::TestPki::loadOrCreate(m_dir.filePath(QStringLiteral("pki")));
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
                                QStringLiteral("--enrollment-code"), QStringLiteral("ENROLL-AUDIT-0001")});
        m_double->start();
        QVERIFY(m_double->waitForStarted(10'000));
        while (!m_double->canReadLine() && m_double->waitForReadyRead(15'000)) {
        }
        const QByteArray ready = m_double->readLine().trimmed();
        QVERIFY2(ready.startsWith("READY "), m_double->readAllStandardError().constData());
        m_base = QUrl(QString::fromLatin1(ready.mid(6)));
        m_http = std::make_unique<sim::test::SimTestClient>(m_pki->clientConfiguration());
        sim::test::AgentSession agent(*m_http, m_base);
        QCOMPARE(agent.enroll(QStringLiteral("ENROLL-AUDIT-0001")).status, 201);
        m_agentId = agent.agentId;

        sync::BackendConfig config;
        config.baseUrl = m_base;
        config.caFile = m_pki->caCertificatePath();
        config.transferTimeout = 5000ms;
        config.totalTimeout = 20000ms;
        auto client = sync::BackendClient::create(config, m_clock);
        QVERIFY2(client, failure(client).constData());
        m_client = std::move(*client);
        m_client->setIdentity(agent.agentId, agent.token);

        s = std::make_unique<RunStoreFixture>();
        QVERIFY(s->open());
        QByteArray key(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), key.size() / 4);
        m_log = std::make_unique<storage::AuditLog>(*s->db, key, m_clock);
    }

    void cleanup()
    {
        m_log.reset();
        m_client.reset();
        s.reset();
        m_http.reset();
        if (m_double && m_double->state() != QProcess::NotRunning) {
            m_double->terminate();
            QVERIFY(m_double->waitForFinished(10'000));
        }
        m_double.reset();
        m_state.reset();
    }

    void everyEntryOnceTheHeadBecomesTheAnchor()
    {
        AuditShipper shipper(*m_client, *m_log);
        append(5);
        auto behind = shipper.behind();
        QVERIFY(behind && *behind);
        auto shipped = ship(shipper);
        QVERIFY2(shipped, failure(shipped).constData());
        QCOMPARE(shipped->ackedThroughSeq, 5);
        QCOMPARE(shipped->entriesSent, 5);
        QCOMPARE(backendHead(), 5);
        auto anchor = m_log->storedAnchor();
        QVERIFY(anchor && *anchor);
        QCOMPARE((*anchor)->seq, 5);
        behind = shipper.behind();
        QVERIFY(behind && !*behind);

        // Only what is new goes next time, in batches of at most 200.
        append(450);
        shipped = ship(shipper);
        QVERIFY2(shipped, failure(shipped).constData());
        QCOMPARE(shipped->entriesSent, 450);
        QCOMPARE(shipped->batches, 3);
        QCOMPARE(shipped->ackedThroughSeq, 455);
        QCOMPARE(backendHead(), 455);
        QCOMPARE(backendEntries(), 455);
        shipped = ship(shipper); // nothing new: nothing sent
        QVERIFY(shipped);
        QCOMPARE(shipped->batches, 0);
        QCOMPARE(storage::verifyAuditChain(*m_log).exitCode, storage::AuditVerification::kIntact);
    }

    void aLogCutBelowTheAnchorFailsVerification()
    {
        AuditShipper shipper(*m_client, *m_log);
        append(6);
        QVERIFY(ship(shipper));
        // Someone with the database key removes the last entries (the triggers stop the agent's own code).
        QVERIFY(s->db->executeScript(QStringLiteral("DROP TRIGGER audit_log_no_delete;")));
        QVERIFY(s->db->execute(QStringLiteral("DELETE FROM audit_log WHERE seq > 3")));
        const storage::AuditVerification v = storage::verifyAuditChain(*m_log);
        QCOMPARE(v.exitCode, storage::AuditVerification::kBroken);
        QVERIFY2(v.message.contains(QStringLiteral("log_truncated")), qPrintable(v.message));
    }

    void aBackendThatIsDownLeavesTheAnchorWhereItWas()
    {
        AuditShipper shipper(*m_client, *m_log);
        append(2);
        QVERIFY(ship(shipper));
        append(3);
        m_double->terminate();
        QVERIFY(m_double->waitForFinished(10'000));
        auto shipped = ship(shipper);
        QVERIFY(!shipped);
        auto anchor = m_log->storedAnchor();
        QCOMPARE((*anchor)->seq, 2);
        auto behind = shipper.behind();
        QVERIFY(behind && *behind);
    }
};

QTEST_GUILESS_MAIN(AuditShippingTest)
#include "tst_audit_shipping.moc"
