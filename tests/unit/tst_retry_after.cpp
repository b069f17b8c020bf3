// Retry-After: delay-seconds and the three HTTP-date forms (sync/core/retry_after.h).

#include "sync/core/retry_after.h"

#include <QTest>

namespace {

const QDateTime kNow(QDate(2026, 3, 10), QTime(17, 0, 0), Qt::UTC);

} // namespace

class TestRetryAfter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<qint64>("expected"); // seconds; -1: not a Retry-After value

        QTest::newRow("seconds") << QByteArray("120") << kNow << qint64(120);
        QTest::newRow("zero") << QByteArray("0") << kNow << qint64(0);
        QTest::newRow("leading zeros") << QByteArray("007") << kNow << qint64(7);
        QTest::newRow("white space around") << QByteArray(" \t5 ") << kNow << qint64(5);
        QTest::newRow("a week is the most")
            << QByteArray("99999999999999999999999999") << kNow
            << qint64(std::chrono::duration_cast<std::chrono::seconds>(odis::sync::kMaxRetryAfter).count());
        QTest::newRow("negative") << QByteArray("-1") << kNow << qint64(-1);
        QTest::newRow("plus sign") << QByteArray("+3") << kNow << qint64(-1);
        QTest::newRow("fraction") << QByteArray("1.5") << kNow << qint64(-1);
        QTest::newRow("empty") << QByteArray("") << kNow << qint64(-1);
        QTest::newRow("blank") << QByteArray("   ") << kNow << qint64(-1);
        QTest::newRow("words") << QByteArray("soon") << kNow << qint64(-1);
        QTest::newRow("digits then text") << QByteArray("30s") << kNow << qint64(-1);

        QTest::newRow("IMF-fixdate") << QByteArray("Tue, 10 Mar 2026 17:01:30 GMT") << kNow << qint64(90);
        QTest::newRow("IMF-fixdate now") << QByteArray("Tue, 10 Mar 2026 17:00:00 GMT") << kNow << qint64(0);
        QTest::newRow("IMF-fixdate in the past")
            << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << kNow << qint64(0);
        QTest::newRow("IMF-fixdate next day")
            << QByteArray("Wed, 11 Mar 2026 17:00:00 GMT") << kNow << qint64(86400);
        QTest::newRow("rounded up to a second")
            << QByteArray("Tue, 10 Mar 2026 17:00:10 GMT") << kNow.addMSecs(500) << qint64(10);
        QTest::newRow("RFC 850") << QByteArray("Tuesday, 10-Mar-26 17:00:45 GMT") << kNow << qint64(45);
        QTest::newRow("RFC 850 old century")
            << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << kNow << qint64(0);
        QTest::newRow("asctime, padded day")
            << QByteArray("Tue Mar  3 17:00:00 2026") << QDateTime(QDate(2026, 3, 1), QTime(17, 0), Qt::UTC)
            << qint64(2 * 86400);
        QTest::newRow("far date: a week is the most")
            << QByteArray("Wed, 10 Mar 2027 17:00:00 GMT") << kNow
            << qint64(std::chrono::duration_cast<std::chrono::seconds>(odis::sync::kMaxRetryAfter).count());
        QTest::newRow("asctime, two-digit day")
            << QByteArray("Tue Mar 10 17:02:00 2026") << kNow << qint64(120);

        QTest::newRow("zone other than GMT")
            << QByteArray("Tue, 10 Mar 2026 17:01:30 PST") << kNow << qint64(-1);
        QTest::newRow("numeric zone") << QByteArray("Tue, 10 Mar 2026 17:01:30 +0000") << kNow << qint64(-1);
        QTest::newRow("31 February") << QByteArray("Tue, 31 Feb 2026 17:01:30 GMT") << kNow << qint64(-1);
        QTest::newRow("hour 24") << QByteArray("Tue, 10 Mar 2026 24:00:00 GMT") << kNow << qint64(-1);
        QTest::newRow("leap second") << QByteArray("Tue, 10 Mar 2026 17:00:60 GMT") << kNow << qint64(-1);
        QTest::newRow("lower-case month")
            << QByteArray("Tue, 10 mar 2026 17:01:30 GMT") << kNow << qint64(-1);
        QTest::newRow("unknown day name")
            << QByteArray("Tus, 10 Mar 2026 17:01:30 GMT") << kNow << qint64(-1);
        QTest::newRow("one-digit day in IMF")
            << QByteArray("Tue, 3 Mar 2026 17:01:30 GMT") << kNow << qint64(-1);
        QTest::newRow("ISO 8601 is not HTTP") << QByteArray("2026-03-10T17:01:30Z") << kNow << qint64(-1);
        QTest::newRow("trailing text") << QByteArray("Tue, 10 Mar 2026 17:01:30 GMT x") << kNow << qint64(-1);
    }
    void parses()
    {
        QFETCH(QByteArray, value);
        QFETCH(QDateTime, now);
        QFETCH(qint64, expected);
        const auto wait = odis::sync::parseRetryAfter(value, now);
        if (expected < 0) {
            QVERIFY2(!wait, qPrintable(QStringLiteral("accepted as %1 s").arg(wait ? wait->count() : 0)));
            return;
        }
        QVERIFY(wait.has_value());
        QCOMPARE(wait->count(), expected);
    }

    void rfc850YearsAreNeverFarInTheFuture()
    {
        // "99" read in 2026 is 1999 (2099 is more than 50 years ahead); "75" is 2075.
        QCOMPARE(odis::sync::parseHttpDate("Friday, 01-Jan-99 00:00:00 GMT", kNow).date().year(), 1999);
        QCOMPARE(odis::sync::parseHttpDate("Friday, 01-Jan-75 00:00:00 GMT", kNow).date().year(), 2075);
    }

    void httpDateIsUtc()
    {
        const QDateTime at = odis::sync::parseHttpDate("Tue, 10 Mar 2026 17:01:30 GMT", kNow);
        QCOMPARE(at, QDateTime(QDate(2026, 3, 10), QTime(17, 1, 30), Qt::UTC));
        QCOMPARE(at.timeSpec(), Qt::UTC);
    }
};

QTEST_GUILESS_MAIN(TestRetryAfter)
#include "tst_retry_after.moc"
