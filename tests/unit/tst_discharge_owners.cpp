// One call per owner per day (docs/discharge-rules.md): the planned calls to one number on one day
// become one call at the earliest of their times, carried by one item with `group`, the others
// `grouped` into it; groups follow cancellations, number changes and newer, earlier calls. Multi-run
// scenarios on hand-made owners.

#include "tests/unit/discharge_scenarios.h"

#include <QTest>

using namespace odis::sync;
using namespace odis::test;

namespace {

const QTimeZone kZone = zone("America/Los_Angeles");
const QString kOwner = QStringLiteral("(415) 200-0001");
const QString kOtherOwner = QStringLiteral("(415) 200-0002");

QDateTime at(const char* wallTime)
{
    return local(QString::fromLatin1(wallTime), kZone);
}

// A visit of `pet` owned by `phone` on 2026-03-<day> at `start`.
VisitInput visit(const char* id, const char* pet, int day, const char* start, const QString& phone = kOwner)
{
    return patientVisit(QString::fromLatin1(id), QString::fromLatin1(pet), phone, QDate(2026, 3, day),
                        QTime::fromString(QString::fromLatin1(start), QStringLiteral("HH:mm")));
}

template <typename Change> VisitInput changed(VisitInput v, Change change)
{
    change(v);
    return v;
}

VisitInput withoutNotes(VisitInput v)
{
    v.notesHtml.clear();
    v.consultationRead = false;
    return v;
}

} // namespace

class TstDischargeOwners : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenarios_data();
    void scenarios();
    void payloadsCarryTheGroup();
};

