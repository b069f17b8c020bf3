// The agent's own limits towards Neo (docs/idexx-neo.md, "Rate limits and load"): a few requests in
// flight, a steady rate with a small burst, and everybody waiting out a 429's Retry-After. Time is
// passed in, so every decision is exact.

#include "sync/core/request_pacer.h"

#include <QTest>

using namespace odis::sync;
using Ms = std::chrono::milliseconds;

namespace {

// Starts as many requests as the pacer allows at `now` and returns how many started.
int startAllowed(RequestPacer& pacer, Ms now)
{
    int started = 0;
    while (pacer.waitBeforeNext(now) == Ms(0)) {
        pacer.start(now);
        ++started;
    }
    return started;
}

} // namespace

class TstRequestPacer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inFlightLimit()
    {
        RequestPacer pacer(PacerSettings{4, 1000, 100}, Ms(0));
        QCOMPARE(startAllowed(pacer, Ms(0)), 4);
        QCOMPARE(pacer.inFlight(), 4);
        QVERIFY(!pacer.waitBeforeNext(Ms(5000)).has_value()); // time alone frees no slot
        pacer.finish();
        QCOMPARE(pacer.waitBeforeNext(Ms(5000)), std::optional<Ms>(Ms(0)));
        pacer.start(Ms(5000));
        QCOMPARE(pacer.peakInFlight(), 4);
    }

    void steadyRate_data()
    {
        QTest::addColumn<double>("perSecond");
        QTest::addColumn<int>("burst");
        QTest::addColumn<int>("overSeconds");
        QTest::addColumn<int>("maxStarted");
        // Over T seconds a bucket admits its burst plus T x rate, and no more.
        QTest::newRow("4/s, burst 4, 10 s") << 4.0 << 4 << 10 << 44;
        QTest::newRow("1/s, burst 1, 5 s") << 1.0 << 1 << 5 << 6;
        QTest::newRow("0.5/s, burst 2, 10 s") << 0.5 << 2 << 10 << 7;
    }

    void steadyRate()
    {
        QFETCH(double, perSecond);
        QFETCH(int, burst);
        QFETCH(int, overSeconds);
        QFETCH(int, maxStarted);
        RequestPacer pacer(PacerSettings{1000, perSecond, burst}, Ms(0));
        int started = 0;
        // A caller that waits exactly what it is told, finishing each request at once.
        Ms now(0);
        const Ms end(overSeconds * 1000);
        while (now <= end) {
            const auto wait = pacer.waitBeforeNext(now);
            QVERIFY(wait.has_value());
            if (*wait > Ms(0)) {
                now += *wait;
                continue;
            }
            pacer.start(now);
            pacer.finish();
            ++started;
        }
        QCOMPARE(started, maxStarted);
    }

    void emptyBucketSaysHowLongToWait()
    {
        RequestPacer pacer(PacerSettings{10, 4, 2}, Ms(0));
        QCOMPARE(startAllowed(pacer, Ms(0)), 2);
        QCOMPARE(pacer.waitBeforeNext(Ms(0)), std::optional<Ms>(Ms(250)));
        QCOMPARE(pacer.waitBeforeNext(Ms(100)), std::optional<Ms>(Ms(150)));
        QCOMPARE(pacer.waitBeforeNext(Ms(250)), std::optional<Ms>(Ms(0)));
    }

    void retryAfterHoldsEveryone()
    {
        RequestPacer pacer(PacerSettings{4, 100, 10}, Ms(0));
        pacer.holdUntil(Ms(2000));
        QCOMPARE(pacer.waitBeforeNext(Ms(500)), std::optional<Ms>(Ms(1500)));
        pacer.holdUntil(Ms(1000)); // an earlier hold never shortens the one in force
        QCOMPARE(pacer.waitBeforeNext(Ms(500)), std::optional<Ms>(Ms(1500)));
        pacer.holdUntil(Ms(3000));
        QCOMPARE(pacer.waitBeforeNext(Ms(2999)), std::optional<Ms>(Ms(1)));
        QCOMPARE(pacer.waitBeforeNext(Ms(3000)), std::optional<Ms>(Ms(0)));
    }

    void settingsOutOfRangeStillAdmit()
    {
        RequestPacer pacer(PacerSettings{0, 0, 0}, Ms(0));
        QCOMPARE(pacer.settings().maxInFlight, 1);
        QCOMPARE(pacer.settings().burst, 1);
        QCOMPARE(startAllowed(pacer, Ms(0)), 1);
        pacer.finish();
        QVERIFY(pacer.waitBeforeNext(Ms(0)).value() > Ms(0));
        QCOMPARE(pacer.waitBeforeNext(Ms(100'000)), std::optional<Ms>(Ms(0)));
    }
};

QTEST_GUILESS_MAIN(TstRequestPacer)
#include "tst_request_pacer.moc"
