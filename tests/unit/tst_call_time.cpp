// When a planned call happens (docs/discharge-rules.md, "When" and "Stagger"): local times across
// daylight-saving changes, closed days, window clamps, late notes and staggering.

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

    const QString la = QStringLiteral("America/Los_Angeles");
    const QString ref = QStringLiteral("MTWTFS-");
    const QString early = QStringLiteral("2026-01-01T00:00:00Z"); // long before any call
    const auto row = [&](const char* name, const QString& zone, const QString& days, bool skip, int delay,
                         const char* callTime, QDate visit, const QString& now, const char* expected,
                         const char* start = "09:00", const char* end = "20:00") {
        QTest::newRow(name) << zone << days << skip << delay << QString::fromLatin1(callTime)
                            << QString::fromLatin1(start) << QString::fromLatin1(end) << visit << now
                            << QString::fromLatin1(expected);
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

    ClinicPolicy policy;
    policy.zone = QTimeZone(zone.toUtf8());
    policy.country = *odis::sync::PhoneCountry::fromIsoCode(u"US");
    policy.businessHours = odis::test::hoursFromPattern(openDays);
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
    QVERIFY(calendar.isInsideWindow(proposed));
    QVERIFY(proposed >= nowUtc.addSecs(15 * 60));
    QCOMPARE(calendar.firstSlotAtOrAfter(proposed), proposed); // a slot is its own first slot
}

void TstCallTime::stagger_data()
{
    // Requests "id|proposed|visit end", held and expected calls as LA wall times "yyyy-MM-dd HH:mm".
    QTest::addColumn<QStringList>("requests");
    QTest::addColumn<QStringList>("held");
    QTest::addColumn<int>("staggerMinutes");
    QTest::addColumn<QStringList>("expected"); // "id|time" in placement order

    const QString p = QStringLiteral("2026-03-12 16:00");
    QTest::newRow("one call keeps its time") << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList()
                                             << 2 << QStringList{"1|2026-03-12 16:00"};
    QTest::newRow("five at one time: by visit end, then id")
        << QStringList{"15|" + p + "|2026-03-10 11:00", "9|" + p + "|2026-03-10 11:00",
                       "30|" + p + "|2026-03-10 09:30", "4|" + p + "|2026-03-10 12:00",
                       "100|" + p + "|2026-03-10 10:00"}
        << QStringList() << 2
        << QStringList{"30|2026-03-12 16:00", "100|2026-03-12 16:02", "9|2026-03-12 16:04",
                       "15|2026-03-12 16:06", "4|2026-03-12 16:08"};
    QTest::newRow("earlier proposal goes first whatever its end")
        << QStringList{"1|2026-03-12 16:01|2026-03-10 08:00", "2|" + p + "|2026-03-10 12:00"} << QStringList()
        << 2 << QStringList{"2|2026-03-12 16:00", "1|2026-03-12 16:02"};
    QTest::newRow("after plans of an earlier run")
        << QStringList{"1|" + p + "|2026-03-10 10:00", "2|" + p + "|2026-03-10 11:00"}
        << QStringList{"2026-03-12 16:00", "2026-03-12 16:02"} << 2
        << QStringList{"1|2026-03-12 16:04", "2|2026-03-12 16:06"};
    QTest::newRow("held a minute later pushes past it")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 16:01"} << 2
        << QStringList{"1|2026-03-12 16:03"};
    QTest::newRow("held a minute earlier")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 15:59"} << 2
        << QStringList{"1|2026-03-12 16:01"};
    QTest::newRow("held exactly stagger apart does not move it")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 15:58", "2026-03-12 16:02"}
        << 2 << QStringList{"1|2026-03-12 16:00"};
    QTest::newRow("gap between held calls is used")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 16:00", "2026-03-12 16:05"}
        << 2 << QStringList{"1|2026-03-12 16:02"};
    QTest::newRow("gap too small is skipped")
        << QStringList{"1|" + p + "|2026-03-10 10:00"} << QStringList{"2026-03-12 16:00", "2026-03-12 16:03"}
        << 2 << QStringList{"1|2026-03-12 16:05"};
    QTest::newRow("stagger 5") << QStringList{"1|" + p + "|2026-03-10 10:00", "2|" + p + "|2026-03-10 10:00"}
                               << QStringList{"2026-03-12 15:57"} << 5
                               << QStringList{"1|2026-03-12 16:02", "2|2026-03-12 16:07"};
    QTest::newRow("pushed past window end: next open day start")
        << QStringList{"1|2026-03-12 19:58|2026-03-10 10:00", "2|2026-03-12 19:58|2026-03-10 10:01",
                       "3|2026-03-12 19:58|2026-03-10 10:02"}
        << QStringList() << 2
        << QStringList{"1|2026-03-12 19:58", "2|2026-03-12 20:00", "3|2026-03-13 09:00"};
    QTest::newRow("past Saturday's end: Monday, after its held calls")
        << QStringList{"1|2026-03-14 20:00|2026-03-10 10:00", "2|2026-03-14 20:00|2026-03-10 10:01"}
        << QStringList{"2026-03-16 09:00"} << 2 << QStringList{"1|2026-03-14 20:00", "2|2026-03-16 09:02"};
}

void TstCallTime::stagger()
{
    QFETCH(QStringList, requests);
    QFETCH(QStringList, held);
    QFETCH(int, staggerMinutes);
    QFETCH(QStringList, expected);

    const ClinicPolicy policy = odis::test::referencePolicy();
    const CallCalendar calendar(policy);
    QList<StaggerRequest> input;
    for (const QString& request : std::as_const(requests)) {
        const QStringList parts = request.split(QLatin1Char('|'));
        input.append({parts[0], local(parts[1], policy.zone), local(parts[2], policy.zone)});
    }
    QList<QDateTime> heldTimes;
    for (const QString& time : std::as_const(held))
        heldTimes.append(local(time, policy.zone));

    const auto placed = staggerCalls(input, heldTimes, staggerMinutes, calendar);
    QVERIFY2(placed.has_value(), qPrintable(placed ? QString() : placed.error().toString()));
    QStringList actual;
    for (const StaggeredCall& call : *placed)
        actual.append(call.appointmentId + QLatin1Char('|') + wall(call.scheduledFor, policy.zone));
    QCOMPARE(actual, expected);
}

void TstCallTime::staggerIgnoresInputOrder()
{
    const ClinicPolicy policy = odis::test::referencePolicy();
    const CallCalendar calendar(policy);
    QList<StaggerRequest> input;
    for (int id = 1; id <= 40; ++id) {
        const QString proposed =
            id % 3 == 0 ? QStringLiteral("2026-03-12 16:00") : QStringLiteral("2026-03-12 16:01");
        input.append({QString::number(id), local(proposed, policy.zone),
                      local(QStringLiteral("2026-03-10 %1:00").arg(10 + id % 4), policy.zone)});
    }
    const auto forward = staggerCalls(input, {}, 2, calendar);
    std::ranges::reverse(input);
    const auto backward = staggerCalls(input, {}, 2, calendar);
    QVERIFY(forward && backward);
    QCOMPARE(*forward, *backward);
}

QTEST_GUILESS_MAIN(TstCallTime)
#include "tst_call_time.moc"
