// The odis-agent program as a person or a script runs it: real process, real keychain (the private
// session's gnome-keyring), real encrypted store in a fresh per-test HOME.

#include "storage/database.h"
#include "storage/install_identity.h"
#include "storage/keychain_store.h"
#include "storage/schema.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <unistd.h>

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
    Outcome run(const QStringList& args, const QString& home, const QProcessEnvironment& extra = {},
                const std::optional<QByteArray>& input = std::nullopt)
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
        if (input) {
            p.write(*input);
            p.closeWriteChannel();
        }
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

    // The agent's memory is not open to the user's other processes (ptrace, /proc/<pid>/mem, environ) and
    // never lands in a core file. Shown with the agent waiting for its enrollment code on standard input,
    // and another process of the same user (as root: both run as "nobody") reading what a debugger could.
    void memoryIsClosedToOtherProcesses()
    {
        const bool root = geteuid() == 0;
        const QStringList asUser =
            root ? QStringList{QStringLiteral("setpriv"), QStringLiteral("--reuid=65534"),
                               QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                               QStringLiteral("--")}
                 : QStringList{};
        QProcess agent;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("ODIS_CANARY"), QStringLiteral("canary-3f9a"));
        agent.setProcessEnvironment(env);
        const QStringList command = asUser + QStringList{agentBinary(), QStringLiteral("enroll")};
        agent.start(command.first(), command.mid(1));
        QVERIFY2(agent.waitForStarted(10000), qPrintable(agent.errorString()));
        const qint64 pid = agent.processId();
        // setpriv execs the agent in place: the pid is the agent's once its command line says so.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
                return cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains("odis-agent");
            }(),
            10000);
        // Once main() has run its first lines (the agent then waits on standard input for good).
        static const QRegularExpression core(QStringLiteral(R"(Max core file size\s+0\s+0\s)"));
        QString limitText;
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                QFile limits(QStringLiteral("/proc/%1/limits").arg(pid));
                limitText =
                    limits.open(QIODevice::ReadOnly) ? QString::fromUtf8(limits.readAll()) : QString();
                return core.match(limitText).hasMatch();
            }(),
            qPrintable(limitText), 30000);

        // Another process of the same user cannot read what needs ptrace's rights (/proc/<pid>/environ).
        QByteArray seen;
        const auto unreadable = [&] {
            QProcess reader;
            const QStringList read =
                asUser + QStringList{QStringLiteral("cat"), QStringLiteral("/proc/%1/environ").arg(pid)};
            reader.start(read.first(), read.mid(1));
            reader.waitForFinished(10000);
            seen = reader.readAllStandardOutput();
            return !seen.contains("canary-3f9a") && reader.exitCode() != 0;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(unreadable(), "another process of the user read the agent's environment",
                                  10000);

        agent.closeWriteChannel();
        QVERIFY(agent.waitForFinished(10000));
        QCOMPARE(agent.exitCode(), 2); // no code given
    }

    // The enrollment code never needs the argument list: standard input or a file, its shape checked
    // before anything starts; --code still works for scripts, with a warning.
    void enrollmentCodeIsCheckedAndKeptOffTheArgumentList()
    {
        QTemporaryDir home;
        const QString backend = QStringLiteral("https://127.0.0.1:9"); // nothing listens: never reached
        const Outcome malformed = run({QStringLiteral("enroll"), QStringLiteral("--backend"), backend},
                                      home.path(), {}, QByteArrayLiteral("not a code!\n"));
        QCOMPARE(malformed.exitCode, 2);
        QVERIFY2(malformed.err.contains(QStringLiteral("4 to 64 letters")), qPrintable(malformed.err));
        QVERIFY2(!malformed.err.contains(QStringLiteral("not a code")), qPrintable(malformed.err));
        QVERIFY(!QFile::exists(databasePath(home.path()))); // refused before the store was touched

        const Outcome empty = run({QStringLiteral("enroll")}, home.path(), {}, QByteArray());
        QCOMPARE(empty.exitCode, 2);
        QVERIFY2(empty.err.contains(QStringLiteral("standard input")), qPrintable(empty.err));

        QTemporaryDir files;
        const QString codeFile = files.filePath(QStringLiteral("code.txt"));
        QFile file(codeFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("bad code with spaces\n");
        file.close();
        const Outcome fromFile =
            run({QStringLiteral("enroll"), QStringLiteral("--code-file"), codeFile}, home.path());
        QCOMPARE(fromFile.exitCode, 2);
        QVERIFY2(fromFile.err.contains(QStringLiteral("4 to 64 letters")), qPrintable(fromFile.err));
        const Outcome missingFile = run(
            {QStringLiteral("enroll"), QStringLiteral("--code-file"), files.filePath(QStringLiteral("none"))},
            home.path());
        QCOMPARE(missingFile.exitCode, 2);
        QVERIFY2(missingFile.err.contains(QStringLiteral("input_file_unreadable")),
                 qPrintable(missingFile.err));

        // A well-formed code on the argument list: warned about, then used (here the backend is absent).
        const Outcome argument = run({QStringLiteral("enroll"), QStringLiteral("--code"),
                                      QStringLiteral("K7QM-2XRP"), QStringLiteral("--backend"), backend},
                                     home.path());
        QVERIFY2(argument.err.contains(QStringLiteral("warning: --code shows the enrollment code")),
                 qPrintable(argument.err));
        QCOMPARE(argument.exitCode, 3); // it did try: the backend is not there
        QVERIFY2(!argument.err.contains(QStringLiteral("K7QM-2XRP")), qPrintable(argument.err));
    }

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
