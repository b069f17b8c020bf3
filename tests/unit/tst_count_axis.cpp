// The dashboard chart's count axes (ui/dashboard_figures.h, countAxis): whole-number ticks only, a step of
// 1, 2 or 5 times a power of ten, at most five intervals, the top above the largest value.

#include "ui/dashboard_figures.h"

#include <QTest>

class CountAxisTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scale_data()
    {
        QTest::addColumn<qint64>("largest");
        QTest::addColumn<qint64>("top");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<int>("ticks");
        QTest::newRow("nothing yet") << qint64(0) << qint64(1) << qint64(1) << 2;
        QTest::newRow("one run a day") << qint64(1) << qint64(2) << qint64(1) << 3;
        QTest::newRow("four") << qint64(4) << qint64(5) << qint64(1) << 6;
        QTest::newRow("five: steps of two") << qint64(5) << qint64(6) << qint64(2) << 4;
        QTest::newRow("nine") << qint64(9) << qint64(10) << qint64(2) << 6;
        QTest::newRow("ten: steps of five") << qint64(10) << qint64(15) << qint64(5) << 4;
        QTest::newRow("127 notes") << qint64(127) << qint64(150) << qint64(50) << 4;
        QTest::newRow("a round top gets headroom") << qint64(100) << qint64(150) << qint64(50) << 4;
        QTest::newRow("large") << qint64(12'345) << qint64(15'000) << qint64(5'000) << 4;
        QTest::newRow("negative is none") << qint64(-3) << qint64(1) << qint64(1) << 2;
    }

    void scale()
    {
        QFETCH(qint64, largest);
        QFETCH(qint64, top);
        QFETCH(qint64, step);
        QFETCH(int, ticks);
        const odis::ui::CountAxis axis = odis::ui::countAxis(largest);
        QCOMPARE(axis.top, top);
        QCOMPARE(axis.step, step);
        QCOMPARE(axis.tickCount, ticks);
    }

    // For every count up to 100 000: ticks fall on whole numbers, the top is above the count, at most five
    // intervals, and no smaller step of the 1-2-5 series would have done.
    void everyCountHasWholeTicks()
    {
        const auto niceStep = [](qint64 s) {
            while (s % 10 == 0)
                s /= 10;
            return s == 1 || s == 2 || s == 5;
        };
        const auto nextSmaller = [](qint64 s) {
            qint64 magnitude = 1;
            while (s / magnitude >= 10)
                magnitude *= 10;
            const qint64 factor = s / magnitude;
            return factor == 1 ? magnitude / 2 : factor == 2 ? magnitude : 2 * magnitude;
        };
        for (qint64 largest = 0; largest <= 100'000; ++largest) {
            const odis::ui::CountAxis axis = odis::ui::countAxis(largest);
            const QByteArray at = QByteArray::number(largest);
            QVERIFY2(axis.top > largest, at.constData());
            QVERIFY2(niceStep(axis.step), at.constData());
            QVERIFY2(axis.top % axis.step == 0, at.constData());
            QVERIFY2(axis.tickCount == axis.top / axis.step + 1, at.constData());
            QVERIFY2(axis.tickCount - 1 <= 5, at.constData());
            if (axis.step > 1) {
                const qint64 smaller = nextSmaller(axis.step);
                QVERIFY2(largest / smaller + 1 > 5,
                         QByteArray(at + " could use step " + QByteArray::number(smaller)).constData());
            }
        }
    }
};

QTEST_APPLESS_MAIN(CountAxisTest)
#include "tst_count_axis.moc"
