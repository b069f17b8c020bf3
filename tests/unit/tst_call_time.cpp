// When a planned call happens (docs/discharge-rules.md, "When" and "Stagger"): local times across
// daylight-saving changes, closed days, window clamps, opening hours (a Saturday with short hours, lunch,
// closing time), late notes, staggering and calls placed too late for their visit.

#include "sync/core/call_stagger.h"
#include "sync/core/call_time.h"
#include "sync/core/local_time.h"
#include "tests/unit/discharge_fixtures.h"

#include <QTest>

using namespace odis::sync;
using odis::test::local;
using odis::test::utc;
using odis::test::wall;

namespace {

QTime hhmm(const QString& text)
{
    return QTime::fromString(text, QStringLiteral("HH:mm"));
}

// The simulator's reference clinic (tests/sim/common/default-clinic-profile.json): Monday to Friday
// 08:00-18:00 with lunch 12:00-13:00, Saturday 09:00-13:00, Sunday closed.
BusinessHours clinicHours()
{
    BusinessHours hours;
    for (std::size_t day = 0; day < 5; ++day)
        hours.days[day] = OpeningHours{QTime(8, 0), QTime(18, 0), QTime(12, 0), QTime(13, 0)};
    hours.days[5] = OpeningHours{QTime(9, 0), QTime(13, 0), {}, {}};
    return hours;
}

} // namespace

class TstCallTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolvesLocalTimes_data();
    void resolvesLocalTimes();
    void formatsInstants();
    void proposedCallTime_data();
    void proposedCallTime();
    void callMinutes_data();
    void callMinutes();
    void noSlotIsRefused();
    void stagger_data();
    void stagger();
    void staggerIgnoresInputOrder();
};

