// What the agent does when there is no keychain: a typed keychain_unavailable error from the store,
// the start-up probe's single retry, and nothing written anywhere in the clear. Each case runs
// keychain_probe_helper in a child process whose environment lacks the keychain in a different way;
// the last one brings gnome-keyring up during the retry delay, as happens at a desktop login.

#include "storage/keychain_probe.h"
#include "storage/keychain_store.h"
#include "tests/integration/keychain_test_util.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kChildTimeoutMs = 30000;

// A fresh home for a child, so that anything written to disk shows: QtKeychain's insecure fallback
// would put a plaintext QSettings file under $XDG_CONFIG_HOME. (With the libsecret backend QtKeychain
// only falls back when libsecret itself cannot be loaded, so this guards the outcome, not the flag.)
struct ChildHome
{
    QTemporaryDir dir;

    QProcessEnvironment environment(const QString& busAddress) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), dir.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.filePath(QStringLiteral("run")));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
        env.remove(QStringLiteral("DISPLAY")); // no X11 autolaunch of a bus
        return env;
    }

    // Every file under the home: must stay empty, since no secret may land on disk.
    [[nodiscard]] QStringList files() const
    {
        QStringList found;
        QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            found << it.next();
        return found;
    }
};

// Runs the helper and collects its JSON lines; `onLine` may react while it runs.
QList<QJsonObject> runHelper(const QStringList& args, const QProcessEnvironment& env,
                             const std::function<void(const QJsonObject&)>& onLine = {})
{
    QProcess helper;
    helper.setProcessEnvironment(env);
    helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QList<QJsonObject> lines;
    QObject::connect(&helper, &QProcess::readyReadStandardOutput, [&] {
        while (helper.canReadLine()) {
            const QJsonObject line = QJsonDocument::fromJson(helper.readLine()).object();
            lines << line;
            if (onLine)
                onLine(line);
        }
    });
    helper.start(QStringLiteral(KEYCHAIN_PROBE_HELPER), args);
    if (!QTest::qWaitFor([&] { return helper.state() == QProcess::NotRunning; }, kChildTimeoutMs)) {
        helper.kill();
        helper.waitForFinished();
        lines << QJsonObject{{QStringLiteral("event"), QStringLiteral("timeout")}};
    }
    return lines;
}

QJsonObject last(const QList<QJsonObject>& lines)
{
    return lines.isEmpty() ? QJsonObject{} : lines.last();
}

QString dump(const QList<QJsonObject>& lines)
{
    QStringList out;
    for (const QJsonObject& line : lines)
        out << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
    return out.join(u'\n');
}

// A session bus on which nobody provides org.freedesktop.secrets (and nothing can be activated).
class BareBus
{
public:
    bool start()
    {
        QFile config(m_dir.filePath(QStringLiteral("bus.conf")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        // The stock session.conf policy (with less, replies get dropped and calls time out after 25 s).
        // Not a raw string literal: moc's tokenizer trips over the quotes inside one.
        const QString xml =
            QStringLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
                           "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/"
                           "busconfig.dtd\">\n"
                           "<busconfig><type>session</type><listen>unix:dir=%1</listen>"
                           "<auth>EXTERNAL</auth><policy context=\"default\">"
                           "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
                           "<allow own=\"*\"/></policy>"
                           "</busconfig>\n");
        config.write(xml.arg(m_dir.path()).toUtf8());
        config.close();
        m_daemon.setProcessChannelMode(QProcess::SeparateChannels);
        m_daemon.start(QStringLiteral("dbus-daemon"),
                       {QStringLiteral("--config-file=") + config.fileName(),
                        QStringLiteral("--print-address=1"), QStringLiteral("--nofork")});
        if (!QTest::qWaitFor([&] { return m_daemon.canReadLine(); }, kChildTimeoutMs))
            return false;
        m_address = QString::fromUtf8(m_daemon.readLine().trimmed());
        return !m_address.isEmpty();
    }
    ~BareBus()
    {
        m_daemon.kill();
        m_daemon.waitForFinished();
    }
    [[nodiscard]] QString address() const { return m_address; }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
};

// Owns org.freedesktop.secrets on a bus and never answers anything sent to it: a keyring that hangs (a
// locked collection whose unlock prompt nobody answers looks the same to the agent: no reply).
class SilentSecretService : public QDBusVirtualObject
{
public:
    bool start(const QString& busAddress)
    {
        m_connection = std::make_unique<QDBusConnection>(
            QDBusConnection::connectToBus(busAddress, QStringLiteral("odis-silent-secrets")));
        return m_connection->isConnected() &&
               m_connection->registerService(QStringLiteral("org.freedesktop.secrets")) &&
               m_connection->registerVirtualObject(QStringLiteral("/"), this, QDBusConnection::SubPath);
    }
    ~SilentSecretService() override
    {
        if (m_connection) {
            m_connection->unregisterObject(QStringLiteral("/"), QDBusConnection::UnregisterTree);
            QDBusConnection::disconnectFromBus(QStringLiteral("odis-silent-secrets"));
        }
    }
    QString introspect(const QString&) const override { return {}; }
    bool handleMessage(const QDBusMessage&, const QDBusConnection&) override
    {
        ++m_calls;
        return true; // taken, never answered
    }
    [[nodiscard]] int calls() const { return m_calls; }

private:
    std::unique_ptr<QDBusConnection> m_connection;
    int m_calls = 0;
};

} // namespace

