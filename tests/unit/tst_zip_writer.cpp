// The diagnostics bundle's ZIP writer (agent/diagnostics/zip_writer.h), read back by an independent
// implementation: Info-ZIP's unzip (-t tests every CRC, -p prints an entry). Names and bad input refused.

#include "agent/diagnostics/diagnostics_bundle.h"
#include "agent/diagnostics/zip_writer.h"
#include "tests/support/manual_clock.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::agent;

namespace {

const QDateTime kWhen(QDate(2026, 3, 10), QTime(12, 34, 56), Qt::UTC);

struct Unzip
{
    int exitCode = -1;
    QByteArray out;
};

Unzip unzip(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8")); // UTF-8 names as such
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("unzip"), arguments);
    if (!process.waitForFinished(30'000))
        return {};
    return {process.exitCode(), process.readAllStandardOutput()};
}

} // namespace

class ZipWriterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The bundle holds redacted logs and the install's state: its user's alone from the first byte, even
    // where a wider file of that name stood before (QSaveFile would keep that file's mode).
    void bundleIsTheUsersAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("support.zip"));
        QFile earlier(path);
        QVERIFY(earlier.open(QIODevice::WriteOnly));
        earlier.write("an older bundle");
        earlier.close();
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ReadGroup | QFileDevice::ReadOther));
        odis::test::ManualClock clock;
        const auto written =
            writeDiagnosticsZip({{QStringLiteral("status.json"), QByteArray("{}")}}, path, clock);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
        QCOMPARE(QFile::permissions(path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(unzip({QStringLiteral("-t"), path}).exitCode == 0);
    }

    void readBackByUnzip()
    {
        QByteArray random(64 * 1024, Qt::Uninitialized);
        QRandomGenerator gen(7);
        for (char& c : random)
            c = char(gen.bounded(256));
        const QList<ZipEntry> entries{
            {QStringLiteral("README.txt"), QByteArray("what this is\n")},
            {QStringLiteral("empty.json"), QByteArray()},
            {QStringLiteral("logs/odis-agent.log"), QByteArray("a line that repeats\n").repeated(5000)},
            {QStringLiteral("logs/random.bin"), random}, // stored: deflate would grow it
            {QStringLiteral("ünïcode/naïve.txt"), QByteArray("utf-8 names\n")},
        };
        auto archive = zipArchive(entries, kWhen);
        QVERIFY2(archive, qPrintable(archive ? QString() : archive.error().toString()));
        QVERIFY(archive->size() < 64 * 1024 + 4000); // the repeated log was compressed
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bundle.zip"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(*archive);
        file.close();

        const Unzip test = unzip({QStringLiteral("-t"), path});
        QVERIFY2(test.exitCode == 0, test.out.constData());
        const QString extracted = dir.filePath(QStringLiteral("out"));
        const Unzip all = unzip({QStringLiteral("-q"), path, QStringLiteral("-d"), extracted});
        QVERIFY2(all.exitCode == 0, all.out.constData());
        for (const ZipEntry& e : entries) {
            QFile one(extracted + u'/' + e.name);
            QVERIFY2(one.open(QIODevice::ReadOnly), qPrintable(e.name));
            QVERIFY2(one.readAll() == e.data, qPrintable(e.name));
        }
        const Unzip list = unzip({QStringLiteral("-l"), path});
        QVERIFY2(list.out.contains("2026-03-10 12:34") || list.out.contains("03-10-2026 12:34"),
                 list.out.constData());
    }

    void badNamesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd");
        QTest::newRow("parent") << QStringLiteral("logs/../../x");
        QTest::newRow("dot") << QStringLiteral("./x");
        QTest::newRow("backslash") << QStringLiteral("logs\\x");
        QTest::newRow("empty part") << QStringLiteral("logs//x");
    }
    void badNamesAreRefused()
    {
        QFETCH(QString, name);
        auto archive = zipArchive({{name, QByteArray("x")}}, kWhen);
        QVERIFY(!archive);
        QCOMPARE(archive.error().code, QStringLiteral("zip_invalid"));
    }

    void duplicateNamesAreRefused()
    {
        auto archive = zipArchive(
            {{QStringLiteral("a"), QByteArray("1")}, {QStringLiteral("a"), QByteArray("2")}}, kWhen);
        QVERIFY(!archive);
    }
};

QTEST_GUILESS_MAIN(ZipWriterTest)
#include "tst_zip_writer.moc"
