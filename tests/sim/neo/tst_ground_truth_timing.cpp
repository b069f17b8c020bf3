// When the ground truth's planned calls happen: delay and call time, closed days, window clamps, opening
// hours (lunch, closing time, a short Saturday), the age limit at the call (a Friday visit with a three-day
// limit), spring-forward and autumn days in America/Los_Angeles, late notes (now + 15 min), and the
// stagger.

#include "tests/sim/neo/gt_test_clinic.h"

#include <QTest>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

namespace {

QString plannedLocal(const QJsonObject& truth, qint64 id)
{
    const QJsonObject call = callOf(truth, id);
    if (call.value("decision").toString() != QLatin1String("planned"))
        return call.value("reason").toString(); // shows up in the failure message
    return call.value("scheduled_for_local").toString();
}

// A visit of its own owner (a number of its own), so that its call is never grouped with another.
VisitSpec visitOn(qint64 id, QDate date, QTime end = QTime(10, 30))
{
    VisitSpec v;
    v.id = id;
    v.date = date;
    v.start = end.addSecs(-30 * 60);
    v.end = end;
    const QString line = QStringLiteral("%1").arg(id % 10000, 4, 10, QLatin1Char('0'));
    v.mobile = SimPhone::valid(QStringLiteral("415-201-") + line, QStringLiteral("+1415201") + line,
                               SimPhoneKind::MobileOrFixed);
    return v;
}

} // namespace

class TestGroundTruthTiming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callTime_data();
    void callTime();
    void staggerOrdersByEndThenId();
    void staggerSpacing_data();
    void staggerSpacing();
    void plannedCallsHoldAcrossRuns();
    void lateCallStaggersAroundHeldCall();
};