class TestKeychainAvailability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFile::exists(QStringLiteral(KEYCHAIN_PROBE_HELPER)), KEYCHAIN_PROBE_HELPER);
    }

    void noSessionBus()
    {
        ChildHome home;
        QVERIFY(home.dir.isValid());
        const QString noBus = QStringLiteral("unix:path=") + home.dir.filePath(QStringLiteral("no-such-bus"));

        const auto read = runHelper({QStringLiteral("read")}, home.environment(noBus));
        QCOMPARE(last(read).value(QStringLiteral("event")).toString(), QStringLiteral("read"));
        QCOMPARE(last(read).value(QStringLiteral("code")).toString(), QStringLiteral("keychain_unavailable"));

        const auto probe =
            runHelper({QStringLiteral("probe"), QStringLiteral("200")}, home.environment(noBus));
        QCOMPARE(probe.size(), 2); // exactly one retry, then the verdict
        const QJsonObject& retry = probe.first();
        QCOMPARE(retry.value(QStringLiteral("event")).toString(), QStringLiteral("retry"));
        QCOMPARE(retry.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(retry.value(QStringLiteral("code")).toString(), QStringLiteral("keychain_unavailable"));
        const QJsonObject done = last(probe);
        QCOMPARE(done.value(QStringLiteral("event")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(done.value(QStringLiteral("code")).toString(), QStringLiteral("keychain_unavailable"));
        QCOMPARE(done.value(QStringLiteral("attempts")).toInt(), 2);
        QVERIFY2(done.value(QStringLiteral("elapsed_ms")).toInt() >= 200, qPrintable(dump(probe)));
        const QString message = done.value(QStringLiteral("message")).toString();
        QVERIFY2(message.startsWith(QStringLiteral("No OS keychain is available (")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("The agent stores nothing until one is")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("D-Bus")), qPrintable(message));

        QCOMPARE(home.files(), QStringList()); // nothing stored in the clear instead
    }

    void busWithoutKeyring()
    {
        ChildHome home;
        BareBus bus;
        QVERIFY(home.dir.isValid());
        QVERIFY(bus.start());
        const auto read = runHelper({QStringLiteral("read")}, home.environment(bus.address()));
        QCOMPARE(last(read).value(QStringLiteral("code")).toString(), QStringLiteral("keychain_unavailable"));
        QVERIFY2(
            last(read).value(QStringLiteral("message")).toString().contains(QStringLiteral("Secret Service")),
            qPrintable(dump(read)));
        QCOMPARE(home.files(), QStringList());
    }

    void keyringComingUpDuringTheRetryDelay()
    {
        ChildHome home;
        BareBus bus;
        QVERIFY(home.dir.isValid());
        QVERIFY(bus.start());

        QTemporaryDir keyringHome;
        QProcess keyring;
        QProcessEnvironment keyringEnv = QProcessEnvironment::systemEnvironment();
        keyringEnv.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), bus.address());
        keyringEnv.insert(QStringLiteral("HOME"), keyringHome.path());
        keyringEnv.insert(QStringLiteral("XDG_DATA_HOME"), keyringHome.filePath(QStringLiteral("data")));
        keyringEnv.insert(QStringLiteral("XDG_CONFIG_HOME"), keyringHome.filePath(QStringLiteral("config")));
        keyringEnv.insert(QStringLiteral("XDG_CACHE_HOME"), keyringHome.filePath(QStringLiteral("cache")));
        keyringEnv.insert(QStringLiteral("XDG_RUNTIME_DIR"), keyringHome.path());
        keyring.setProcessEnvironment(keyringEnv);
        keyring.setProcessChannelMode(QProcess::ForwardedErrorChannel);

        // The retry delay is long enough for the daemon to register on the bus on a busy machine.
        const auto probe =
            runHelper({QStringLiteral("probe"), QStringLiteral("3000")}, home.environment(bus.address()),
                      [&](const QJsonObject& line) {
                          if (line.value(QStringLiteral("event")).toString() != QStringLiteral("retry"))
                              return;
                          keyring.start(QStringLiteral("gnome-keyring-daemon"),
                                        {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                                         QStringLiteral("--components=secrets")});
                          keyring.write("odis-test");
                          keyring.closeWriteChannel();
                      });
        keyring.kill();
        keyring.waitForFinished();

        QCOMPARE(probe.size(), 2);
        QCOMPARE(probe.first().value(QStringLiteral("code")).toString(),
                 QStringLiteral("keychain_unavailable"));
        const QJsonObject done = last(probe);
        QVERIFY2(done.value(QStringLiteral("ok")).toBool(), qPrintable(dump(probe)));
        QCOMPARE(done.value(QStringLiteral("attempts")).toInt(), 2);
        QVERIFY(done.value(QStringLiteral("elapsed_ms")).toInt() >= 3000);
    }

    // A keyring that never answers: every call ends by its deadline with keychain_unavailable (well
    // before D-Bus would give up after 25 s), the probe's retry too, and nothing is written to disk.
    void keyringThatNeverAnswers()
    {
        ChildHome home;
        BareBus bus;
        SilentSecretService keyring;
        QVERIFY(home.dir.isValid());
        QVERIFY(bus.start());
        QVERIFY(keyring.start(bus.address()));

        const auto read =
            runHelper({QStringLiteral("read"), QStringLiteral("1500")}, home.environment(bus.address()));
        QCOMPARE(last(read).value(QStringLiteral("event")).toString(), QStringLiteral("read"));
        QCOMPARE(last(read).value(QStringLiteral("code")).toString(), QStringLiteral("keychain_unavailable"));
        QVERIFY2(
            last(read).value(QStringLiteral("message")).toString().contains(QStringLiteral("did not answer")),
            qPrintable(dump(read)));
        const int elapsed = last(read).value(QStringLiteral("elapsed_ms")).toInt();
        QVERIFY2(elapsed >= 1000 && elapsed < 20000,
                 qPrintable(dump(read))); // coarse timers may fire a little early
        QVERIFY2(keyring.calls() > 0, "the helper never reached the silent keyring: the test proves nothing");

        const auto probe = runHelper({QStringLiteral("probe"), QStringLiteral("200"), QStringLiteral("1500")},
                                     home.environment(bus.address()));
        QCOMPARE(probe.size(), 2);
        QCOMPARE(probe.first().value(QStringLiteral("event")).toString(), QStringLiteral("retry"));
        const QJsonObject done = last(probe);
        QCOMPARE(done.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(done.value(QStringLiteral("code")).toString(), QStringLiteral("keychain_unavailable"));
        QCOMPARE(done.value(QStringLiteral("attempts")).toInt(), 2);
        QVERIFY2(done.value(QStringLiteral("elapsed_ms")).toInt() < 20000, qPrintable(dump(probe)));
        QCOMPARE(home.files(), QStringList());
    }

    // In this process, with the private session's keyring: no retry, no leftovers.
    void availableKeychainNeedsOneAttempt()
    {
        QVERIFY2(qEnvironmentVariableIsSet("ODIS_IN_PRIVATE_SESSION"),
                 "run inside ./scripts/in-private-session.sh (private D-Bus session with gnome-keyring)");
        odis::storage::KeychainStore store(QUuid::createUuid());
        odis::storage::KeychainProbe probe(store, std::chrono::milliseconds(5000));
        int retries = 0;
        probe.setRetryObserver([&](const odis::Error&) { ++retries; });
        const odis::Status result = odis::test::await<odis::Status>([&](auto done) { probe.run(done); });
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(probe.attempts(), 1);
        QCOMPARE(retries, 0);
        QCOMPARE(odis::test::secretToolKeys(odis::storage::KeychainStore::kService,
                                            store.installId().toString(QUuid::WithoutBraces)),
                 QStringList());
    }
};

QTEST_GUILESS_MAIN(TestKeychainAvailability)
#include "tst_keychain_availability.moc"
