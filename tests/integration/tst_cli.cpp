// The odis-agent program as a person or a script runs it: real process, real keychain (the private
// session's gnome-keyring), real encrypted store in a fresh per-test HOME.

#include "storage/database.h"
#include "storage/install_identity.h"
#include "storage/keychain_store.h"
#include "storage/schema.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Outcome
{
    int exitCode = -1;
    QString out;
    QString err;
};

QString agentBinary()
{
    return qEnvironmentVariable("ODIS_BINARY_DIR") + QStringLiteral("/agent/odis-agent");
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

    // Runs the agent with HOME and the XDG folders inside `home`; the D-Bus session (and keyring) is
    // the test session's.
    Outcome run(const QStringList& args, const QString& home, const QProcessEnvironment& extra = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        for (const QString& key : extra.keys())
            env.insert(key, extra.value(key));
        p.setProcessEnvironment(env);
        p.start(agentBinary(), args);
        if (!p.waitForFinished(60000))
            return {};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    QString databasePath(const QString& home) const
    {
        return home + QStringLiteral("/.local/share/Odis/odis-agent/agent.db");
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void versionAndHelp()
    {
        const Outcome version = run({QStringLiteral("--version")}, m_home.path());
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), QStringLiteral("odis-agent " ODIS_VERSION));

        const Outcome help = run({QStringLiteral("--help")}, m_home.path());
        QCOMPARE(help.exitCode, 0);
        for (const char* verb : {"status", "verify-audit"})
            QVERIFY2(help.out.contains(QLatin1String(verb)), verb);
        QVERIFY(help.out.contains(QStringLiteral("IDEXX Neo")));

        // Without a verb the resident agent starts (tests/e2e/tst_resident_e2e.cpp); an unknown option is a
        // usage error, and so is an argument the resident agent does not take.
        const Outcome option = run({QStringLiteral("--bogus")}, m_home.path());
        QCOMPARE(option.exitCode, 2);
        QVERIFY(option.err.contains(QStringLiteral("unknown option '--bogus'")));
        const Outcome extra = run({QStringLiteral("--headless"), QStringLiteral("now")}, m_home.path());
        QCOMPARE(extra.exitCode, 2);
        const Outcome unknown = run({QStringLiteral("frobnicate")}, m_home.path());
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QStringLiteral("unknown verb 'frobnicate'")));
    }

    // The per-user autostart entry for this very program (agent/autostart/autostart.h), on, shown, off.
    void autostartOnStatusOff()
    {
        QTemporaryDir home;
        const QString entry = home.path() + QStringLiteral("/.config/autostart/odis-agent.desktop");
        const Outcome on = run({QStringLiteral("autostart"), QStringLiteral("on")}, home.path());
        QVERIFY2(on.exitCode == 0, qPrintable(on.err));
        QFile file(entry);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains(QStringLiteral("Exec=\"%1\"").arg(agentBinary()).toUtf8()));
        const Outcome status = run({QStringLiteral("autostart"), QStringLiteral("status")}, home.path());
        QVERIFY2(status.out.contains(QStringLiteral("autostart on: ")) &&
                     !status.out.contains(QStringLiteral("not this")),
                 qPrintable(status.out));
        QCOMPARE(run({QStringLiteral("autostart"), QStringLiteral("off")}, home.path()).exitCode, 0);
        QVERIFY(!QFile::exists(entry));
        QVERIFY(run({QStringLiteral("autostart"), QStringLiteral("status")}, home.path())
                    .out.startsWith(QStringLiteral("autostart off")));
        QCOMPARE(run({QStringLiteral("autostart"), QStringLiteral("maybe")}, home.path()).exitCode, 2);
    }

    // The verbs that steer the agent, without one: they say so and exit 3.
    void steeringWithoutAnAgent()
    {
        QTemporaryDir home;
        for (const QStringList& args :
             {QStringList{QStringLiteral("sync-now")}, QStringList{QStringLiteral("resume")},
              QStringList{QStringLiteral("quit")},
              QStringList{QStringLiteral("pause"), QStringLiteral("--for"), QStringLiteral("1h")}}) {
            const Outcome o = run(args, home.path());
            QCOMPARE(o.exitCode, 3);
            QVERIFY2(o.err.contains(QStringLiteral("no agent is running")), qPrintable(o.err));
        }
        QCOMPARE(run({QStringLiteral("pause")}, home.path()).exitCode, 2);
    }

    void statusCreatesThenReopensTheStore()
    {
        QTemporaryDir home;
        const Outcome first = run({QStringLiteral("status")}, home.path());
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY(first.out.contains(QStringLiteral("(created now)")));
        QVERIFY(first.out.contains(QStringLiteral("SQLCipher")));
        QVERIFY(first.out.contains(QStringLiteral("not_configured")));
        QVERIFY(QFile::exists(databasePath(home.path())));

        const Outcome second = run({QStringLiteral("status")}, home.path());
        QCOMPARE(second.exitCode, 0);
        QVERIFY(!second.out.contains(QStringLiteral("(created now)")));
        QVERIFY(second.out.contains(QStringLiteral("audit log intact: 1 entries")));

        const Outcome verify = run({QStringLiteral("verify-audit")}, home.path());
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.err));
        QVERIFY(verify.out.contains(QStringLiteral("intact")));
    }

    void verifyAuditNamesTheFirstChangedEntry()
    {
        QTemporaryDir home;
        QCOMPARE(run({QStringLiteral("status")}, home.path()).exitCode, 0);

        // Act as an attacker who has the database key (from the keychain) but not the audit key:
        // rewrite entry 1's outcome with the triggers dropped.
        auto installId = odis::storage::InstallIdentity::loadOrCreate(
            home.path() + QStringLiteral("/.config/Odis/odis-agent/install-id"));
        QVERIFY2(installId.has_value(), qPrintable(installId ? QString() : installId.error().toString()));
        odis::storage::KeychainStore secrets(*installId);
        std::optional<QByteArray> key;
        bool answered = false;
        secrets.read(odis::storage::secret::kDatabaseKey, [&](odis::Result<std::optional<QByteArray>> r) {
            answered = true;
            if (r && r->has_value())
                key = **r;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
        QVERIFY(key.has_value());
        {
            auto db = odis::storage::Database::open(databasePath(home.path()), *key,
                                                    odis::storage::agentMigrations());
            QVERIFY(db.has_value());
            QVERIFY(
                (*db)
                    ->executeScript(QStringLiteral("DROP TRIGGER audit_log_no_update;"
                                                   "UPDATE audit_log SET outcome = 'changed' WHERE seq = 1;"))
                    .has_value());
        }
        const Outcome verify = run({QStringLiteral("verify-audit")}, home.path());
        QCOMPARE(verify.exitCode, 1);
        QVERIFY2(verify.err.contains(QStringLiteral("entry 1")), qPrintable(verify.err));

        const Outcome badAnchor = run(
            {QStringLiteral("verify-audit"), QStringLiteral("--anchor"), QStringLiteral("x")}, home.path());
        QCOMPARE(badAnchor.exitCode, 2);
    }

    void verifyAuditWithoutAStoreCannotVerify()
    {
        QTemporaryDir home;
        const Outcome verify = run({QStringLiteral("verify-audit")}, home.path());
        QCOMPARE(verify.exitCode, 3);
        QVERIFY(!QFile::exists(databasePath(home.path()))); // inspecting never creates a store
    }

    void missingKeychainIsAClearErrorAndStoresNothing()
    {
        QTemporaryDir home;
        QProcessEnvironment noBus;
        noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                     QStringLiteral("unix:path=/nonexistent/odis-bus"));
        const Outcome status = run({QStringLiteral("status")}, home.path(), noBus);
        QCOMPARE(status.exitCode, 3);
        QVERIFY2(status.err.contains(QStringLiteral("keychain_unavailable")), qPrintable(status.err));
        QVERIFY(!QFile::exists(databasePath(home.path())));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
