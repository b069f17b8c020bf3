// The patient, not only the visit (docs/discharge-rules.md): an end-of-life finding on any visit of a
// patient excludes every call for that patient, before and after it, in the same run or later ones, and
// cancels calls already planned; it is stored, never reverts, and also comes from stored visits. Multi-run
// scenarios on hand-made patients.

#include "tests/unit/discharge_scenarios.h"

#include <QTest>

using namespace odis::sync;
using namespace odis::test;

namespace {

const QTimeZone kZone = zone("America/Los_Angeles");
const QString kPet = QStringLiteral("9001");
const QString kOtherPet = QStringLiteral("9002");
const QString kOwner = QStringLiteral("(415) 200-0001");
const QString kOtherOwner = QStringLiteral("(415) 200-0002");

// 20:00 PDT on a day of the week of Monday 2026-03-09.
QDateTime evening(int day)
{
    return local(QStringLiteral("2026-03-%1 20:00").arg(8 + day, 2, 10, QLatin1Char('0')), kZone);
}

QDate weekday(int day)
{
    return QDate(2026, 3, 8 + day);
}

VisitInput visit(const char* id, int day, const char* start, const QString& patient = kPet,
                 const QString& phone = kOwner)
{
    return patientVisit(QString::fromLatin1(id), patient, phone, weekday(day),
                        QTime::fromString(QString::fromLatin1(start), QStringLiteral("HH:mm")));
}

template <typename Change> VisitInput changed(VisitInput v, Change change)
{
    change(v);
    return v;
}

} // namespace

class TstDischargePatients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenarios_data();
    void scenarios();
    void findingsAreStoredOnce();
};

