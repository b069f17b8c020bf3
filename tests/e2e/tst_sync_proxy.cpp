// A whole sync through the clinic's proxy (agent/proxy/proxy_setup.h): a real proxy (Debian's tinyproxy,
// asking for a login), named by the configuration's proxy.url, its login in the keychain
// (`odis-agent proxy set-login`). The proxy's own log proves that both the IDEXX Neo traffic (QtWebEngine)
// and the backend traffic (Qt Network) went through it; without the login nothing gets through.

#include "tests/e2e/e2e_checks.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

using namespace odis::test;

namespace {

const QString kProxyUser = QStringLiteral("clinic-it");
const QString kProxyPassword = QStringLiteral("pr0xy-pass-7351");

int freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace

class SyncProxyTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SyncWorld> m_world;
    QProcess m_proxy;
    int m_port = 0;
    QString m_log;

    QString proxyLog() const
    {
        QFile file(m_log);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto world = SyncWorld::create({7, 7, kThursdayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
        QVERIFY2(m_world->install(), "install failed");

        m_port = freePort();
        QVERIFY(m_port > 0);
        m_log = m_world->path(QStringLiteral("tinyproxy.log"));
        const QString conf = m_world->path(QStringLiteral("tinyproxy.conf"));
        QFile file(conf);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // No ConnectPort line: CONNECT to any port (the simulators' are random).
        file.write(QStringLiteral("Port %1\nListen 127.0.0.1\nTimeout 600\nLogFile \"%2\"\nLogLevel Connect\n"
                                  "MaxClients 100\nAllow 127.0.0.1\nBasicAuth %3 %4\n")
                       .arg(m_port)
                       .arg(m_log, kProxyUser, kProxyPassword)
                       .toUtf8());
        file.close();
        m_proxy.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_proxy.start(QStringLiteral("tinyproxy"), {QStringLiteral("-d"), QStringLiteral("-c"), conf});
        QVERIFY2(m_proxy.waitForStarted(10'000), "tinyproxy is not installed (scripts/setup-debian.sh)");
        bool listening = false;
        for (QDeadlineTimer deadline(20'000); !deadline.hasExpired() && !listening; QThread::msleep(100)) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, quint16(m_port));
            listening = probe.waitForConnected(500);
        }
        QVERIFY2(listening, "tinyproxy does not listen");

        // IT names the proxy in the configuration; its login goes to the keychain, never to a file.
        const QString configFile = m_world->path(QStringLiteral("config/Odis/odis-agent/config.json"));
        QFile config(configFile);
        QVERIFY(config.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(config.readAll()).object();
        config.close();
        root.insert(QStringLiteral("proxy"),
                    QJsonObject{{QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1").arg(m_port)}});
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(QJsonDocument(root).toJson());
        config.close();
    }

    void cleanupTestCase()
    {
        m_proxy.terminate();
        if (!m_proxy.waitForFinished(5'000))
            m_proxy.kill();
    }

    void withoutItsLoginNothingGetsThrough()
    {
        const AgentRun run = m_world->sync({}, 300'000);
        QVERIFY2(run.finished && run.exitCode != 0, run.describe().constData());
        QCOMPARE(counter(m_world->backendSummary(), "items"), 0);
    }

    void aWholeSyncGoesThroughTheProxy()
    {
        const AgentRun saved = m_world->agent({QStringLiteral("proxy"), QStringLiteral("set-login")},
                                              (kProxyUser + u'\n' + kProxyPassword + u'\n').toUtf8());
        QVERIFY2(saved.exitCode == 0, saved.describe().constData());
        const AgentRun status = m_world->agent({QStringLiteral("proxy"), QStringLiteral("status")});
        QVERIFY2(status.out.contains(QStringLiteral("explicit http://127.0.0.1:%1").arg(m_port)) &&
                     status.out.contains(QStringLiteral("stored in the keychain")),
                 status.describe().constData());
        QVERIFY(!status.out.contains(kProxyPassword));

        const QString before = proxyLog();
        syncAndCompare(*m_world, "through the proxy");
        const QString log = proxyLog().mid(before.size());
        const QString neo = QStringLiteral("CONNECT 127.0.0.1:%1 ").arg(m_world->neoUrl().port());
        const QString backend = QStringLiteral("CONNECT 127.0.0.1:%1 ").arg(m_world->backendUrl().port());
        QVERIFY2(log.contains(neo),
                 qPrintable(QStringLiteral("no %1in the proxy's log:\n%2").arg(neo, log.right(3000))));
        QVERIFY2(log.contains(backend),
                 qPrintable(QStringLiteral("no %1in the proxy's log:\n%2").arg(backend, log.right(3000))));
        // The password is in none of the agent's logs.
        QVERIFY(!m_world->agentLog().contains(kProxyPassword));
    }
};

QTEST_GUILESS_MAIN(SyncProxyTest)
#include "tst_sync_proxy.moc"