void TestGroundTruthTiming::callTime_data()
{
    QTest::addColumn<QDate>("visitDate");
    QTest::addColumn<QDateTime>("sync");
    QTest::addColumn<QJsonObject>("policy");
    QTest::addColumn<QString>("local"); // or the reason when no call is planned

    // Most rows test the window on its own (calls_outside_hours); the "hours:" rows the clinic's opening
    // hours: Monday to Friday 08:00-18:00 with lunch 12:00-13:00, Saturday 09:00-13:00.
    const QJsonObject noSkip{{"skip_closed_days", false}};
    const QJsonObject allDay{{"call_window", QJsonObject{{"start", "00:00"}, {"end", "23:59"}}},
                             {"skip_closed_days", false}};
    const auto with = [](QJsonObject base, const char* key, const QJsonValue& value) {
        base.insert(QLatin1String(key), value);
        return base;
    };
    const auto evening = [](QDate d) { return at(d, QTime(20, 0)); };
    const QDate mon(2026, 3, 9), thu(2026, 3, 12), fri(2026, 3, 13);

    QTest::newRow("two days later at 16:00")
        << mon << evening(mon) << QJsonObject{} << "2026-03-11T16:00:00-07:00";
    QTest::newRow("short Saturday is open")
        << thu << evening(thu) << QJsonObject{} << "2026-03-14T16:00:00-07:00";
    QTest::newRow("closed Sunday moves to Monday")
        << fri << evening(fri) << QJsonObject{} << "2026-03-16T16:00:00-07:00";
    QTest::newRow("Sunday kept when not skipping")
        << fri << evening(fri) << noSkip << "2026-03-15T16:00:00-07:00";
    QTest::newRow("delay of zero days")
        << mon << at(mon, QTime(11, 0)) << QJsonObject{{"call_delay_days", 0}} << "2026-03-09T16:00:00-07:00";
    QTest::newRow("spring forward: PST visit, PDT call")
        << QDate(2026, 3, 6) << evening(QDate(2026, 3, 6)) << noSkip << "2026-03-08T16:00:00-07:00";
    QTest::newRow("spring forward Sunday skipped")
        << QDate(2026, 3, 6) << evening(QDate(2026, 3, 6)) << QJsonObject{} << "2026-03-09T16:00:00-07:00";
    QTest::newRow("call time in the gap moves after it")
        << QDate(2026, 3, 6) << evening(QDate(2026, 3, 6)) << with(allDay, "call_time", "02:30")
        << "2026-03-08T03:00:00-07:00";
    QTest::newRow("ambiguous autumn time takes the first")
        << QDate(2026, 10, 30) << evening(QDate(2026, 10, 30)) << with(allDay, "call_time", "01:30")
        << "2026-11-01T01:30:00-07:00";
    QTest::newRow("autumn Sunday afternoon is PST")
        << QDate(2026, 10, 30) << evening(QDate(2026, 10, 30)) << noSkip << "2026-11-01T16:00:00-08:00";
    QTest::newRow("before the window moves to its start")
        << mon << evening(mon) << QJsonObject{{"call_time", "08:00"}} << "2026-03-11T09:00:00-07:00";
    QTest::newRow("window end is inside")
        << mon << evening(mon) << QJsonObject{{"call_time", "20:00"}} << "2026-03-11T20:00:00-07:00";
    QTest::newRow("after the window moves to the next day")
        << mon << evening(mon) << QJsonObject{{"call_time", "21:00"}} << "2026-03-12T09:00:00-07:00";
    QTest::newRow("after the window, next day closed")
        << thu << evening(thu) << QJsonObject{{"call_time", "21:00"}} << "2026-03-16T09:00:00-07:00";
    QTest::newRow("late notes: now + 15 min, next whole minute")
        << mon << QDateTime(QDate(2026, 3, 12), QTime(0, 3, 20), Qt::UTC) << QJsonObject{}
        << "2026-03-11T17:19:00-07:00";
    QTest::newRow("late notes on a whole minute")
        << mon << at(QDate(2026, 3, 11), QTime(17, 4)) << QJsonObject{} << "2026-03-11T17:19:00-07:00";
    QTest::newRow("late notes reach the window end")
        << mon << at(QDate(2026, 3, 11), QTime(19, 45)) << QJsonObject{} << "2026-03-11T20:00:00-07:00";
    QTest::newRow("late notes after the window")
        << mon << at(QDate(2026, 3, 11), QTime(19, 50)) << QJsonObject{} << "2026-03-12T09:00:00-07:00";
    QTest::newRow("late notes before the window")
        << mon << at(QDate(2026, 3, 11), QTime(5, 0)) << QJsonObject{{"call_delay_days", 1}}
        << "2026-03-11T09:00:00-07:00";
    QTest::newRow("late notes on Saturday evening wait for Monday")
        << thu << at(QDate(2026, 3, 14), QTime(19, 50)) << QJsonObject{} << "2026-03-16T09:00:00-07:00";
    QTest::newRow("late notes on a closed Sunday morning")
        << fri << at(QDate(2026, 3, 15), QTime(5, 0)) << QJsonObject{{"call_delay_days", 1}}
        << "2026-03-16T09:00:00-07:00";
    QTest::newRow("late notes in the spring-forward night")
        << QDate(2026, 3, 5) << QDateTime(QDate(2026, 3, 8), QTime(9, 50), Qt::UTC) << noSkip
        << "2026-03-08T09:00:00-07:00";

    const QJsonObject hours{{"calls_outside_hours", false}};
    QTest::newRow("hours: weekday at 16:00") << mon << evening(mon) << hours << "2026-03-11T16:00:00-07:00";
    QTest::newRow("hours: the short Saturday has closed, Monday is too late")
        << thu << evening(thu) << hours << "excluded:too_old";
    QTest::newRow("hours: the short Saturday with a four-day limit")
        << thu << evening(thu) << with(hours, "max_visit_age_days", 4) << "2026-03-16T09:00:00-07:00";
    QTest::newRow("hours: inside the short Saturday")
        << thu << evening(thu) << with(hours, "call_time", "11:00") << "2026-03-14T11:00:00-07:00";
    QTest::newRow("hours: lunch moves to its end")
        << mon << evening(mon) << with(hours, "call_time", "12:30") << "2026-03-11T13:00:00-07:00";
    QTest::newRow("hours: closing time is closed")
        << mon << evening(mon) << with(hours, "call_time", "18:00") << "2026-03-12T09:00:00-07:00";
    QTest::newRow("hours: a minute before closing")
        << mon << evening(mon) << with(hours, "call_time", "17:59") << "2026-03-11T17:59:00-07:00";
    QTest::newRow("hours: a Friday visit with a three-day limit is too old on Monday")
        << fri << evening(fri) << hours << "excluded:too_old";
    QTest::newRow("hours: a Friday visit with a four-day limit")
        << fri << evening(fri) << with(hours, "max_visit_age_days", 4) << "2026-03-16T16:00:00-07:00";
    QTest::newRow("hours: closed Sunday not skipped, Monday's first slot")
        << fri << evening(fri)
        << QJsonObject{{"calls_outside_hours", false}, {"skip_closed_days", false}, {"max_visit_age_days", 4}}
        << "2026-03-16T09:00:00-07:00";
    QTest::newRow("hours: late notes after closing, next morning")
        << mon << at(QDate(2026, 3, 11), QTime(17, 50)) << hours << "2026-03-12T09:00:00-07:00";
    QTest::newRow("hours: late notes at lunch, after lunch")
        << QDate(2026, 3, 10) << at(QDate(2026, 3, 12), QTime(11, 50)) << with(hours, "call_delay_days", 1)
        << "2026-03-12T13:00:00-07:00";
    QTest::newRow("hours: the daylight-saving weekend, Friday visit, four-day limit")
        << QDate(2026, 3, 6) << evening(QDate(2026, 3, 6)) << with(hours, "max_visit_age_days", 4)
        << "2026-03-09T16:00:00-07:00";
    QTest::newRow("hours: the daylight-saving weekend, three-day limit")
        << QDate(2026, 3, 6) << evening(QDate(2026, 3, 6)) << hours << "excluded:too_old";
}