void TstDischargePatients::scenarios_data()
{
    QTest::addColumn<QList<PlanRun>>("runs");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("expected");

    const VisitInput routine = visit("500001", 1, "10:00");
    const auto euthanasia = [](const char* id, int day, const char* start, const QString& patient = kPet) {
        return changed(visit(id, day, start, patient), [](VisitInput& v) {
            v.notesHtml = QStringLiteral("<p>PTS with the owner present.</p>");
        });
    };
    const VisitInput booked = changed(
        visit("500002", 1, "11:00"), [](VisitInput& v) { v.appointmentType = QStringLiteral("Euthanasia"); });

    QTest::newRow("euthanasia after: the day before's planned call is cancelled")
        << QList<PlanRun>{{evening(1), {routine}, {}},
                          {evening(2), {routine, euthanasia("500002", 2, "10:00")}, {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 cancelled:end_of_life_patient", "500002 excluded:end_of_life"};
    QTest::newRow("euthanasia before: a later visit is excluded")
        << QList<PlanRun>{{evening(1), {booked}, {}}, {evening(3), {booked, visit("500003", 3, "10:00")}, {}}}
        << QStringList{"500002", "500003"}
        << QStringList{"500002 excluded:end_of_life", "500003 excluded:end_of_life_patient"};
    QTest::newRow("euthanasia in the same run, later that day")
        << QList<PlanRun>{{evening(1), {visit("500001", 1, "09:00"), euthanasia("500002", 1, "11:00")}, {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 excluded:end_of_life_patient", "500002 excluded:end_of_life"};
    QTest::newRow("the finding never reverts when the notes are edited")
        << QList<PlanRun>{{evening(1), {euthanasia("500002", 1, "10:00")}, {}},
                          {evening(2), {visit("500002", 1, "10:00"), visit("500003", 2, "10:00")}, {}}}
        << QStringList{"500002", "500003"}
        << QStringList{"500002 excluded:end_of_life_patient", "500003 excluded:end_of_life_patient"};
    QTest::newRow("the finding survives the visit's removal")
        << QList<PlanRun>{{evening(1), {booked}, {}},
                          {evening(2),
                           {changed(booked, [](VisitInput& v) { v.removedFromNeo = true; }),
                            visit("500003", 2, "10:00")},
                           {}}}
        << QStringList{"500002", "500003"}
        << QStringList{"500002 excluded:end_of_life", "500003 excluded:end_of_life_patient"};
    QTest::newRow("quality of life, then the pet again a quarter of an hour later")
        << QList<PlanRun>{{evening(1),
                           {changed(
                                visit("500001", 1, "10:00"),
                                [](VisitInput& v) { v.reason = QStringLiteral("Quality of life consult"); }),
                            visit("500002", 1, "10:45")},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 excluded:end_of_life_possible", "500002 excluded:end_of_life_patient"};
    QTest::newRow("the owner's other pet is still called")
        << QList<PlanRun>{{evening(1), {booked, visit("500003", 1, "12:00", kOtherPet)}, {}}}
        << QStringList{"500002", "500003"}
        << QStringList{"500002 excluded:end_of_life", "500003 planned 2026-03-11 16:00"};
    QTest::newRow("a cancelled euthanasia booking counts")
        << QList<PlanRun>{{evening(1),
                           {routine,
                            changed(booked, [](VisitInput& v) { v.status = VisitStatus::Cancelled; })},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 excluded:end_of_life_patient", "500002 excluded:cancelled"};
    QTest::newRow("tomorrow's euthanasia booking counts today")
        << QList<PlanRun>{{evening(1),
                           {routine, changed(booked,
                                             [](VisitInput& v) {
                                                 v.status = VisitStatus::Scheduled;
                                                 v.start.date = v.end.date = weekday(2);
                                             })},
                           {}}}
        << QStringList{"500001", "500002"}
        << QStringList{"500001 excluded:end_of_life_patient", "500002 excluded:not_finished"};
    QTest::newRow("a finding of an earlier run, its visit no longer read")
        << QList<PlanRun>{{evening(1), {booked}, {}}, {evening(4), {visit("500004", 4, "10:00")}, {}}}
        << QStringList{"500004"} << QStringList{"500004 excluded:end_of_life_patient"};
    QTest::newRow("a live call outside the read window is cancelled too")
        << QList<PlanRun>{{evening(1), {routine}, {}},
                          {evening(2), {euthanasia("500002", 2, "10:00")}, {routine}}}
        << QStringList{"500001"} << QStringList{"500001 cancelled:end_of_life_patient"};
    QTest::newRow("a stored visit never decided again gives its finding (backfill)")
        << QList<PlanRun>{{evening(1),
                           {routine},
                           {changed(visit("400001", -6, "10:00"),
                                    [](VisitInput& v) {
                                        v.productLines = {QStringLiteral("Communal cremation")};
                                    })}}}
        << QStringList{"500001", "400001"}
        << QStringList{"500001 excluded:end_of_life_patient", "400001 none"};
    QTest::newRow("a call already made stays as it was")
        << QList<PlanRun>{{evening(1), {routine}, {}},
                          {evening(4), {routine, euthanasia("500004", 4, "10:00")}, {}}}
        << QStringList{"500001", "500004"}
        << QStringList{"500001 planned 2026-03-11 16:00", "500004 excluded:end_of_life"};
    QTest::newRow("incomplete data still makes a finding")
        << QList<PlanRun>{{evening(1),
                           {routine, changed(euthanasia("500002", 1, "11:00"),
                                             [](VisitInput& v) { v.complete = false; })},
                           {}}}
        << QStringList{"500001"} << QStringList{"500001 excluded:end_of_life_patient"};
    QTest::newRow("without a patient id there is no patient rule")
        << QList<PlanRun>{{evening(1),
                           {changed(routine, [](VisitInput& v) { v.patientId.clear(); }),
                            changed(booked, [](VisitInput& v) { v.patientId.clear(); })},
                           {}}}
        << QStringList{"500001"} << QStringList{"500001 planned 2026-03-11 16:00"};
    QTest::newRow("another patient is not affected")
        << QList<PlanRun>{{evening(1), {booked, visit("500003", 1, "12:00", kOtherPet, kOtherOwner)}, {}}}
        << QStringList{"500003"} << QStringList{"500003 planned 2026-03-11 16:00"};
}

void TstDischargePatients::scenarios()
{
    QFETCH(QList<PlanRun>, runs);
    QFETCH(QStringList, ids);
    QFETCH(QStringList, expected);
    const DischargePlanner planner = plannerOf(referencePolicy());
    PlanWorld world;
    runAll(planner, runs, world);
    QCOMPARE(describeAll(world, ids, kZone), expected);

    // The same runs again from the stored state change nothing: a finding holds.
    const PlanRun& last = runs.last();
    const auto again = planner.plan(
        PlanInput{last.visits, last.unread, world.decisions.values(), world.findings, last.now.addSecs(60)});
    QVERIFY(again.has_value());
    QVERIFY(again->newFindings.isEmpty());
    for (const DecisionUpdate& update : again->updates)
        QVERIFY2(!update.changed, qPrintable(describeDecision(update.decision, kZone)));
}

void TstDischargePatients::findingsAreStoredOnce()
{
    const DischargePlanner planner = plannerOf(referencePolicy());
    // Two visits of the pet match in one run: the lower appointment id makes the finding, with its words.
    const VisitInput first = changed(visit("500007", 1, "15:00"), [](VisitInput& v) {
        v.notesHtml = QStringLiteral("Hospice talk; later <b>euthanised</b>.");
    });
    const VisitInput second = changed(visit("500005", 1, "16:00"),
                                      [](VisitInput& v) { v.reason = QStringLiteral("Quality of life"); });
    PlanWorld world;
    const PlanResult result = runAll(planner, {{evening(1), {first, second}, {}}}, world);
    QCOMPARE(result.newFindings.size(), 1);
    const PatientFinding& finding = result.newFindings.first();
    QCOMPARE(finding.patientId, kPet);
    QCOMPARE(finding.appointmentId, QStringLiteral("500005"));
    QCOMPARE(finding.rule, DecisionReason::EndOfLifePossible);
    QCOMPARE(finding.words, QStringLiteral("reason: quality of life"));
    QCOMPARE(world.decisions.value(QStringLiteral("500007")).ruleTrace.last(),
             QStringLiteral("end_of_life:hit notes: euthanised"));
    QCOMPARE(world.decisions.value(QStringLiteral("500007")).wireReason(),
             QStringLiteral("excluded:end_of_life"));

    // A later visit of the pet names where the finding was made; no second finding is stored.
    const PlanResult later = runAll(planner, {{evening(3), {visit("500009", 3, "10:00")}, {}}}, world);
    QVERIFY(later.newFindings.isEmpty());
    QCOMPARE(world.decisions.value(QStringLiteral("500009")).ruleTrace.last(),
             QStringLiteral(
                 "end_of_life_patient:hit appointment 500005 end_of_life_possible reason: quality of life"));
    // Never the notes themselves: the trace holds only the matched words.
    for (const DischargeDecision& decision : std::as_const(world.decisions))
        QVERIFY(!decision.ruleTrace.join(u' ').contains(QStringLiteral("Hospice talk")));
}

QTEST_GUILESS_MAIN(TstDischargePatients)
#include "tst_discharge_patients.moc"
