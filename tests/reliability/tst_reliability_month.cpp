// A simulated clinic month (issue 16, items 1 and 5; clinic_month.h): the resident agent against both
// simulators on the test clock, under random faults, session expiries, backend outages and a 9-hour sleep.
// Its figures against the ground truth meet the targets (month_figures.h), the agent's memory does
// not grow from run to run, and afterwards no canary (the Neo password, the install's keychain secrets, the
// owners' names, phones and e-mails, the notes' text) is found outside the encrypted store: not in the
// install's folders, the logs, the agent's temporary folder, the diagnostics bundle, the session's HOME, nor
// in what the backend double received as run reports, heartbeats, audit and telemetry; and the web engine
// left no profile on disk.
//
// ODIS_RELIABILITY_DAYS (default 3: the CTest variant) sets the month's length; scripts/reliability.sh
// --month runs 30. The figures go to $ODIS_RELIABILITY_OUT (default <build>/reliability) as
// reliability-month-<days>d.json and .md.

#include "storage/keychain_store.h"
#include "tests/reliability/clinic_month.h"
#include "tests/reliability/leak_scanner.h"
#include "tests/support/secret_tool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <algorithm>

using namespace odis::test;

namespace {

void writeText(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(data);
}

QString joined(const QList<LeakFinding>& findings)
{
    QStringList lines;
    for (const LeakFinding& f : findings)
        lines << f.toString();
    return lines.mid(0, 40).join(u'\n');
}

} // namespace

class ReliabilityMonthTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ClinicMonth> m_month;
    MonthFigures m_figures;
    int m_days = 3;

