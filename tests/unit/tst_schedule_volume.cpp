// Plausible volume (docs/architecture.md, "validate ... plausible volume"): a day whose appointments
// collapse against the same weekday a week earlier is a warning; and when most visit reads fail, the
// step fails.

#include "sync/core/schedule_volume.h"

#include <QTest>

using namespace odis::sync;

namespace {

const QDate kToday(2026, 3, 11); // a Wednesday

NeoScheduleEvent row(QDate date, bool block = false, bool roster = false,
                     NeoStatus status = NeoStatus::Scheduled)
{
    NeoScheduleEvent e;
    e.appointmentId = QString::number(qHash(date) % 100000 + 1);
    e.start = LocalDateTime{date, QTime(9, 0)};
    e.isBlock = block;
    e.isRoster = roster;
    e.status = status;
    return e;
}

} // namespace

class TstScheduleVolume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collapse_data()
    {
        QTest::addColumn<int>("baseline"); // -1: no baseline row
        QTest::addColumn<int>("today");
        QTest::addColumn<bool>("warns");
        QTest::newRow("25 a week ago, none today") << 25 << 0 << true;
        QTest::newRow("25 a week ago, 4 today (< 20 %)") << 25 << 4 << true;
        QTest::newRow("25 a week ago, 5 today (20 %)") << 25 << 5 << false;
        QTest::newRow("25 a week ago, 24 today") << 25 << 24 << false;
        QTest::newRow("10 a week ago, none today") << 10 << 0 << true;
        QTest::newRow("9 a week ago, none today (small baseline)") << 9 << 0 << false;
        QTest::newRow("no baseline, none today") << -1 << 0 << false;
        QTest::newRow("none a week ago, none today") << 0 << 0 << false;
    }

    void collapse()
    {
        QFETCH(int, baseline);
        QFETCH(int, today);
        QFETCH(bool, warns);
        QMap<QDate, int> base;
        if (baseline >= 0) {
            base.insert(kToday.addDays(-7), baseline);
        }
        const QMap<QDate, int> counts{{kToday, today}};
        const QList<VolumeWarning> warnings = checkScheduleVolume(counts, base, kToday);
        QCOMPARE(warnings.size(), warns ? 1 : 0);
        if (warns) {
            QCOMPARE(warnings.first(), (VolumeWarning{kToday, today, kToday.addDays(-7), baseline}));
        }
    }

    void onlyDaysUpToTodayAreJudged()
    {
        // Tomorrow is still being booked: its count says nothing yet.
        const QDate tomorrow = kToday.addDays(1);
        const QMap<QDate, int> base{
            {kToday.addDays(-7), 25}, {tomorrow.addDays(-7), 25}, {kToday.addDays(-8), 30}};
        const QMap<QDate, int> counts{{kToday.addDays(-1), 0}, {kToday, 20}, {tomorrow, 0}};
        const QList<VolumeWarning> warnings = checkScheduleVolume(counts, base, kToday);
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings.first().date, kToday.addDays(-1));
        QCOMPARE(warnings.first().baselineCount, 30);
    }

    void thresholdsAreSettings()
    {
        const QMap<QDate, int> base{{kToday.addDays(-7), 6}};
        const QMap<QDate, int> counts{{kToday, 2}};
        QVERIFY(checkScheduleVolume(counts, base, kToday).isEmpty());
        QCOMPARE(checkScheduleVolume(counts, base, kToday, VolumeThresholds{5, 0.5}).size(), 1);
    }

    void appointmentsPerDayCountsVisitsOnly()
    {
        const QDate first(2026, 3, 9);
        const QDate last(2026, 3, 12);
        const QList<NeoScheduleEvent> events{
            row(first),
            row(first, false, false, NeoStatus::Cancelled),
            row(first, false, false, NeoStatus::NoShow),
            row(first, true),
            row(first, false, true),
            row(QDate(2026, 3, 11)),
            row(QDate(2026, 3, 13)), // outside the dates
        };
        const QMap<QDate, int> counts = appointmentsPerDay(events, first, last);
        QCOMPARE(counts,
                 (QMap<QDate, int>{{first, 3}, {QDate(2026, 3, 10), 0}, {QDate(2026, 3, 11), 1}, {last, 0}}));
        QVERIFY(appointmentsPerDay(events, last, first).isEmpty());
    }

    void mostItemsFailed_data()
    {
        QTest::addColumn<int>("attempted");
        QTest::addColumn<int>("failed");
        QTest::addColumn<bool>("stepFails");
        QTest::newRow("nothing attempted") << 0 << 0 << false;
        QTest::newRow("none failed") << 40 << 0 << false;
        QTest::newRow("one of forty") << 40 << 1 << false;
        QTest::newRow("half") << 40 << 20 << false;
        QTest::newRow("just over half") << 40 << 21 << true;
        QTest::newRow("all") << 40 << 40 << true;
        QTest::newRow("the only one") << 1 << 1 << true;
        QTest::newRow("one of two") << 2 << 1 << false;
        QTest::newRow("two of three") << 3 << 2 << true;
    }

    void mostItemsFailed()
    {
        QFETCH(int, attempted);
        QFETCH(int, failed);
        QFETCH(bool, stepFails);
        QCOMPARE(odis::sync::mostItemsFailed(attempted, failed), stepFails);
    }
};

QTEST_GUILESS_MAIN(TstScheduleVolume)
#include "tst_schedule_volume.moc"
