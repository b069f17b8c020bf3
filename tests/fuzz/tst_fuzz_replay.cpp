// Every committed fuzz input (the seed corpus under tests/fuzz/corpus/<target>/ and the inputs that once
// broke something under tests/fuzz/regressions/<target>/) through the same entry functions the libFuzzer
// targets call (fuzz_entries.h), in the normal build: a bug the fuzzer found and that comes back fails
// here, in the ordinary suite, without clang or libFuzzer.

#include "tests/fuzz/fuzz_entries.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace odis::fuzz;

namespace {

QString fuzzDir(const QString& kind, const char* target)
{
    return qEnvironmentVariable("ODIS_SOURCE_DIR") + QStringLiteral("/tests/fuzz/") + kind +
           QLatin1Char('/') + QLatin1String(target);
}

QStringList inputsIn(const QString& dir)
{
    QStringList files;
    for (const QString& name : QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name))
        files.append(dir + QLatin1Char('/') + name);
    return files;
}

} // namespace

class TstFuzzReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(qEnvironmentVariableIsSet("ODIS_SOURCE_DIR"), "run under CTest"); }

    // Each target has seeds: a target whose corpus folder is missing or empty would replay nothing.
    void every_target_has_a_seed_corpus_data()
    {
        QTest::addColumn<QString>("dir");
        for (const Target& target : allTargets())
            QTest::newRow(target.name) << fuzzDir(QStringLiteral("corpus"), target.name);
    }
    void every_target_has_a_seed_corpus()
    {
        QFETCH(QString, dir);
        QVERIFY2(!inputsIn(dir).isEmpty(), qPrintable(dir));
    }

    void replays_every_input_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("file");
        const auto targets = allTargets();
        for (int i = 0; i < int(targets.size()); ++i) {
            for (const QString& kind : {QStringLiteral("corpus"), QStringLiteral("regressions")}) {
                for (const QString& file : inputsIn(fuzzDir(kind, targets[i].name))) {
                    const QString row = QLatin1String(targets[i].name) + QLatin1Char('/') + kind +
                                        QLatin1Char('/') + QFileInfo(file).fileName();
                    QTest::newRow(qPrintable(row)) << i << file;
                }
            }
        }
    }
    void replays_every_input()
    {
        QFETCH(int, target);
        QFETCH(QString, file);
        QFile input(file);
        QVERIFY2(input.open(QIODevice::ReadOnly), qPrintable(file));
        const QByteArray bytes = input.readAll();
        const QString problem = allTargets()[target].run(bytes);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TstFuzzReplay)
#include "tst_fuzz_replay.moc"
