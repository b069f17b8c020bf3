// The agent's security rules end to end: the real odis-agent against both simulators as processes.
//  - The backend cannot choose where the clinic's IDEXX password is typed: only allowed origins (IDEXX's
//    own, and what IT's managed file adds; here the simulators), and once the login is bound to the
//    origin where Neo accepted it, a clinic profile that names another origin stops every sync until a
//    person confirms it (odis-agent credentials confirm-origin).
//  - A login answer the agent cannot read is no rejection; the second one in a row suspends the login.
//  - A deprovisioning leaves nothing: every file and keychain entry listed before and after.
//  - Chromium's own output does not reach the terminal.
//  - The sync process, which holds the IDEXX password, is closed to the user's other processes.

#include "storage/keychain_store.h"
#include "tests/e2e/sync_world.h"
#include "tests/support/secret_tool.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <unistd.h>

using odis::test::AgentRun;
using odis::test::SyncWorld;

namespace {

// Monday 2026-03-09 evening in the clinic (America/Los_Angeles): visits of the day are over.
const QDateTime kMondayEvening(QDate(2026, 3, 10), QTime(3, 0, 30), Qt::UTC);

QString readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QStringList keychainKeys(const QString& prefix)
{
    return odis::test::secretToolKeys(odis::storage::KeychainStore::kService, prefix);
}

// Password submissions a Neo simulator received (its admin API).
int loginAttempts(const SyncWorld& world, const QUrl& neo)
{
    return world.adminAt(neo, "GET", QStringLiteral("/login-attempts"))
        .json()
        .value(QStringLiteral("attempts"))
        .toInt();
}

// What Chromium prints on its own: "[pid:tid:MMDD/HHMMSS.micros:LEVEL:file.cc(line)] ...".
bool hasChromiumOutput(const QString& text)
{
    static const QRegularExpression line(QStringLiteral(R"((^|\n)\[\d+:\d+:\d{4}/\d{6}\.\d+:[A-Z]+:)"));
    return line.match(text).hasMatch();
}

// Runs a command as a process of the same user without any privilege: as root (CI), with every capability
// dropped, so that only what the kernel grants any process of the user applies.
QStringList unprivileged(const QStringList& command)
{
    if (geteuid() != 0)
        return command;
    return QStringList{QStringLiteral("setpriv"), QStringLiteral("--bounding-set=-all"),
                       QStringLiteral("--inh-caps=-all"), QStringLiteral("--ambient-caps=-all"),
                       QStringLiteral("--")} +
           command;
}

// Whether such a process can read /proc/<pid>/environ, which takes the rights of a debugger.
bool environmentReadable(qint64 pid)
{
    QProcess reader;
    const QStringList command =
        unprivileged({QStringLiteral("cat"), QStringLiteral("/proc/%1/environ").arg(pid)});
    reader.start(command.first(), command.mid(1));
    return reader.waitForFinished(30'000) && reader.exitStatus() == QProcess::NormalExit &&
           reader.exitCode() == 0 && !reader.readAllStandardOutput().isEmpty();
}

} // namespace

class TestSyncSecurity : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SyncWorld> m_world;

    [[nodiscard]] QString installIdFile() const
    {
        return m_world->path(QStringLiteral("config/Odis/odis-agent/install-id"));
    }

    // Every file under the install's folders (data, config, cache, state), relative, sorted.
    [[nodiscard]] QStringList installFiles() const
    {
        QStringList files;
        for (const QString& root : {QStringLiteral("data"), QStringLiteral("config"), QStringLiteral("cache"),
                                    QStringLiteral("state")}) {
            QDirIterator it(m_world->path(root), QDir::Files | QDir::Hidden | QDir::System,
                            QDirIterator::Subdirectories);
            while (it.hasNext())
                files << QDir(m_world->path(QString())).relativeFilePath(it.next());
        }
        files.sort();
        return files;
    }

