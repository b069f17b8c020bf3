// The leak scanner (leak_scanner.h) must be able to fail: canaries planted in a file, a deflated zip (as
// the diagnostics bundle is written), a gzip file, percent-encoded and in another case are found and named
// by kind; the same tree without them is clean; a value too short to prove anything is refused; Chromium
// profile leftovers are found by name.

#include "agent/diagnostics/zip_writer.h"
#include "tests/reliability/leak_scanner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::test;

namespace {

bool writeFile(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QStringList kinds(const QList<LeakFinding>& findings)
{
    QStringList out;
    for (const LeakFinding& f : findings)
        out << f.kind;
    out.sort();
    return out;
}

LeakScanner scanner()
{
    LeakScanner s;
    s.addCanary(QStringLiteral("password"), QStringLiteral("Neo-sim-7!"));
    s.addCanary(QStringLiteral("e-mail"), QStringLiteral("jane.doe@example.org"));
    s.addCanary(QStringLiteral("note"), QStringLiteral("vomiting since Tuesday, bloodwork"));
    s.addPhoneCanary(QStringLiteral("+14155550182"), QStringLiteral("(415) 555-0182"));
    return s;
}

} // namespace

class LeakScannerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortValuesAreRefused()
    {
        LeakScanner s;
        QVERIFY(!s.addCanary(QStringLiteral("patient"), QStringLiteral("Max")));
        QVERIFY(!s.addCanary(QStringLiteral("patient"), QStringLiteral("  Rex  ")));
        QCOMPARE(s.canaryCount(), 0);
        QVERIFY(s.addCanary(QStringLiteral("owner"), QStringLiteral("Maria Okafor")));
        QCOMPARE(s.canaryCount(), 1);
    }

    void cleanTreeIsClean()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("logs/odis-agent.log")),
                          "run completed: 12 appointments, 9 notes\n"));
        int scanned = 0;
        QCOMPARE(scanner().scanTree(dir.path(), {}, &scanned).size(), 0);
        QCOMPARE(scanned, 1);
    }

    void plantedCanariesAreFound()
    {
        QTemporaryDir dir;
        // Another case, percent-encoded in a URL, bare digits of the phone, inside a hidden file.
        QVERIFY(writeFile(dir.filePath(QStringLiteral("logs/odis-agent.log")),
                          "login as neo-SIM-7! failed\nGET /x?to=jane.doe%40example.org\n"));
        QVERIFY(writeFile(dir.filePath(QStringLiteral(".cache/blob")), "call 4155550182 tomorrow"));
        const LeakScanner s = scanner();
        const QStringList found = kinds(s.scanTree(dir.path()));
        QCOMPARE(found, (QStringList{QStringLiteral("e-mail"), QStringLiteral("password"),
                                     QStringLiteral("phone")}));
        // `skip` leaves a file out (the encrypted store, in the month's scan).
        const auto skipped =
            s.scanTree(dir.path(), [](const QString& p) { return p.endsWith(QLatin1String("blob")); });
        QCOMPARE(kinds(skipped), (QStringList{QStringLiteral("e-mail"), QStringLiteral("password")}));
    }

    void insideCompressedFiles()
    {
        QTemporaryDir dir;
        const QByteArray note =
            "Owner reports vomiting since Tuesday, bloodwork ordered. " + QByteArray(4000, 'x');
        const auto zip = odis::agent::zipArchive({{QStringLiteral("logs/odis-agent.log"), note}},
                                                 QDateTime::currentDateTime());
        QVERIFY(zip);
        QVERIFY2(!zip->toLower().contains("vomiting since tuesday"), "the entry was not deflated");
        QVERIFY(writeFile(dir.filePath(QStringLiteral("bundle.zip")), *zip));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("old.log")), note));
        QProcess gzip;
        gzip.start(QStringLiteral("gzip"), {dir.filePath(QStringLiteral("old.log"))});
        QVERIFY(gzip.waitForFinished(10'000) && gzip.exitCode() == 0);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("old.log.gz"))));
        const auto found = scanner().scanTree(dir.path());
        QCOMPARE(kinds(found), (QStringList{QStringLiteral("note"), QStringLiteral("note")}));
    }

    void webEngineLeftoversAreNamed()
    {
        QTemporaryDir dir;
        QVERIFY(webEngineLeftovers(dir.path()).isEmpty());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("share/odis/QtWebEngine/Default/Cookies")), "x"));
        const QStringList found = webEngineLeftovers(dir.path());
        QCOMPARE(found.size(), 2); // the QtWebEngine folder and its Cookies file
    }
};

QTEST_GUILESS_MAIN(LeakScannerTest)
#include "tst_leak_scanner.moc"