void TstCallTime::resolvesLocalTimes_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("wallTime"); // "yyyy-MM-dd HH:mm"
    QTest::addColumn<QString>("instant");
    QTest::addColumn<QString>("clinicLocal");

    const QString la = QStringLiteral("America/Los_Angeles");
    const QString london = QStringLiteral("Europe/London");
    const QString sydney = QStringLiteral("Australia/Sydney");
    QTest::newRow("LA winter") << la << "2026-01-15 16:00"
                               << "2026-01-16T00:00:00Z"
                               << "2026-01-15T16:00:00-08:00";
    QTest::newRow("LA summer") << la << "2026-07-15 16:00"
                               << "2026-07-15T23:00:00Z"
                               << "2026-07-15T16:00:00-07:00";
    // Spring forward 2026-03-08: 02:00 PST jumps to 03:00 PDT.
    QTest::newRow("LA before gap") << la << "2026-03-08 01:59"
                                   << "2026-03-08T09:59:00Z"
                                   << "2026-03-08T01:59:00-08:00";
    QTest::newRow("LA gap start") << la << "2026-03-08 02:00"
                                  << "2026-03-08T10:00:00Z"
                                  << "2026-03-08T03:00:00-07:00";
    QTest::newRow("LA inside gap") << la << "2026-03-08 02:30"
                                   << "2026-03-08T10:00:00Z"
                                   << "2026-03-08T03:00:00-07:00";
    QTest::newRow("LA gap end") << la << "2026-03-08 02:59"
                                << "2026-03-08T10:00:00Z"
                                << "2026-03-08T03:00:00-07:00";
    QTest::newRow("LA after gap") << la << "2026-03-08 03:00"
                                  << "2026-03-08T10:00:00Z"
                                  << "2026-03-08T03:00:00-07:00";
    QTest::newRow("LA spring day 16:00") << la << "2026-03-08 16:00"
                                         << "2026-03-08T23:00:00Z"
                                         << "2026-03-08T16:00:00-07:00";
    // Fall back 2026-11-01: 01:00-01:59 happens twice; the first (PDT) occurrence is taken.
    QTest::newRow("LA before overlap") << la << "2026-11-01 00:59"
                                       << "2026-11-01T07:59:00Z"
                                       << "2026-11-01T00:59:00-07:00";
    QTest::newRow("LA overlap start") << la << "2026-11-01 01:00"
                                      << "2026-11-01T08:00:00Z"
                                      << "2026-11-01T01:00:00-07:00";
    QTest::newRow("LA inside overlap") << la << "2026-11-01 01:30"
                                       << "2026-11-01T08:30:00Z"
                                       << "2026-11-01T01:30:00-07:00";
    QTest::newRow("LA after overlap") << la << "2026-11-01 02:00"
                                      << "2026-11-01T10:00:00Z"
                                      << "2026-11-01T02:00:00-08:00";
    QTest::newRow("LA autumn day 16:00") << la << "2026-11-01 16:00"
                                         << "2026-11-02T00:00:00Z"
                                         << "2026-11-01T16:00:00-08:00";
    // Europe/London: 2026-03-29 01:00 GMT -> 02:00 BST; 2026-10-25 02:00 BST -> 01:00 GMT.
    QTest::newRow("London inside gap") << london << "2026-03-29 01:30"
                                       << "2026-03-29T01:00:00Z"
                                       << "2026-03-29T02:00:00+01:00";
    QTest::newRow("London spring 16:00") << london << "2026-03-29 16:00"
                                         << "2026-03-29T15:00:00Z"
                                         << "2026-03-29T16:00:00+01:00";
    QTest::newRow("London inside overlap") << london << "2026-10-25 01:30"
                                           << "2026-10-25T00:30:00Z"
                                           << "2026-10-25T01:30:00+01:00";
    QTest::newRow("London autumn 16:00") << london << "2026-10-25 16:00"
                                         << "2026-10-25T16:00:00Z"
                                         << "2026-10-25T16:00:00+00:00";
    // Australia/Sydney (southern hemisphere): 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00
    // AEST -> 03:00 AEDT.
    QTest::newRow("Sydney inside overlap") << sydney << "2026-04-05 02:30"
                                           << "2026-04-04T15:30:00Z"
                                           << "2026-04-05T02:30:00+11:00";
    QTest::newRow("Sydney autumn 16:00") << sydney << "2026-04-05 16:00"
                                         << "2026-04-05T06:00:00Z"
                                         << "2026-04-05T16:00:00+10:00";
    QTest::newRow("Sydney inside gap") << sydney << "2026-10-04 02:30"
                                       << "2026-10-03T16:00:00Z"
                                       << "2026-10-04T03:00:00+11:00";
    QTest::newRow("Sydney spring 16:00") << sydney << "2026-10-04 16:00"
                                         << "2026-10-04T05:00:00Z"
                                         << "2026-10-04T16:00:00+11:00";
}

void TstCallTime::resolvesLocalTimes()
{
    QFETCH(QString, zone);
    QFETCH(QString, wallTime);
    QFETCH(QString, instant);
    QFETCH(QString, clinicLocal);
    const QTimeZone clinicZone(zone.toUtf8());
    const QDateTime resolved = local(wallTime, clinicZone);
    QVERIFY(resolved.isValid());
    QCOMPARE(formatUtcInstant(resolved), instant);
    QCOMPARE(formatClinicLocal(resolved, clinicZone), clinicLocal);
}

void TstCallTime::formatsInstants()
{
    const QTimeZone la = odis::test::zone("America/Los_Angeles");
    QCOMPARE(formatUtcInstant(utc("2026-03-12T23:00:00Z")), QStringLiteral("2026-03-12T23:00:00Z"));
    QCOMPARE(formatClinicLocal(utc("2026-03-12T23:00:00Z"), la), QStringLiteral("2026-03-12T16:00:00-07:00"));
    QCOMPARE(formatClinicLocal(utc("2026-03-12T23:00:00Z"), odis::test::zone("Asia/Kolkata")),
             QStringLiteral("2026-03-13T04:30:00+05:30"));
    QCOMPARE(ceilToMinute(utc("2026-03-12T23:00:00Z")), utc("2026-03-12T23:00:00Z"));
    QCOMPARE(ceilToMinute(utc("2026-03-12T23:00:01Z")), utc("2026-03-12T23:01:00Z"));
    QCOMPARE(ceilToMinute(utc("2026-03-12T23:00:00Z").addMSecs(1)), utc("2026-03-12T23:01:00Z"));
    QVERIFY(!parseUtcInstant(QStringLiteral("2026-03-12T23:00:00+00:00")).isValid());
    QVERIFY(!parseUtcInstant(QStringLiteral("2026-02-30T23:00:00Z")).isValid());
    QVERIFY(!parseUtcInstant(QStringLiteral("2026-03-12 23:00:00Z")).isValid());
}