    void createWorld()
    {
        auto world = SyncWorld::create({7, 2, kMondayEvening});
        QVERIFY2(world, qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(qEnvironmentVariableIsSet("ODIS_IN_PRIVATE_SESSION"),
                 "run inside ./scripts/in-private-session.sh (private D-Bus session with gnome-keyring)");
    }

    void cleanup() { m_world.reset(); }

    void passwordGoesOnlyWhereTheLoginIsBound()
    {
        createWorld();
        QVERIFY(m_world->install());
        const AgentRun first = m_world->sync();
        QVERIFY2(first.finished && (first.exitCode == 0 || first.exitCode == 4),
                 first.describe().constData());
        QVERIFY2(!hasChromiumOutput(first.err), first.describe().constData());
        const QString neoOrigin = QStringLiteral("https://127.0.0.1:%1").arg(m_world->neoUrl().port());
        const AgentRun status = m_world->agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(status.out.contains(QStringLiteral("bound to ") + neoOrigin), status.describe().constData());

        // The clinic profile (the backend's word) now names another Neo, even one IT allows: nothing is typed
        // there until someone at the clinic confirms it.
        auto other = m_world->startAnotherNeo(QStringLiteral("neo-moved"));
        QVERIFY2(other, qPrintable(other ? QString() : other.error().toString()));
        const QUrl moved = (*other)->url();
        const QString movedOrigin = QStringLiteral("https://127.0.0.1:%1").arg(moved.port());
        QVERIFY(m_world->setAllowedNeoOrigins({m_world->neoUrl(), moved}));
        QVERIFY(m_world->setClinicNeoUrl(moved));
        const AgentRun refused = m_world->sync();
        QVERIFY2(refused.finished && refused.exitCode == 1, refused.describe().constData());
        QVERIFY2(refused.out.contains(QStringLiteral("[neo_origin_changed]")),
                 refused.describe().constData());
        static const QRegularExpression alertRow(
            QStringLiteral(R"((^|\n)  alerts\s+[^\n]*neo_origin_changed)"));
        QVERIFY2(alertRow.match(refused.out).hasMatch(), refused.describe().constData());
        QCOMPARE(loginAttempts(*m_world, moved), 0);

        // The person reads which address waits, and confirms that one (and only that one).
        const AgentRun shown =
            m_world->agent({QStringLiteral("credentials"), QStringLiteral("confirm-origin")});
        QCOMPARE(shown.exitCode, 1);
        QVERIFY2(shown.out.contains(movedOrigin), shown.describe().constData());
        const AgentRun wrong =
            m_world->agent({QStringLiteral("credentials"), QStringLiteral("confirm-origin"),
                            QStringLiteral("https://us.idexxneo.com")});
        QCOMPARE(wrong.exitCode, 1);
        const AgentRun confirmed =
            m_world->agent({QStringLiteral("credentials"), QStringLiteral("confirm-origin"), movedOrigin});
        QVERIFY2(confirmed.exitCode == 0, confirmed.describe().constData());
        const AgentRun resumed = m_world->sync();
        QVERIFY2(resumed.finished && (resumed.exitCode == 0 || resumed.exitCode == 4),
                 resumed.describe().constData());
        QCOMPARE(loginAttempts(*m_world, moved), 1);
        QVERIFY2(!alertRow.match(resumed.out).hasMatch(), resumed.describe().constData());

        // An origin nobody allowed: refused before any login, wherever the profile points.
        const int before = loginAttempts(*m_world, m_world->neoUrl());
        QVERIFY(m_world->setAllowedNeoOrigins({moved}));
        QVERIFY(m_world->setClinicNeoUrl(m_world->neoUrl()));
        const AgentRun notAllowed = m_world->sync();
        QVERIFY2(notAllowed.finished && notAllowed.exitCode == 1, notAllowed.describe().constData());
        QVERIFY2(notAllowed.out.contains(QStringLiteral("[neo_origin_not_allowed]")),
                 notAllowed.describe().constData());
        QCOMPARE(loginAttempts(*m_world, m_world->neoUrl()), before);
    }

    // Neo answers a wrong password with a page the agent cannot read (the reason in an element none of its
    // rules knows): not a rejection, so the next run may try once more; the second such answer in a row
    // suspends the login (alert neo_login_unknown_outcome) and nothing is submitted again.
    void anUnreadableLoginAnswerIsNoRejection()
    {
        createWorld();
        QVERIFY(m_world->install());
        const auto variant = m_world->neoAdmin(
            "PUT", QStringLiteral("/variants"),
            QJsonObject{{QStringLiteral("login"),
                         QJsonObject{{QStringLiteral("error_style"), QStringLiteral("unrecognised")}}}});
        QVERIFY2(variant.status == 200, variant.body.constData());
        const auto saved = m_world->saveNeoLogin(QStringLiteral("not the password"));
        QVERIFY2(saved && saved->exitCode == 0, saved ? saved->describe().constData() : "no login");

        const AgentRun first = m_world->sync();
        QVERIFY2(first.finished && first.exitCode == 1, first.describe().constData());
        QVERIFY2(first.out.contains(QStringLiteral("[neo_login_unknown_outcome]")),
                 first.describe().constData());
        QCOMPARE(loginAttempts(*m_world, m_world->neoUrl()), 1);
        const AgentRun status = m_world->agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(status.out.contains(QStringLiteral("state:           configured")),
                 status.describe().constData());
        QVERIFY2(status.out.contains(QStringLiteral("unknown logins:  1 in a row")),
                 status.describe().constData());

        const AgentRun second = m_world->sync();
        QVERIFY2(second.finished && second.exitCode == 1, second.describe().constData());
        QVERIFY2(second.out.contains(QStringLiteral("[neo_login_unknown_outcome]")),
                 second.describe().constData());
        QCOMPARE(loginAttempts(*m_world, m_world->neoUrl()), 2);
        static const QRegularExpression alertRow(
            QStringLiteral(R"((^|\n)  alerts\s+[^\n]*neo_login_unknown_outcome)"));
        QVERIFY2(alertRow.match(second.out).hasMatch(), second.describe().constData());
        const AgentRun suspended = m_world->agent({QStringLiteral("credentials"), QStringLiteral("status")});
        QVERIFY2(suspended.out.contains(QStringLiteral("state:           suspended")),
                 suspended.describe().constData());

        const AgentRun third = m_world->sync();
        QVERIFY2(third.finished && third.exitCode == 1, third.describe().constData());
        QVERIFY2(third.out.contains(QStringLiteral("[idexx_credentials_rejected]")),
                 third.describe().constData());
        QCOMPARE(loginAttempts(*m_world, m_world->neoUrl()), 2);
    }

    // odis-agent-sync (which `sync --once` becomes) types the IDEXX password: like the CLI, it is not
    // dumpable, so another process of the same user cannot read its memory or environment (ptrace rights),
    // and it writes no core file. Held right after its login; an ordinary process of the same user, and
    // with the same (lack of) privileges, is readable by the same reader: the check can tell them apart.
    void syncProcessIsClosedToOtherProcesses()
    {
        createWorld();
        QVERIFY(m_world->install());
        QProcessEnvironment hold;
        hold.insert(QStringLiteral("ODIS_TEST_HOLD_AT_STEP"), QStringLiteral("schedule"));
        auto sync = m_world->startSync(hold, unprivileged({}));
        QVERIFY2(sync->waitForStarted(10'000), qPrintable(sync->errorString()));
        const QString err = m_world->path(QStringLiteral("sync.err"));
        QTRY_VERIFY_WITH_TIMEOUT(readFile(err).contains(QStringLiteral("holding at step schedule")) ||
                                     sync->state() != QProcess::Running,
                                 240'000);
        QVERIFY2(sync->state() == QProcess::Running, qPrintable(readFile(err).right(3000)));
        const qint64 pid = sync->processId();
        QFile exe(QStringLiteral("/proc/%1/cmdline").arg(pid));
        QVERIFY(exe.open(QIODevice::ReadOnly));
        QVERIFY2(exe.readAll().contains("odis-agent-sync"), "sync --once became odis-agent-sync");

        QProcess ordinary;
        const QStringList sleeper = unprivileged({QStringLiteral("sleep"), QStringLiteral("600")});
        ordinary.start(sleeper.first(), sleeper.mid(1));
        QVERIFY(ordinary.waitForStarted(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(environmentReadable(ordinary.processId()), 10'000);
        QVERIFY2(!environmentReadable(pid), "another process of the user read the sync's environment");
        QFile limits(QStringLiteral("/proc/%1/limits").arg(pid));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        static const QRegularExpression noCore(QStringLiteral(R"(Max core file size\s+0\s+0\s)"));
        QVERIFY(noCore.match(QString::fromUtf8(limits.readAll())).hasMatch());

        ordinary.kill();
        ordinary.waitForFinished(10'000);
        sync->kill();
        QVERIFY(sync->waitForFinished(10'000));
    }

    // The backend retires the install: afterwards nothing of it is on the machine, not even what an
    // earlier install of the account left in the keychain. Every file and keychain entry, before and after.
    void deprovisioningLeavesNothing()
    {
        createWorld();
        // An earlier install of this account: its files are gone (a reinstall), its keychain entries not.
        const AgentRun earlier = m_world->agent({QStringLiteral("status")});
        QVERIFY2(earlier.exitCode == 0, earlier.describe().constData());
        const QString earlierId = readFile(installIdFile()).trimmed();
        QVERIFY(!earlierId.isEmpty());
        QVERIFY(QDir(m_world->path(QStringLiteral("data"))).removeRecursively());
        QVERIFY(QFile::remove(installIdFile()));

        QVERIFY(m_world->install());
        const QString installId = readFile(installIdFile()).trimmed();
        QVERIFY(!installId.isEmpty() && installId != earlierId);
        const AgentRun synced = m_world->sync();
        QVERIFY2(synced.finished && (synced.exitCode == 0 || synced.exitCode == 4),
                 synced.describe().constData());
        // A damaged store an earlier start moved aside, kept for a person to look at.
        const QString aside =
            m_world->path(QStringLiteral("data/Odis/odis-agent/agent.db.corrupt-20260301T000000Z"));
        for (const QString& suffix : {QString(), QStringLiteral("-wal")}) {
            QFile copy(aside + suffix);
            QVERIFY(copy.open(QIODevice::WriteOnly));
            copy.write(QByteArray(4096, '\x5a'));
            QVERIFY(copy.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)); // as renamed
        }
        const QString registry =
            QStringLiteral("installs-") +
            QString::fromLatin1(
                QCryptographicHash::hash(QFileInfo(installIdFile()).absoluteFilePath().toUtf8(),
                                         QCryptographicHash::Sha256)
                    .toHex()
                    .left(16));

        const QStringList filesBefore = installFiles();
        // Everything the agent wrote for itself is its user's alone (config.json is IT's, written here).
        for (const QString& file : filesBefore) {
            if (file.endsWith(QStringLiteral("/config.json")))
                continue;
            const auto mode = QFile::permissions(m_world->path(file));
            QVERIFY2(!(mode & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther |
                               QFileDevice::WriteOther)),
                     qPrintable(file));
        }
        for (const QString& folder :
             {QStringLiteral("data/Odis/odis-agent"), QStringLiteral("config/Odis/odis-agent"),
              QStringLiteral("data/Odis/odis-agent/logs")}) {
            const auto mode = QFile::permissions(m_world->path(folder));
            QVERIFY2(!(mode & (QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                               QFileDevice::ExeOther)),
                     qPrintable(folder));
        }
        for (const QString& expected :
             {QStringLiteral("config/Odis/odis-agent/install-id"),
              QStringLiteral("config/Odis/odis-agent/config.json"),
              QStringLiteral("data/Odis/odis-agent/agent.db"),
              QStringLiteral("data/Odis/odis-agent/logs/odis-agent.log"),
              QStringLiteral("data/Odis/odis-agent/agent.db.corrupt-20260301T000000Z")})
            QVERIFY2(filesBefore.contains(expected), qPrintable(filesBefore.join(u'\n')));
        QVERIFY(!keychainKeys(installId + QLatin1Char('/')).isEmpty());
        QVERIFY(!keychainKeys(earlierId + QLatin1Char('/')).isEmpty());
        QCOMPARE(keychainKeys(registry), QStringList{registry});

        const QJsonArray agents = m_world->backendAdmin("GET", QStringLiteral("/agents"))
                                      .json()
                                      .value(QStringLiteral("agents"))
                                      .toArray();
        QCOMPARE(agents.size(), 1);
        const QString agent = agents.first().toObject().value(QStringLiteral("agent_id")).toString();
        const auto removed =
            m_world->backendAdmin("POST", QStringLiteral("/agents/%1/deprovision").arg(agent));
        QVERIFY2(removed.status == 200, removed.body.constData());
        const AgentRun wiped = m_world->sync();
        QVERIFY2(wiped.finished && wiped.exitCode == 1, wiped.describe().constData());
        QVERIFY2(wiped.out.contains(QStringLiteral("[agent_deprovisioned]")), wiped.describe().constData());

        // Only what IT wrote stays: the configuration file (the backend's address).
        QCOMPARE(installFiles(), QStringList{QStringLiteral("config/Odis/odis-agent/config.json")});
        QCOMPARE(keychainKeys(installId + QLatin1Char('/')), QStringList());
        QCOMPARE(keychainKeys(earlierId + QLatin1Char('/')), QStringList());
        QCOMPARE(keychainKeys(registry), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSyncSecurity)
#include "tst_sync_security.moc"