void TestGroundTruthTiming::callTime()
{
    QFETCH(QDate, visitDate);
    QFETCH(QDateTime, sync);
    QFETCH(QJsonObject, policy);
    QFETCH(QString, local);
    const VisitSpec visit = visitOn(500001, visitDate);
    // The window rows test where a call lands, not the visit's age: they get a week's age limit.
    QJsonObject withHours = policy;
    if (!withHours.contains(QLatin1String("calls_outside_hours"))) {
        withHours.insert(QStringLiteral("calls_outside_hours"), true);
        withHours.insert(QStringLiteral("max_visit_age_days"), 7);
    }
    const QJsonObject truth = truthOf(clinicOf({visit}), {sync}, profileWith(withHours));
    QCOMPARE(plannedLocal(truth, visit.id), local);
    if (local.startsWith(QLatin1String("excluded:")))
        return;
    const QDateTime instant = QDateTime::fromString(local, Qt::ISODate);
    QCOMPARE(callOf(truth, visit.id).value("scheduled_for").toString(), isoUtc(instant));
}

void TestGroundTruthTiming::staggerOrdersByEndThenId()
{
    const QDate mon(2026, 3, 9);
    const QList<VisitSpec> visits = {visitOn(500005, mon, QTime(11, 0)), visitOn(500004, mon, QTime(10, 30)),
                                     visitOn(500003, mon, QTime(10, 30)), visitOn(500002, mon, QTime(16, 0)),
                                     visitOn(500001, mon, QTime(9, 0))};
    const QJsonObject truth = truthOf(clinicOf(visits), {at(mon, QTime(20, 0))});
    QCOMPARE(plannedLocal(truth, 500001), QStringLiteral("2026-03-11T16:00:00-07:00"));
    QCOMPARE(plannedLocal(truth, 500003), QStringLiteral("2026-03-11T16:02:00-07:00"));
    QCOMPARE(plannedLocal(truth, 500004), QStringLiteral("2026-03-11T16:04:00-07:00"));
    QCOMPARE(plannedLocal(truth, 500005), QStringLiteral("2026-03-11T16:06:00-07:00"));
    QCOMPARE(plannedLocal(truth, 500002), QStringLiteral("2026-03-11T16:08:00-07:00"));
}

void TestGroundTruthTiming::staggerSpacing_data()
{
    QTest::addColumn<QDate>("visitDate");
    QTest::addColumn<QJsonObject>("policy");
    QTest::addColumn<QStringList>("locals");
    QTest::newRow("five minutes apart")
        << QDate(2026, 3, 9) << QJsonObject{{"stagger_minutes", 5}, {"calls_outside_hours", true}}
        << QStringList{"2026-03-11T16:00:00-07:00", "2026-03-11T16:05:00-07:00", "2026-03-11T16:10:00-07:00"};
    const QJsonObject shortWindow{{"call_window", QJsonObject{{"start", "09:00"}, {"end", "16:03"}}},
                                  {"calls_outside_hours", true},
                                  {"max_visit_age_days", 5}};
    QTest::newRow("pushed past the window end")
        << QDate(2026, 3, 9) << shortWindow
        << QStringList{"2026-03-11T16:00:00-07:00", "2026-03-11T16:02:00-07:00", "2026-03-12T09:00:00-07:00"};
    QTest::newRow("pushed past the window end before a closed day")
        << QDate(2026, 3, 12) << shortWindow
        << QStringList{"2026-03-14T16:00:00-07:00", "2026-03-14T16:02:00-07:00", "2026-03-16T09:00:00-07:00"};
    QTest::newRow("pushed past closing time, inside opening hours")
        << QDate(2026, 3, 9) << QJsonObject{{"call_time", "17:58"}, {"calls_outside_hours", false}}
        << QStringList{"2026-03-11T17:58:00-07:00", "2026-03-12T09:00:00-07:00", "2026-03-12T09:02:00-07:00"};
    QTest::newRow("pushed into lunch, inside opening hours")
        << QDate(2026, 3, 9) << QJsonObject{{"call_time", "11:58"}, {"calls_outside_hours", false}}
        << QStringList{"2026-03-11T11:58:00-07:00", "2026-03-11T13:00:00-07:00", "2026-03-11T13:02:00-07:00"};
}

