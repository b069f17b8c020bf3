// Capped exponential backoff with full jitter, and the per-run retry budget (sync/core/backoff.h).

#include "sync/core/backoff.h"

#include <QTest>

#include <deque>

using namespace std::chrono_literals;
using odis::sync::BackoffPolicy;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(std::chrono::milliseconds)

namespace {

// Returns the queued fractions of the bound (0 = lowest, 1 = the bound itself), recording each bound.
class ScriptedRandom final : public odis::sync::RandomSource
{
public:
    explicit ScriptedRandom(std::deque<double> fractions)
        : m_fractions(std::move(fractions))
    {}
    quint64 upTo(quint64 bound) override
    {
        bounds.append(bound);
        const double f = m_fractions.empty() ? 0.0 : m_fractions.front();
        if (!m_fractions.empty())
            m_fractions.pop_front();
        return static_cast<quint64>(f * static_cast<double>(bound));
    }
    QList<quint64> bounds;

private:
    std::deque<double> m_fractions;
};

BackoffPolicy policy(milliseconds base, milliseconds cap)
{
    BackoffPolicy p;
    p.base = base;
    p.cap = cap;
    return p;
}

} // namespace

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ceilingDoublesUpToTheCap_data()
    {
        QTest::addColumn<milliseconds>("base");
        QTest::addColumn<milliseconds>("cap");
        QTest::addColumn<int>("failures");
        QTest::addColumn<milliseconds>("expected");
        QTest::newRow("no failure yet") << 1000ms << 60000ms << 0 << 0ms;
        QTest::newRow("negative count") << 1000ms << 60000ms << -3 << 0ms;
        QTest::newRow("first") << 1000ms << 60000ms << 1 << 1000ms;
        QTest::newRow("second") << 1000ms << 60000ms << 2 << 2000ms;
        QTest::newRow("sixth") << 1000ms << 60000ms << 6 << 32000ms;
        QTest::newRow("seventh reaches the cap") << 1000ms << 60000ms << 7 << 60000ms;
        QTest::newRow("far past the cap") << 1000ms << 60000ms << 500 << 60000ms;
        QTest::newRow("INT_MAX failures, no overflow")
            << 1000ms << 60000ms << std::numeric_limits<int>::max() << 60000ms;
        QTest::newRow("base above the cap") << 90000ms << 60000ms << 1 << 60000ms;
        QTest::newRow("cap not a power of two of base") << 300ms << 1000ms << 3 << 1000ms;
        QTest::newRow("huge cap") << 1ms << milliseconds(std::numeric_limits<qint64>::max()) << 70
                                  << milliseconds(std::numeric_limits<qint64>::max());
        QTest::newRow("zero base") << 0ms << 60000ms << 3 << 0ms;
    }
    void ceilingDoublesUpToTheCap()
    {
        QFETCH(milliseconds, base);
        QFETCH(milliseconds, cap);
        QFETCH(int, failures);
        QFETCH(milliseconds, expected);
        QCOMPARE(odis::sync::backoffCeiling(policy(base, cap), failures).count(), expected.count());
    }

    void delayIsUniformUpToTheCeiling()
    {
        const BackoffPolicy p = policy(1000ms, 60000ms);
        ScriptedRandom random({0.0, 1.0, 0.5, 1.0});
        QCOMPARE(odis::sync::backoffDelay(p, 1, random).count(), 0);      // full jitter reaches 0
        QCOMPARE(odis::sync::backoffDelay(p, 3, random).count(), 4000);   // and the ceiling itself
        QCOMPARE(odis::sync::backoffDelay(p, 4, random).count(), 4000);   // half of 8 s
        QCOMPARE(odis::sync::backoffDelay(p, 20, random).count(), 60000); // capped
        QCOMPARE(random.bounds, (QList<quint64>{1000, 4000, 8000, 60000}));
    }

    void delayNeverExceedsTheCeilingEvenIfTheSourceMisbehaves()
    {
        class Wild final : public odis::sync::RandomSource
        {
        public:
            quint64 upTo(quint64) override { return std::numeric_limits<quint64>::max(); }
        } wild;
        QCOMPARE(odis::sync::backoffDelay(policy(100ms, 1000ms), 2, wild).count(), 200);
    }

    void delayForNoFailureDrawsNothing()
    {
        ScriptedRandom random({1.0});
        QCOMPARE(odis::sync::backoffDelay(policy(100ms, 1000ms), 0, random).count(), 0);
        QVERIFY(random.bounds.isEmpty());
    }

    void systemRandomStaysInRange()
    {
        odis::sync::SystemRandom random;
        QCOMPARE(random.upTo(0), quint64(0));
        bool sawLow = false;
        bool sawHigh = false;
        for (int i = 0; i < 2000; ++i) {
            const quint64 v = random.upTo(3);
            QVERIFY(v <= 3);
            sawLow = sawLow || v == 0;
            sawHigh = sawHigh || v == 3;
        }
        QVERIFY(sawLow && sawHigh); // both ends are reachable (bound included)
        for (int i = 0; i < 100; ++i)
            QVERIFY(random.upTo(std::numeric_limits<quint64>::max() - 1) <
                    std::numeric_limits<quint64>::max());
    }

    void budget_data()
    {
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<milliseconds>("maxTotal");
        QTest::addColumn<int>("failures");
        QTest::addColumn<milliseconds>("elapsed");
        QTest::addColumn<milliseconds>("wait");
        QTest::addColumn<bool>("expected");
        QTest::newRow("first failure, time left") << 6 << 60000ms << 1 << 0ms << 1000ms << true;
        QTest::newRow("one before the last attempt") << 6 << 60000ms << 5 << 0ms << 1000ms << true;
        QTest::newRow("attempts used up") << 6 << 60000ms << 6 << 0ms << 1000ms << false;
        QTest::newRow("wait ends exactly at the limit") << 6 << 60000ms << 1 << 59000ms << 1000ms << true;
        QTest::newRow("wait would end past the limit") << 6 << 60000ms << 1 << 59001ms << 1000ms << false;
        QTest::newRow("Retry-After longer than the run") << 6 << 60000ms << 1 << 0ms << 3600000ms << false;
        QTest::newRow("no retries allowed") << 0 << 60000ms << 0 << 0ms << 0ms << false;
    }
    void budget()
    {
        QFETCH(int, maxAttempts);
        QFETCH(milliseconds, maxTotal);
        QFETCH(int, failures);
        QFETCH(milliseconds, elapsed);
        QFETCH(milliseconds, wait);
        QFETCH(bool, expected);
        BackoffPolicy p;
        p.maxAttempts = maxAttempts;
        p.maxTotal = maxTotal;
        QCOMPARE(odis::sync::withinRetryBudget(p, failures, elapsed, wait), expected);
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