void TstCallTime::proposedCallTime_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QString>("openDays"); // "MTWTFS-": Monday..Sunday, '-' closed
    QTest::addColumn<bool>("skipClosedDays");
    QTest::addColumn<int>("delayDays");
    QTest::addColumn<QString>("callTime");
    QTest::addColumn<QString>("windowStart");
    QTest::addColumn<QString>("windowEnd");
    QTest::addColumn<QDate>("visitDate");
    QTest::addColumn<QString>("now");           // UTC
    QTest::addColumn<QString>("expectedLocal"); // "yyyy-MM-ddTHH:mm:ss+hh:mm"
    QTest::addColumn<bool>("insideHours");      // openDays "clinic": clinicHours(), calls only while open

    const QString la = QStringLiteral("America/Los_Angeles");
    const QString ref = QStringLiteral("MTWTFS-");
    const QString early = QStringLiteral("2026-01-01T00:00:00Z"); // long before any call
    // The window alone (calls_outside_hours): the rows that test the window, closed days and DST.
    const auto row = [&](const char* name, const QString& zone, const QString& days, bool skip, int delay,
                         const char* callTime, QDate visit, const QString& now, const char* expected,
                         const char* start = "09:00", const char* end = "20:00") {
        QTest::newRow(name) << zone << days << skip << delay << QString::fromLatin1(callTime)
                            << QString::fromLatin1(start) << QString::fromLatin1(end) << visit << now
                            << QString::fromLatin1(expected) << false;
    };
    // The reference clinic's opening hours inside the default window.
    const auto open = [&](const char* name, bool skip, const char* callTime, QDate visit, const QString& now,
                          const char* expected, const QString& zone = QStringLiteral("America/Los_Angeles")) {
        QTest::newRow(name) << zone << QStringLiteral("clinic") << skip << 2 << QString::fromLatin1(callTime)
                            << QStringLiteral("09:00") << QStringLiteral("20:00") << visit << now
                            << QString::fromLatin1(expected) << true;
    };

    // Steps 1-3.
    row("normal: Tuesday visit, Thursday 16:00", la, ref, true, 2, "16:00", QDate(2026, 3, 10), early,
        "2026-03-12T16:00:00-07:00");
    row("delay 0", la, ref, true, 0, "16:00", QDate(2026, 3, 10), early, "2026-03-10T16:00:00-07:00");
    row("closed Sunday moves to Monday", la, ref, true, 2, "16:00", QDate(2026, 3, 13), early,
        "2026-03-16T16:00:00-07:00");
    row("Saturday is open", la, ref, true, 2, "16:00", QDate(2026, 3, 12), early,
        "2026-03-14T16:00:00-07:00");
    row("closed days not skipped", la, ref, false, 2, "16:00", QDate(2026, 3, 13), early,
        "2026-03-15T16:00:00-07:00");
    row("several closed days", la, QStringLiteral("M-W-F--"), true, 2, "16:00", QDate(2026, 3, 12), early,
        "2026-03-16T16:00:00-07:00");
    row("call time before window", la, ref, true, 2, "07:30", QDate(2026, 3, 10), early,
        "2026-03-12T09:00:00-07:00");
    row("call time at window start", la, ref, true, 2, "09:00", QDate(2026, 3, 10), early,
        "2026-03-12T09:00:00-07:00");
    row("call time at window end", la, ref, true, 2, "20:00", QDate(2026, 3, 10), early,
        "2026-03-12T20:00:00-07:00");
    row("call time after window: next day", la, ref, true, 2, "20:01", QDate(2026, 3, 10), early,
        "2026-03-13T09:00:00-07:00");
    row("after window on Saturday: Monday", la, ref, true, 2, "21:00", QDate(2026, 3, 12), early,
        "2026-03-16T09:00:00-07:00");
    // Step 4: late notes.
    row("late notes: now + 15 inside window", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-12T00:00:00Z"), "2026-03-11T17:15:00-07:00");
    row("late notes: rounded up to the minute", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-12T00:00:30Z"), "2026-03-11T17:16:00-07:00");
    row("late notes: exactly now + 15 is on time", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-11T22:45:00Z"), "2026-03-11T16:00:00-07:00");
    row("late notes: a minute late", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-11T22:46:00Z"), "2026-03-11T16:01:00-07:00");
    row("late notes: ends at window end", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-12T02:45:00Z"), "2026-03-11T20:00:00-07:00");
    row("late notes: after window end, next open day", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-12T02:50:00Z"), "2026-03-12T09:00:00-07:00");
    row("late notes: Saturday evening, Monday", la, ref, true, 2, "16:00", QDate(2026, 3, 10),
        QStringLiteral("2026-03-15T03:00:00Z"), "2026-03-16T09:00:00-07:00");
    row("late notes: before window start, same day", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-12T14:00:00Z"), "2026-03-12T09:00:00-07:00");
    row("late notes: on a closed day", la, ref, true, 2, "16:00", QDate(2026, 3, 9),
        QStringLiteral("2026-03-15T18:00:00Z"), "2026-03-16T09:00:00-07:00");
    // Step 5: daylight saving in America/Los_Angeles.
    const QString allWeek = QStringLiteral("MTWTFSS");
    row("day before spring forward", la, allWeek, true, 2, "16:00", QDate(2026, 3, 5), early,
        "2026-03-07T16:00:00-08:00");
    row("spring forward day keeps 16:00", la, allWeek, true, 2, "16:00", QDate(2026, 3, 6), early,
        "2026-03-08T16:00:00-07:00");
    row("autumn day keeps 16:00", la, allWeek, true, 2, "16:00", QDate(2026, 10, 30), early,
        "2026-11-01T16:00:00-08:00");
    row("day before autumn", la, allWeek, true, 2, "16:00", QDate(2026, 10, 29), early,
        "2026-10-31T16:00:00-07:00");
    row("nonexistent call time moves to 03:00", la, allWeek, true, 2, "02:30", QDate(2026, 3, 6), early,
        "2026-03-08T03:00:00-07:00", "00:00", "23:59");
    row("ambiguous call time takes first", la, allWeek, true, 2, "01:30", QDate(2026, 10, 30), early,
        "2026-11-01T01:30:00-07:00", "00:00", "23:59");
    row("window start inside the gap", la, allWeek, true, 2, "01:00", QDate(2026, 3, 6), early,
        "2026-03-08T03:00:00-07:00", "02:30", "20:00");
    row("late notes across spring forward", la, allWeek, true, 0, "16:00", QDate(2026, 3, 7),
        QStringLiteral("2026-03-08T04:50:00Z"), "2026-03-08T09:00:00-07:00");
    // Europe/London and Australia/Sydney.
    const QString london = QStringLiteral("Europe/London");
    const QString sydney = QStringLiteral("Australia/Sydney");
    row("London spring forward Sunday", london, allWeek, true, 2, "16:00", QDate(2026, 3, 27), early,
        "2026-03-29T16:00:00+01:00");
    row("London autumn Sunday", london, allWeek, true, 2, "16:00", QDate(2026, 10, 23), early,
        "2026-10-25T16:00:00+00:00");
    row("London gap call time", london, allWeek, true, 2, "01:30", QDate(2026, 3, 27), early,
        "2026-03-29T02:00:00+01:00", "00:00", "23:59");
    row("Sydney DST ends", sydney, allWeek, true, 2, "16:00", QDate(2026, 4, 3), early,
        "2026-04-05T16:00:00+10:00");
    row("Sydney DST starts", sydney, allWeek, true, 2, "16:00", QDate(2026, 10, 2), early,
        "2026-10-04T16:00:00+11:00");
    row("Sydney closed Sunday on DST day", sydney, ref, true, 2, "16:00", QDate(2026, 10, 2), early,
        "2026-10-05T16:00:00+11:00");

    // Opening hours: Monday to Friday 08:00-18:00 with lunch 12:00-13:00, Saturday 09:00-13:00.
    open("weekday inside hours", true, "16:00", QDate(2026, 3, 10), early, "2026-03-12T16:00:00-07:00");
    open("a Saturday with short hours: after closing goes to Monday", true, "16:00", QDate(2026, 3, 12),
         early, "2026-03-16T09:00:00-07:00");
    open("a Saturday with short hours: inside them stays", true, "11:00", QDate(2026, 3, 12), early,
         "2026-03-14T11:00:00-07:00");
    open("Saturday's last minute", true, "12:59", QDate(2026, 3, 12), early, "2026-03-14T12:59:00-07:00");
    open("Saturday's closing time is closed", true, "13:00", QDate(2026, 3, 12), early,
         "2026-03-16T09:00:00-07:00");
    open("lunch moves to its end", true, "12:30", QDate(2026, 3, 10), early, "2026-03-12T13:00:00-07:00");
    open("lunch starts at 12:00", true, "12:00", QDate(2026, 3, 10), early, "2026-03-12T13:00:00-07:00");
    open("a minute before lunch", true, "11:59", QDate(2026, 3, 10), early, "2026-03-12T11:59:00-07:00");
    open("closing time is closed", true, "18:00", QDate(2026, 3, 10), early, "2026-03-13T09:00:00-07:00");
    open("a minute before closing", true, "17:59", QDate(2026, 3, 10), early, "2026-03-12T17:59:00-07:00");
    open("window starts after opening", true, "08:30", QDate(2026, 3, 10), early,
         "2026-03-12T09:00:00-07:00");
    open("a Friday visit goes to Monday", true, "16:00", QDate(2026, 3, 13), early,
         "2026-03-16T16:00:00-07:00");
    open("Sunday not skipped: no hours, so Monday's first slot", false, "16:00", QDate(2026, 3, 13), early,
         "2026-03-16T09:00:00-07:00");
    open("late notes at lunch: after lunch", true, "16:00", QDate(2026, 3, 9),
         QStringLiteral("2026-03-12T19:05:00Z"), "2026-03-12T13:00:00-07:00");
    open("late notes after closing: next morning", true, "16:00", QDate(2026, 3, 9),
         QStringLiteral("2026-03-12T00:50:00Z"), "2026-03-12T09:00:00-07:00");
    open("late notes Saturday afternoon: Monday", true, "16:00", QDate(2026, 3, 10),
         QStringLiteral("2026-03-14T20:00:00Z"), "2026-03-16T09:00:00-07:00");
    // A daylight-saving weekend with opening hours: the spring-forward Sunday is closed, Saturday short.
    open("DST weekend: Thursday visit, short Saturday, Monday", true, "16:00", QDate(2026, 3, 5), early,
         "2026-03-09T09:00:00-07:00");
    open("DST weekend: Friday visit, Monday at call time", true, "16:00", QDate(2026, 3, 6), early,
         "2026-03-09T16:00:00-07:00");
    open("DST weekend: late notes Saturday night, Monday", true, "16:00", QDate(2026, 3, 4),
         QStringLiteral("2026-03-08T06:00:00Z"), "2026-03-09T09:00:00-07:00");
    open("London autumn weekend inside hours", true, "11:00", QDate(2026, 10, 22), early,
         "2026-10-24T11:00:00+01:00", QStringLiteral("Europe/London"));
}

void TstCallTime::proposedCallTime()
{
    QFETCH(QString, zone);
    QFETCH(QString, openDays);
    QFETCH(bool, skipClosedDays);
    QFETCH(int, delayDays);
    QFETCH(QString, callTime);
    QFETCH(QString, windowStart);
    QFETCH(QString, windowEnd);
    QFETCH(QDate, visitDate);
    QFETCH(QString, now);
    QFETCH(QString, expectedLocal);
    QFETCH(bool, insideHours);

    ClinicPolicy policy;
    policy.zone = QTimeZone(zone.toUtf8());
    policy.country = *odis::sync::PhoneCountry::fromIsoCode(u"US");
    policy.businessHours = insideHours ? clinicHours() : odis::test::hoursFromPattern(openDays);
    policy.discharge.callsOutsideHours = !insideHours;
    policy.discharge.skipClosedDays = skipClosedDays;
    policy.discharge.callDelayDays = delayDays;
    policy.discharge.callTime = hhmm(callTime);
    policy.discharge.callWindow = {hhmm(windowStart), hhmm(windowEnd)};
    QVERIFY(validateClinicPolicy(policy).has_value());
    const CallCalendar calendar(policy);

    const QDateTime nowUtc = parseUtcInstant(now);
    const QDateTime proposed = calendar.proposedCallTime(visitDate, nowUtc);
    QVERIFY(proposed.isValid());
    QCOMPARE(formatClinicLocal(proposed, policy.zone), expectedLocal);
    QCOMPARE(proposed.time().second(), 0);
    QVERIFY(calendar.isCallSlot(proposed));
    QVERIFY(proposed >= nowUtc.addSecs(15 * 60));
    QCOMPARE(calendar.firstSlotAtOrAfter(proposed), proposed); // a slot is its own first slot
    // Steps 1-3 alone are never later than with step 4.
    QVERIFY(calendar.scheduledCallTime(visitDate) <= proposed);
}

void TstCallTime::callMinutes_data()
{
    QTest::addColumn<bool>("outsideHours");
    QTest::addColumn<bool>("skipClosedDays");
    QTest::addColumn<int>("dayOfWeek");
    QTest::addColumn<QString>("slots"); // "HH:mm-HH:mm,..." both ends included

    QTest::newRow("weekday with lunch") << false << true << 2 << "09:00-11:59,13:00-17:59";
    QTest::newRow("short Saturday") << false << true << 6 << "09:00-12:59";
    QTest::newRow("closed Sunday") << false << true << 7 << "";
    QTest::newRow("closed Sunday, not skipped, inside hours") << false << false << 7 << "";
    QTest::newRow("outside hours: the window") << true << true << 2 << "09:00-20:00";
    QTest::newRow("outside hours, closed day skipped") << true << true << 7 << "";
    QTest::newRow("outside hours, closed day not skipped") << true << false << 7 << "09:00-20:00";
}

void TstCallTime::callMinutes()
{
    QFETCH(bool, outsideHours);
    QFETCH(bool, skipClosedDays);
    QFETCH(int, dayOfWeek);
    QFETCH(QString, slots);
    ClinicPolicy policy = odis::test::referencePolicy();
    policy.businessHours = clinicHours();
    policy.discharge.callsOutsideHours = outsideHours;
    policy.discharge.skipClosedDays = skipClosedDays;
    QStringList actual;
    for (const MinuteRange& range : odis::sync::callMinutes(policy, dayOfWeek))
        actual.append(QTime(range.first / 60, range.first % 60).toString(QStringLiteral("HH:mm")) +
                      QLatin1Char('-') +
                      QTime(range.last / 60, range.last % 60).toString(QStringLiteral("HH:mm")));
    QCOMPARE(actual.join(QLatin1Char(',')), slots);
}

void TstCallTime::noSlotIsRefused()
{
    // Open only before the call window starts: no call could ever be placed.
    ClinicPolicy policy = odis::test::referencePolicy();
    for (auto& day : policy.businessHours.days) {
        if (day)
            day = OpeningHours{QTime(6, 0), QTime(9, 0), {}, {}};
    }
    const odis::Status refused = validateClinicPolicy(policy);
    QVERIFY(!refused.has_value());
    QCOMPARE(refused.error().code, QString(kClinicPolicyOutOfRange));
    policy.discharge.callsOutsideHours = true; // the window alone has slots
    QVERIFY(validateClinicPolicy(policy).has_value());
    policy.discharge.callsOutsideHours = false;
    policy.businessHours.days[0] = OpeningHours{QTime(6, 0), QTime(9, 1), {}, {}}; // one minute: 09:00
    QVERIFY(validateClinicPolicy(policy).has_value());
}

void TstCallTime::stagger_data()
{
    // Requests "id|proposed|visit end[|latest]", held and expected calls as LA wall times
    // "yyyy-MM-dd HH:mm".
    QTest::addColumn<QStringList>("requests");
    QTest::addColumn<QStringList>("held");
    QTest::addColumn<int>("staggerMinutes");
    QTest::addColumn<QStringList>("expected"); // "id|time[|late]" in placement order
    QTest::addColumn<bool>("insideHours");     // clinicHours(); otherwise the window alone

    const QString p = QStringLiteral("2026-03-12 16:00");
    QTest::newRow("one call keeps its time") << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList()
                                             << 2 << QStringList{"1|2026-03-12 16:00"} << false;
    QTest::newRow("five at one time: by visit end, then id")
        << QStringList{"15|" + p + "|2026-03-10 11:00", "9|" + p + "|2026-03-10 11:00",
                       "30|" + p + "|2026-03-10 09:30", "4|" + p + "|2026-03-10 12:00",
                       "100|" + p + "|2026-03-10 10:00"}
        << QStringList() << 2
        << QStringList{"30|2026-03-12 16:00", "100|2026-03-12 16:02", "9|2026-03-12 16:04",
                       "15|2026-03-12 16:06", "4|2026-03-12 16:08"}
        << false;
    QTest::newRow("earlier proposal goes first whatever its end")
        << QStringList{"1|2026-03-12 16:01|2026-03-10 08:00", "2|" + p + "|2026-03-10 12:00"} << QStringList()
        << 2 << QStringList{"2|2026-03-12 16:00", "1|2026-03-12 16:02"} << false;
    QTest::newRow("after plans of an earlier run")
        << QStringList{"1|" + p + "|2026-03-10 10:00", "2|" + p + "|2026-03-10 11:00"}
        << QStringList{"2026-03-12 16:00", "2026-03-12 16:02"} << 2
        << QStringList{"1|2026-03-12 16:04", "2|2026-03-12 16:06"} << false;
    QTest::newRow("held a minute later pushes past it")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 16:01"} << 2
        << QStringList{"1|2026-03-12 16:03"} << false;
    QTest::newRow("held a minute earlier")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 15:59"} << 2
        << QStringList{"1|2026-03-12 16:01"} << false;
    QTest::newRow("held exactly stagger apart does not move it")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 15:58", "2026-03-12 16:02"}
        << 2 << QStringList{"1|2026-03-12 16:00"} << false;
    QTest::newRow("gap between held calls is used")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 16:00", "2026-03-12 16:05"}
        << 2 << QStringList{"1|2026-03-12 16:02"} << false;
    QTest::newRow("gap too small is skipped")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 16:00", "2026-03-12 16:03"}
        << 2 << QStringList{"1|2026-03-12 16:05"} << false;
    QTest::newRow("stagger 5") << QStringList{"1|" + p + "|2026-03-10 10:00", "2|" + p + "|2026-03-10 10:00"}
                               << QStringList{"2026-03-12 15:57"} << 5
                               << QStringList{"1|2026-03-12 16:02", "2|2026-03-12 16:07"} << false;
    QTest::newRow("pushed past window end: next open day start")
        << QStringList{"1|2026-03-12 19:58|2026-03-10 10:00", "2|2026-03-12 19:58|2026-03-10 10:01",
                       "3|2026-03-12 19:58|2026-03-10 10:02"}
        << QStringList() << 2 << QStringList{"1|2026-03-12 19:58", "2|2026-03-12 20:00", "3|2026-03-13 09:00"}
        << false;
    QTest::newRow("past Saturday's end: Monday, after its held calls")
        << QStringList{"1|2026-03-14 20:00|2026-03-10 10:00", "2|2026-03-14 20:00|2026-03-10 10:01"}
        << QStringList{"2026-03-16 09:00"} << 2 << QStringList{"1|2026-03-14 20:00", "2|2026-03-16 09:02"}
        << false;
    // Inside opening hours (lunch 12:00-13:00, closing 18:00, Saturday 09:00-13:00).
    QTest::newRow("pushed into lunch: after lunch")
        << QStringList{"1|2026-03-12 11:58|2026-03-10 10:00", "2|2026-03-12 11:58|2026-03-10 10:01"}
        << QStringList() << 2 << QStringList{"1|2026-03-12 11:58", "2|2026-03-12 13:00"} << true;
    QTest::newRow("pushed past closing: next morning")
        << QStringList{"1|2026-03-12 17:58|2026-03-10 10:00", "2|2026-03-12 17:58|2026-03-10 10:01"}
        << QStringList() << 2 << QStringList{"1|2026-03-12 17:58", "2|2026-03-13 09:00"} << true;
    QTest::newRow("pushed past Saturday's short hours: Monday")
        << QStringList{"1|2026-03-14 12:58|2026-03-12 10:00", "2|2026-03-14 12:58|2026-03-12 10:01"}
        << QStringList() << 2 << QStringList{"1|2026-03-14 12:58", "2|2026-03-16 09:00"} << true;
    // Too late for the visit (its latest call time): not a call, and it holds nothing.
    QTest::newRow("pushed past the visit's age limit")
        << QStringList{"1|2026-03-12 17:58|2026-03-10 10:00",
                       "2|2026-03-12 17:58|2026-03-10 10:01|2026-03-13 08:00",
                       "3|2026-03-12 17:58|2026-03-10 10:02"}
        << QStringList() << 2
        << QStringList{"1|2026-03-12 17:58", "2|2026-03-13 09:00|late", "3|2026-03-13 09:00"} << true;
    QTest::newRow("exactly at the limit is in time")
        << QStringList{"1|2026-03-12 16:00|2026-03-10 10:00|2026-03-12 16:00"} << QStringList() << 2
        << QStringList{"1|2026-03-12 16:00"} << true;
}

void TstCallTime::stagger()
{
    QFETCH(QStringList, requests);
    QFETCH(QStringList, held);
    QFETCH(int, staggerMinutes);
    QFETCH(QStringList, expected);
    QFETCH(bool, insideHours);

    ClinicPolicy policy = odis::test::referencePolicy();
    policy.discharge.callsOutsideHours = !insideHours;
    if (insideHours)
        policy.businessHours = clinicHours();
    const CallCalendar calendar(policy);
    QList<StaggerRequest> input;
    for (const QString& request : std::as_const(requests)) {
        const QStringList parts = request.split(QLatin1Char('|'));
        input.append({parts[0], local(parts[1], policy.zone), local(parts[2], policy.zone),
                      parts.size() > 3 ? local(parts[3], policy.zone) : QDateTime()});
    }
    QList<QDateTime> heldTimes;
    for (const QString& time : std::as_const(held))
        heldTimes.append(local(time, policy.zone));

    const auto placed = staggerCalls(input, heldTimes, staggerMinutes, calendar);
    QVERIFY2(placed.has_value(), qPrintable(placed ? QString() : placed.error().toString()));
    QStringList actual;
    for (const StaggeredCall& call : *placed)
        actual.append(call.appointmentId + QLatin1Char('|') + wall(call.scheduledFor, policy.zone) +
                      (call.tooLate ? QStringLiteral("|late") : QString()));
    QCOMPARE(actual, expected);
}

void TstCallTime::staggerIgnoresInputOrder()
{
    ClinicPolicy policy = odis::test::referencePolicy();
    policy.businessHours = clinicHours();
    const CallCalendar calendar(policy);
    QList<StaggerRequest> input;
    for (int id = 1; id <= 40; ++id) {
        const QString proposed =
            id % 3 == 0 ? QStringLiteral("2026-03-12 16:00") : QStringLiteral("2026-03-12 16:01");
        input.append({QString::number(id), local(proposed, policy.zone),
                      local(QStringLiteral("2026-03-10 %1:00").arg(10 + id % 4), policy.zone),
                      id % 5 == 0 ? local(QStringLiteral("2026-03-12 16:30"), policy.zone) : QDateTime()});
    }
    const auto forward = staggerCalls(input, {}, 2, calendar);
    std::ranges::reverse(input);
    const auto backward = staggerCalls(input, {}, 2, calendar);
    QVERIFY(forward && backward);
    QCOMPARE(*forward, *backward);
}

QTEST_GUILESS_MAIN(TstCallTime)
#include "tst_call_time.moc"