void TestGroundTruthTiming::staggerSpacing()
{
    QFETCH(QDate, visitDate);
    QFETCH(QJsonObject, policy);
    QFETCH(QStringList, locals);
    const QList<VisitSpec> visits = {visitOn(500001, visitDate, QTime(9, 0)),
                                     visitOn(500002, visitDate, QTime(10, 0)),
                                     visitOn(500003, visitDate, QTime(11, 0))};
    const QJsonObject truth = truthOf(clinicOf(visits), {at(visitDate, QTime(20, 0))}, profileWith(policy));
    QCOMPARE(
        (QStringList{plannedLocal(truth, 500001), plannedLocal(truth, 500002), plannedLocal(truth, 500003)}),
        locals);
}

// A call planned in an earlier run keeps its time; a visit that ended earlier but is planned later
// takes the next free time instead.
void TestGroundTruthTiming::plannedCallsHoldAcrossRuns()
{
    const QDate mon(2026, 3, 9);
    VisitSpec first = visitOn(500002, mon, QTime(10, 30));
    VisitSpec second = visitOn(500001, mon, QTime(9, 0));
    second.status = QStringLiteral("In Progress");
    ClinicModel model = clinicOf({first, second});
    SimChange finished;
    finished.atUtc = at(mon, QTime(13, 0));
    finished.status = QStringLiteral("Finalized");
    QVERIFY(model.addChange(second.id, finished));
    const QList<QDateTime> syncs = {at(mon, QTime(12, 0)), at(mon, QTime(16, 0)), at(mon, QTime(20, 0))};
    const QJsonObject truth = truthOf(model, syncs);
    QCOMPARE(plannedLocal(truth, first.id), QStringLiteral("2026-03-11T16:00:00-07:00"));
    QCOMPARE(plannedLocal(truth, second.id), QStringLiteral("2026-03-11T16:02:00-07:00"));
    // Without the first run, the earlier visit would have come first.
    QCOMPARE(plannedLocal(truthOf(model, {syncs.last()}), second.id),
             QStringLiteral("2026-03-11T16:00:00-07:00"));
}

void TestGroundTruthTiming::lateCallStaggersAroundHeldCall()
{
    const QDate mon(2026, 3, 9);
    const VisitSpec held = visitOn(500001, mon);
    VisitSpec late = visitOn(500002, mon);
    late.notes.clear();
    ClinicModel model = clinicOf({held, late});
    SimChange notes;
    notes.atUtc = at(QDate(2026, 3, 11), QTime(15, 40));
    notes.notesHtml = QStringLiteral("Written two days later.");
    QVERIFY(model.addChange(late.id, notes));
    // Notes written 53 hours after the visit are read only with a lookback longer than that.
    const QJsonObject truth = truthOf(
        model,
        {at(mon, QTime(20, 0)), QDateTime(QDate(2026, 3, 11), QTime(22, 44, 30), Qt::UTC)}, // 15:44:30 PDT
        profileWith({}, QJsonObject{{"lookback_hours", 72}}));
    QCOMPARE(plannedLocal(truth, held.id), QStringLiteral("2026-03-11T16:00:00-07:00"));
    // now + 15 min = 15:59:30 -> 16:00, which the held call owns: two minutes later.
    QCOMPARE(plannedLocal(truth, late.id), QStringLiteral("2026-03-11T16:02:00-07:00"));
}

QTEST_GUILESS_MAIN(TestGroundTruthTiming)
#include "tst_ground_truth_timing.moc"
