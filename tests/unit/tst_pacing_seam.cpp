// The benchmark seam ODIS_TEST_NEO_PACING (agent/run/pacing_seam.h): what it accepts, and that a typo is
// refused rather than silently measured at the shipped pacing.

#include "agent/run/pacing_seam.h"

#include <QTest>

using namespace odis;

class TstPacingSeam : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unsetMeansShipped();
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
};

void TstPacingSeam::unsetMeansShipped()
{
    const auto pacing = agent::parseTestPacing(QString());
    QVERIFY(pacing.has_value());
    QVERIFY(!pacing->has_value());
}

void TstPacingSeam::accepted_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("inFlight");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("burst");
    QTest::newRow("shipped, spelled out") << "4:4:4" << 4 << 4.0 << 4;
    QTest::newRow("burst defaults to the rate") << "8:20" << 8 << 20.0 << 20;
    QTest::newRow("fractional rate, burst rounded up") << "1:0.5" << 1 << 0.5 << 1;
    QTest::newRow("lifted, as bench/ uses it") << "64:10000:10000" << 64 << 10000.0 << 10000;
}

void TstPacingSeam::accepted()
{
    QFETCH(QString, value);
    QFETCH(int, inFlight);
    QFETCH(double, rate);
    QFETCH(int, burst);
    const auto pacing = agent::parseTestPacing(value);
    QVERIFY2(pacing.has_value(), qPrintable(pacing ? QString() : pacing.error().toString()));
    QVERIFY(pacing->has_value());
    QCOMPARE((*pacing)->maxInFlight, inFlight);
    QCOMPARE((*pacing)->requestsPerSecond, rate);
    QCOMPARE((*pacing)->burst, burst);
}

void TstPacingSeam::refused_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("one number") << "4";
    QTest::newRow("four parts") << "4:4:4:4";
    QTest::newRow("letters") << "four:4";
    QTest::newRow("no slot in flight") << "0:4";
    QTest::newRow("too many in flight") << "65:4";
    QTest::newRow("rate zero") << "4:0";
    QTest::newRow("rate too high") << "4:10001";
    QTest::newRow("burst zero") << "4:4:0";
    QTest::newRow("empty parts") << "::";
    QTest::newRow("not a number") << "4:nan";
}

void TstPacingSeam::refused()
{
    QFETCH(QString, value);
    const auto pacing = agent::parseTestPacing(value);
    QVERIFY(!pacing.has_value());
    QCOMPARE(pacing.error().code, QStringLiteral("test_pacing_invalid"));
}

QTEST_GUILESS_MAIN(TstPacingSeam)
#include "tst_pacing_seam.moc"
