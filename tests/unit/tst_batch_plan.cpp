// How pending items are cut into batches and how a 413 splits one (sync/core/batch_plan.h).

#include "sync/core/batch_plan.h"

#include <QSet>
#include <QTest>

using odis::sync::BatchLimits;

class TestBatchPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void largestFittingCount_data()
    {
        QTest::addColumn<int>("available");
        QTest::addColumn<int>("maxItems");
        QTest::addColumn<qint64>("maxBytes");
        QTest::addColumn<qint64>("fixed");   // envelope bytes
        QTest::addColumn<qint64>("perItem"); // bytes per item
        QTest::addColumn<int>("expected");

        QTest::newRow("nothing pending") << 0 << 500 << qint64(1000) << qint64(10) << qint64(1) << 0;
        QTest::newRow("all fit") << 120 << 500 << qint64(1 << 21) << qint64(100) << qint64(900) << 120;
        QTest::newRow("item limit") << 1200 << 500 << qint64(1 << 21) << qint64(100) << qint64(900) << 500;
        QTest::newRow("byte limit") << 500 << 500 << qint64(10'000) << qint64(100) << qint64(99) << 100;
        QTest::newRow("exactly at the byte limit")
            << 500 << 500 << qint64(10'000) << qint64(100) << qint64(990) << 10;
        QTest::newRow("one item fits") << 50 << 500 << qint64(1000) << qint64(100) << qint64(600) << 1;
        QTest::newRow("first item alone is too big")
            << 50 << 500 << qint64(1000) << qint64(100) << qint64(2000) << 0;
        QTest::newRow("limit of one item") << 50 << 1 << qint64(1 << 21) << qint64(0) << qint64(1) << 1;
    }
    void largestFittingCount()
    {
        QFETCH(int, available);
        QFETCH(int, maxItems);
        QFETCH(qint64, maxBytes);
        QFETCH(qint64, fixed);
        QFETCH(qint64, perItem);
        QFETCH(int, expected);
        int measurements = 0;
        const int count =
            odis::sync::largestFittingCount(available, BatchLimits{maxItems, maxBytes}, [&](int n) {
                ++measurements;
                [&] { QVERIFY(n >= 1 && n <= std::min(available, maxItems)); }();
                return fixed + perItem * n;
            });
        QCOMPARE(count, expected);
        // A binary search: at most 1 + log2(500) + 1 compressions of a candidate body.
        QVERIFY2(measurements <= 11, qPrintable(QString::number(measurements)));
        if (count > 0)
            QVERIFY(fixed + perItem * count <= maxBytes);
        if (count > 0 && count < std::min(available, maxItems))
            QVERIFY(fixed + perItem * (count + 1) > maxBytes);
    }

    void returnedCountWasMeasuredToFit()
    {
        // Compressed sizes are not monotonic; whatever the search returns was itself measured to fit.
        const QList<qint64> sizes{0, 500, 1200, 900, 1500, 1100, 2000};
        QSet<int> measured;
        const int count = odis::sync::largestFittingCount(6, BatchLimits{500, 1000}, [&](int n) {
            measured.insert(n);
            return sizes.at(n);
        });
        QVERIFY(count >= 1);
        QVERIFY(measured.contains(count));
        QVERIFY(sizes.at(count) <= 1000);
    }

    void splitForTooLarge_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("first");
        QTest::addColumn<int>("second");
        QTest::newRow("single item cannot split") << 1 << -1 << -1;
        QTest::newRow("empty") << 0 << -1 << -1;
        QTest::newRow("two") << 2 << 1 << 1;
        QTest::newRow("odd: first half takes the extra") << 7 << 4 << 3;
        QTest::newRow("full batch") << 500 << 250 << 250;
    }
    void splitForTooLarge()
    {
        QFETCH(int, count);
        QFETCH(int, first);
        QFETCH(int, second);
        const auto halves = odis::sync::splitForTooLarge(count);
        if (first < 0) {
            QVERIFY(!halves);
            return;
        }
        QVERIFY(halves.has_value());
        QCOMPARE(halves->first, first);
        QCOMPARE(halves->second, second);
    }
};

QTEST_GUILESS_MAIN(TestBatchPlan)
#include "tst_batch_plan.moc"