private Q_SLOTS:
    void initTestCase()
    {
        const int days = qEnvironmentVariableIntValue("ODIS_RELIABILITY_DAYS");
        m_days = days > 0 ? days : 3;
    }

    void cleanupTestCase()
    {
        if (m_month && m_month->agent().running())
            m_month->agent().quit();
    }

    void theMonthMeetsItsTargets()
    {
        auto month = ClinicMonth::start({7, m_days, 0.01});
        QVERIFY2(month, qPrintable(month ? QString() : month.error().toString()));
        m_month = std::move(*month);
        const auto played = m_month->play();
        QVERIFY2(played, qPrintable(played ? QString() : played.error().toString()));
        const auto finished = m_month->finish();
        QVERIFY2(finished, qPrintable(finished ? QString() : finished.error().toString()));
        const MonthRecord& record = m_month->record();
        m_figures = computeMonthFigures(record);

        const QString out = qEnvironmentVariableIsSet("ODIS_RELIABILITY_OUT")
                                ? qEnvironmentVariable("ODIS_RELIABILITY_OUT")
                                : qEnvironmentVariable("ODIS_BINARY_DIR") + QStringLiteral("/reliability");
        const QString base = out + QStringLiteral("/reliability-month-%1d").arg(m_days);
        writeText(base + QStringLiteral(".json"), QJsonDocument(monthJson(record, m_figures)).toJson());
        const QString md = monthMarkdown(record, m_figures);
        writeText(base + QStringLiteral(".md"), md.toUtf8());
        qInfo().noquote() << "\n" << md << "\nwritten to" << base + QStringLiteral(".{json,md}");

        // Every disturbance happened.
        QCOMPARE(record.sessionExpiries, m_days);
        QCOMPARE(record.backendOutages, 2);
        QCOMPARE(record.sleeps, 1);
        QVERIFY(record.faultAnswers > 0);
        QVERIFY(m_figures.runs >= m_days * 5);
        QVERIFY(m_figures.notesExpected > 0 && m_figures.eligibleCalls > 0);
        QVERIFY2(record.differencesAfterCleanRun == 0, qPrintable(record.differencesSample.join(u'\n')));
        const QStringList missed = m_figures.missedTargets();
        QVERIFY2(missed.isEmpty(), qPrintable(missed.join(u'\n')));
    }

    // The resident agent's memory after its runs: the second half's peak within a quarter (and 8 MiB) of
    // the first half's, the first two runs left out (caches filling).
    void memoryDoesNotGrow()
    {
        QVERIFY(m_month);
        const QList<RunSample>& runs = m_month->record().runs;
        QVERIFY(runs.size() >= 6);
        const qsizetype middle = runs.size() / 2;
        qint64 first = 0, second = 0;
        // PSS needs ptrace access to the agent (it makes itself non-dumpable): root has it, others fall
        // back to the RSS.
        const bool pss = std::ranges::all_of(runs, [](const RunSample& r) { return r.pssKb > 0; });
        for (qsizetype i = 2; i < runs.size(); ++i) {
            qint64& peak = i < middle ? first : second;
            peak = std::max(peak, pss ? runs.at(i).pssKb : runs.at(i).rssKb);
        }
        QVERIFY(first > 0);
        QVERIFY2(second <= first + first / 4 + 8 * 1024,
                 qPrintable(QStringLiteral("memory peak %1 KiB in the second half, %2 KiB in the first")
                                .arg(second)
                                .arg(first)));
    }

    void nothingLeaks()
    {
        QVERIFY(m_month);
        SyncWorld& world = m_month->world();
        const MonthRecord& record = m_month->record();

        LeakScanner scanner;
        const QJsonObject login = world.neoAdmin("GET", QStringLiteral("/credentials")).json();
        QVERIFY(scanner.addCanary(QStringLiteral("Neo password"),
                                  login.value(QStringLiteral("password")).toString()));
        // The install's own secrets: everything it keeps in the keychain (backend token, store key, ...).
        const QString installId = QString::fromUtf8([&world] {
            QFile f(world.path(QStringLiteral("config/Odis/odis-agent/install-id")));
            return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
        }());
        QVERIFY(!installId.isEmpty());
        int secrets = 0;
        for (const QString& key : secretToolKeys(odis::storage::KeychainStore::kService, installId + u'/')) {
            QProcess lookup;
            lookup.start(QStringLiteral("secret-tool"),
                         {QStringLiteral("lookup"), QStringLiteral("server"),
                          odis::storage::KeychainStore::kService, QStringLiteral("user"), key});
            QVERIFY(lookup.waitForFinished(30'000));
            secrets += scanner.addCanary(QStringLiteral("keychain secret ") + key.section(u'/', 1),
                                         QString::fromUtf8(lookup.readAllStandardOutput()))
                           ? 1
                           : 0;
        }
        QVERIFY2(secrets >= 2, qPrintable(QString::number(secrets)));
        int people = 0, notes = 0;
        for (const QJsonValue v : record.truthAtLastRun.value(QStringLiteral("appointments")).toArray()) {
            const QJsonObject client = v.toObject().value(QStringLiteral("client")).toObject();
            const QString name = QString(client.value(QStringLiteral("first_name")).toString() + u' ' +
                                         client.value(QStringLiteral("last_name")).toString())
                                     .trimmed();
            people += scanner.addCanary(QStringLiteral("owner name"), name) ? 1 : 0;
            scanner.addCanary(QStringLiteral("e-mail"), client.value(QStringLiteral("email")).toString());
            scanner.addPhoneCanary(client.value(QStringLiteral("phone_e164")).toString(),
                                   client.value(QStringLiteral("phone_raw")).toString());
        }
        for (const QJsonValue v : record.truthAtLastRun.value(QStringLiteral("consultations")).toArray()) {
            const QString text = v.toObject().value(QStringLiteral("notes_text")).toString().simplified();
            // A slice from the middle: the opening words of notes repeat across visits and templates.
            if (text.size() >= 80)
                notes += scanner.addCanary(QStringLiteral("note text"), text.mid(text.size() / 2 - 20, 40))
                             ? 1
                             : 0;
        }
        QVERIFY(people > 10 && notes > 10);

        // The diagnostics bundle, written where the scan of the install's folders reads it (zip opened).
        const AgentRun diagnostics = world.agent({QStringLiteral("diagnostics"), QStringLiteral("--out"),
                                                  world.path(QStringLiteral("support.zip"))});
        QVERIFY2(diagnostics.exitCode == 0, diagnostics.describe().constData());
        QList<LeakFinding> found;
        for (const char* route :
             {"/runs", "/run-reports", "/heartbeats", "/posthog-events", "/audit", "/commands"}) {
            const auto r = world.backendAdmin("GET", QLatin1StringView(route));
            QCOMPARE(r.status, 200);
            found += scanner.scanBytes(QStringLiteral("backend ") + QLatin1StringView(route), r.body);
        }
        QCOMPARE(m_month->agent().quit(), 0);

        // The store is encrypted: no SQLite header in the clear (it is left out of the scan for that).
        QFile store(world.path(QStringLiteral("data/Odis/odis-agent/agent.db")));
        QVERIFY(store.open(QIODevice::ReadOnly));
        QVERIFY(!store.read(16).startsWith("SQLite format 3"));
        // The install's whole world folder, but for the simulators' own state and logs (the other side of
        // the wire) and the encrypted store.
        const QString root = QFileInfo(world.path(QStringLiteral("test-clock.json"))).absolutePath();
        const auto skip = [&root](const QString& path) {
            const QString name = QFileInfo(path).fileName();
            return name == QLatin1String("agent.db") || name == QLatin1String("agent.db-wal") ||
                   name == QLatin1String("agent.db-shm") || name.endsWith(QLatin1String("-sim.log")) ||
                   path.startsWith(root + QStringLiteral("/backend/")) ||
                   path.startsWith(root + QStringLiteral("/pki/"));
        };
        int files = 0;
        found += scanner.scanTree(root, skip, &files);
        int homeFiles = 0;
        found += scanner.scanTree(qEnvironmentVariable("HOME"), {}, &homeFiles);
        qInfo() << scanner.canaryCount() << "canaries," << files << "files of the install and" << homeFiles
                << "under HOME scanned";
        QVERIFY(files > 5);
        QVERIFY2(found.isEmpty(), qPrintable(joined(found)));
        const QStringList leftovers =
            webEngineLeftovers(root) + webEngineLeftovers(qEnvironmentVariable("HOME"));
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(ReliabilityMonthTest)
#include "tst_reliability_month.moc"