void TstDischargeOwners::scenarios_data()
{
    QTest::addColumn<QList<PlanRun>>("runs");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("expected");

    const QDateTime mondayEvening = at("2026-03-09 20:00");
    const VisitInput bella = visit("500001", "9001", 9, "10:00");
    const VisitInput max = visit("500002", "9002", 9, "11:00");

    QTest::newRow("an owner with two pets seen on one day: one call")
        << QList<PlanRun>{{mondayEvening, {max, bella}, {}}} << QStringList{"500001", "500002"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500002",
                       "500002 grouped 2026-03-11 16:00 into 500001"};
    QTest::newRow("a pet seen twice on one day: one call")
        << QList<PlanRun>{{mondayEvening, {bella, visit("500003", "9001", 9, "15:00")}, {}}}
        << QStringList{"500001", "500003"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500003",
                       "500003 grouped 2026-03-11 16:00 into 500001"};
    QTest::newRow("the same owner on two days: a call each day")
        << QList<PlanRun>{{at("2026-03-10 20:00"), {bella, visit("500004", "9002", 10, "10:00")}, {}}}
        << QStringList{"500001", "500004"}
        << QStringList{"500001 planned 2026-03-11 16:00", "500004 planned 2026-03-12 16:00"};
    QTest::newRow("two owners at the same time: staggered, not grouped")
        << QList<PlanRun>{{mondayEvening, {bella, visit("500005", "9005", 9, "11:00", kOtherOwner)}, {}}}
        << QStringList{"500001", "500005"}
        << QStringList{"500001 planned 2026-03-11 16:00", "500005 planned 2026-03-11 16:02"};
    QTest::newRow("a new call joins the owner's call planned earlier")
        << QList<PlanRun>{{mondayEvening, {bella, withoutNotes(max)}, {}},
                          {at("2026-03-10 10:00"), {bella, max}, {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500002",
                       "500002 grouped 2026-03-11 16:00 into 500001"};
    // Bella's Tuesday visit gets Thursday 16:00; Max's Monday notes arrive on Thursday morning, late: his
    // call is at 09:15, the earlier of the two.
    const VisitInput bellaTuesday = visit("500001", "9001", 10, "10:00");
    QTest::newRow("a call planned earlier is grouped into a newer, earlier one")
        << QList<PlanRun>{{at("2026-03-10 20:00"), {bellaTuesday, withoutNotes(max)}, {}},
                          {at("2026-03-12 09:00"), {bellaTuesday, max}, {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 grouped 2026-03-12 09:15 into 500002",
                       "500002 planned 2026-03-12 09:15 group=500001,500002"};
    QTest::newRow("the carrier is cancelled: the other call takes its time")
        << QList<PlanRun>{{mondayEvening, {bella, max}, {}},
                          {at("2026-03-10 10:00"),
                           {changed(bella, [](VisitInput& v) { v.status = VisitStatus::NoShow; }), max},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 cancelled:no_show", "500002 planned 2026-03-11 16:00"};
    QTest::newRow("a grouped call is cancelled: the carrier stands alone")
        << QList<PlanRun>{{mondayEvening, {bella, max}, {}},
                          {at("2026-03-10 10:00"),
                           {bella,
                            changed(max,
                                    [](VisitInput& v) { v.notesHtml += QStringLiteral(" Died at home."); })},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 planned 2026-03-11 16:00", "500002 cancelled:end_of_life"};
    QTest::newRow("a grouped call's number changes: placed on its own")
        << QList<PlanRun>{{mondayEvening, {bella, max}, {}},
                          {at("2026-03-10 10:00"),
                           {bella, changed(max, [](VisitInput& v) { v.phones.mobile = kOtherOwner; })},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 planned 2026-03-11 16:00", "500002 planned 2026-03-11 16:02"};
    QTest::newRow("three calls, two days")
        << QList<PlanRun>{{at("2026-03-10 20:00"), {bella, max, visit("500006", "9001", 10, "09:00")}, {}}}
        << QStringList{"500001", "500002", "500006"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500002",
                       "500002 grouped 2026-03-11 16:00 into 500001", "500006 planned 2026-03-12 16:00"};
    QTest::newRow("staggering comes before grouping")
        << QList<PlanRun>{{mondayEvening, {bella, max, visit("500007", "9007", 9, "12:00", kOtherOwner)}, {}}}
        << QStringList{"500001", "500002", "500007"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500002",
                       "500002 grouped 2026-03-11 16:00 into 500001", "500007 planned 2026-03-11 16:04"};
    QTest::newRow("a group stays as it is on later runs")
        << QList<PlanRun>{{mondayEvening, {bella, max}, {}},
                          {at("2026-03-10 20:00"), {bella, max}, {}},
                          {at("2026-03-11 10:00"), {bella, max}, {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500002",
                       "500002 grouped 2026-03-11 16:00 into 500001"};
    QTest::newRow("after the call, the group is final")
        << QList<PlanRun>{{mondayEvening, {bella, max}, {}},
                          {at("2026-03-11 17:00"),
                           {changed(bella, [](VisitInput& v) { v.status = VisitStatus::Cancelled; }), max},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500002",
                       "500002 grouped 2026-03-11 16:00 into 500001"};
}

void TstDischargeOwners::scenarios()
{
    QFETCH(QList<PlanRun>, runs);
    QFETCH(QStringList, ids);
    QFETCH(QStringList, expected);
    const DischargePlanner planner = plannerOf(referencePolicy());
    PlanWorld world;
    runAll(planner, runs, world);
    QCOMPARE(describeAll(world, ids, kZone), expected);

    // No two calls share a minute; a number gets at most one planned call a day.
    QSet<QDateTime> minutes;
    QSet<QString> ownerDays;
    for (const DischargeDecision& decision : std::as_const(world.decisions)) {
        if (decision.kind != DecisionKind::Planned)
            continue;
        QVERIFY(!minutes.contains(decision.scheduledFor));
        minutes.insert(decision.scheduledFor);
        const QString ownerDay = decision.customerPhone + wall(decision.scheduledFor, kZone).left(10);
        QVERIFY(!ownerDays.contains(ownerDay));
        ownerDays.insert(ownerDay);
    }
}

void TstDischargeOwners::payloadsCarryTheGroup()
{
    const DischargePlanner planner = plannerOf(referencePolicy());
    PlanWorld world;
    runAll(planner,
           {{at("2026-03-09 20:00"),
             {visit("500002", "9002", 9, "11:00"), visit("500001", "9001", 9, "10:00")},
             {}}},
           world);
    const DischargeDecision carrier = world.decisions.value(QStringLiteral("500001"));
    const DischargeDecision member = world.decisions.value(QStringLiteral("500002"));
    QCOMPARE(carrier.ruleTrace.last(), QStringLiteral("planned:hit"));
    QCOMPARE(member.ruleTrace.last(), QStringLiteral("grouped:hit into 500001"));
    QCOMPARE(member.ruleTrace.at(member.ruleTrace.size() - 2), QStringLiteral("waiting_for_notes:pass"));
    QCOMPARE(member.customerPhone, QStringLiteral("+14152000001"));
}

QTEST_GUILESS_MAIN(TstDischargeOwners)
#include "tst_discharge_owners.moc"
