// One planning run (docs/discharge-rules.md, "Changes after planning"): sticky planned times, final
// calls, cancellations for each cause, recomputed exclusions, staggering against earlier plans, input
// checks. The randomised properties are in tst_discharge_plan_properties.cpp.

#include "sync/core/discharge_planner.h"
#include "tests/unit/discharge_fixtures.h"

#include <QTest>

using namespace odis::sync;
using odis::test::finishedVisit;
using odis::test::utc;
using odis::test::with;

namespace {

// Wednesday 2026-03-11 12:00 PDT. finishedVisit() (Tuesday 10:00-10:30) gets Thursday 16:00 PDT.
const QDateTime kNow = utc("2026-03-11T19:00:00Z");
const QString kPlannedTime = QStringLiteral("2026-03-12T23:00:00Z");

DischargePlanner referencePlanner()
{
    return DischargePlanner::create(odis::test::referencePolicy()).value();
}

// The decision a fresh run gives `visit` at `now` (to build "earlier" decisions as a real run would).
DischargeDecision decidedAlone(const VisitInput& visit, const QDateTime& now = kNow)
{
    return referencePlanner().plan({visit}, {}, now).value().value(0).decision;
}

DischargeDecision planned(const QString& appointmentId, const char* time)
{
    DischargeDecision decision = decidedAlone(finishedVisit(appointmentId));
    decision.scheduledFor = utc(time);
    return decision;
}

DischargeDecision cancelledCall(const QString& appointmentId, DecisionReason reason)
{
    return DischargeDecision{appointmentId,
                             QStringLiteral("7") + appointmentId,
                             DecisionKind::Cancelled,
                             reason,
                             QDateTime(),
                             QString(),
                             {traceEntry(DecisionReason::Removed, false), traceEntry(reason, true)}};
}

QStringList describe(const QList<DecisionUpdate>& updates, const QTimeZone& zone)
{
    QStringList lines;
    for (const DecisionUpdate& update : updates)
        lines.append(update.decision.appointmentId + QLatin1Char(' ') + update.decision.wireReason() +
                     QLatin1Char(' ') +
                     (update.decision.scheduledFor.isValid()
                          ? odis::test::wall(update.decision.scheduledFor, zone)
                          : QStringLiteral("-")));
    return lines;
}

} // namespace

class TstDischargePlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneVisit_data();
    void oneVisit();
    void staggersAgainstEarlierPlans();
    void cancelledCallFreesItsMinute();
    void outputIsSortedAndIndependentOfOrder();
    void refusesBrokenInput_data();
    void refusesBrokenInput();
    void refusesInvalidPolicy();
};

void TstDischargePlanner::oneVisit_data()
{
    QTest::addColumn<VisitInput>("visit");
    QTest::addColumn<DischargeDecision>("earlier"); // appointmentId empty: none
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("reason");       // wire form; empty: no decision at all
    QTest::addColumn<QString>("scheduledFor"); // UTC; empty: none
    QTest::addColumn<QString>("phone");
    QTest::addColumn<bool>("changed");

    const VisitInput base = finishedVisit();
    const QString id = base.appointmentId;
    const DischargeDecision none;
    const QString phone = QStringLiteral("+14152013344");
    const DischargeDecision plannedBase = planned(id, "2026-03-12T23:00:00Z");

    QTest::newRow("new visit is planned")
        << base << none << kNow << "planned" << kPlannedTime << phone << true;
    // Sticky planned times.
    QTest::newRow("sticky: same again, nothing to send")
        << base << plannedBase << kNow << "planned" << kPlannedTime << phone << false;
    QTest::newRow("sticky: keeps a time the rules would not give now")
        << base << planned(id, "2026-03-12T23:10:00Z") << kNow << "planned"
        << "2026-03-12T23:10:00Z" << phone << false;
    QTest::newRow("sticky: visit moved, time kept")
        << with(base, [](VisitInput& v) { v.start.date = v.end.date = QDate(2026, 3, 9); }) << plannedBase
        << kNow << "planned" << kPlannedTime << phone << false;
    QTest::newRow("sticky: takes the new phone")
        << with(base, [](VisitInput& v) { v.phones.mobile = QStringLiteral("415 777 0000"); }) << plannedBase
        << kNow << "planned" << kPlannedTime << "+14157770000" << true;
    QTest::newRow("sticky: type now excluded keeps the call")
        << with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer"); }) << plannedBase
        << kNow << "planned" << kPlannedTime << phone << false;
    // Final calls.
    QTest::newRow("planned call whose time passed is final")
        << with(base, [](VisitInput& v) { v.status = VisitStatus::Cancelled; })
        << planned(id, "2026-03-11T18:59:00Z") << kNow << "planned"
        << "2026-03-11T18:59:00Z" << phone << false;
    QTest::newRow("planned call at exactly now is final")
        << with(base, [](VisitInput& v) { v.removedFromNeo = true; }) << planned(id, "2026-03-11T19:00:00Z")
        << kNow << "planned"
        << "2026-03-11T19:00:00Z" << phone << false;
    QTest::newRow("a cancelled call stays cancelled")
        << base << cancelledCall(id, DecisionReason::Removed) << kNow << "cancelled:removed"
        << ""
        << "" << false;
    // Cancellation, each cause.
    // A cancelled call still names the visit's current number (none when it disappeared).
    const auto cancels = [&](const char* name, const VisitInput& visit, const char* reason,
                             const QString& number = QStringLiteral("+14152013344")) {
        QTest::newRow(name) << visit << plannedBase << kNow << reason << "" << number << true;
    };
    cancels("cancel: removed from Neo", with(base, [](VisitInput& v) { v.removedFromNeo = true; }),
            "cancelled:removed");
    cancels("cancel: visit cancelled", with(base, [](VisitInput& v) { v.status = VisitStatus::Cancelled; }),
            "cancelled:cancelled");
    cancels("cancel: no show", with(base, [](VisitInput& v) { v.status = VisitStatus::NoShow; }),
            "cancelled:no_show");
    cancels("cancel: notes mention end of life",
            with(base, [](VisitInput& v) { v.notesHtml = QStringLiteral("<p>PTS</p>"); }),
            "cancelled:end_of_life");
    cancels("cancel: reason mentions end of life",
            with(base, [](VisitInput& v) { v.reason = QStringLiteral("cremation"); }),
            "cancelled:end_of_life");
    cancels("cancel: product line mentions end of life",
            with(base, [](VisitInput& v) { v.productLines.append(QStringLiteral("Euthanasia")); }),
            "cancelled:end_of_life");
    cancels("cancel: phone gone", with(base, [](VisitInput& v) { v.phones = {}; }), "cancelled:no_phone",
            QString());
    // Recomputed every run.
    const VisitInput noNotes = with(base, [](VisitInput& v) {
        v.notesHtml.clear();
        v.consultationRead = false;
    });
    const DischargeDecision waiting = decidedAlone(noNotes);
    QTest::newRow("waiting stays waiting") << noNotes << waiting << kNow << "waiting_for_notes"
                                           << "" << phone << false;
    QTest::newRow("waiting becomes planned when notes arrive")
        << base << waiting << kNow << "planned" << kPlannedTime << phone << true;
    QTest::newRow("notes arrive late: now + 15")
        << base << waiting << utc("2026-03-13T01:00:00Z") << "planned"
        << "2026-03-13T01:15:00Z" << phone << true;
    QTest::newRow("waiting becomes too old")
        << noNotes << waiting << utc("2026-03-13T17:31:00Z") << "excluded:too_old"
        << "" << phone << true;
    QTest::newRow("too old on first sight")
        << base << none << utc("2026-03-13T17:31:00Z") << "excluded:too_old"
        << "" << phone << true;
    const VisitInput inProgress = with(base, [](VisitInput& v) { v.status = VisitStatus::InProgress; });
    QTest::newRow("not finished becomes planned")
        << base << decidedAlone(inProgress) << kNow << "planned" << kPlannedTime << phone << true;
    QTest::newRow("excluded type no longer excluded")
        << base
        << decidedAlone(with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Boarding"); }))
        << kNow << "planned" << kPlannedTime << phone << true;
    // Removed visits that have no live call.
    QTest::newRow("removed without a decision gets none")
        << with(base, [](VisitInput& v) { v.removedFromNeo = true; }) << none << kNow << ""
        << ""
        << "" << true;
    QTest::newRow("removed keeps its earlier exclusion")
        << with(inProgress, [](VisitInput& v) { v.removedFromNeo = true; }) << decidedAlone(inProgress)
        << kNow << "excluded:not_finished"
        << "" << phone << false;
}

void TstDischargePlanner::oneVisit()
{
    QFETCH(VisitInput, visit);
    QFETCH(DischargeDecision, earlier);
    QFETCH(QDateTime, now);
    QFETCH(QString, reason);
    QFETCH(QString, scheduledFor);
    QFETCH(QString, phone);
    QFETCH(bool, changed);

    const QList<DischargeDecision> earlierList =
        earlier.appointmentId.isEmpty() ? QList<DischargeDecision>() : QList{earlier};
    const auto updates = referencePlanner().plan({visit}, earlierList, now);
    QVERIFY2(updates.has_value(), qPrintable(updates ? QString() : updates.error().toString()));
    if (reason.isEmpty()) {
        QVERIFY(updates->isEmpty());
        return;
    }
    QCOMPARE(updates->size(), 1);
    const DecisionUpdate& update = updates->first();
    QCOMPARE(update.decision.appointmentId, visit.appointmentId);
    QCOMPARE(update.decision.wireReason(), reason);
    QCOMPARE(formatUtcInstant(update.decision.scheduledFor), scheduledFor);
    QCOMPARE(update.decision.customerPhone, phone);
    QCOMPARE(update.changed, changed);
    QVERIFY(!update.decision.ruleTrace.isEmpty());
    QVERIFY(update.decision.ruleTrace.last().endsWith(QStringLiteral(":hit")));
    if (!changed)
        QVERIFY(update.decision == earlier);
}

void TstDischargePlanner::staggersAgainstEarlierPlans()
{
    const DischargePlanner planner = referencePlanner();
    // Earlier runs: 16:00 and 16:02 Thursday for visits not read now, and a call that has passed.
    const QList<DischargeDecision> earlier{planned(QStringLiteral("900001"), "2026-03-12T23:00:00Z"),
                                           planned(QStringLiteral("900002"), "2026-03-12T23:02:00Z"),
                                           planned(QStringLiteral("900003"), "2026-03-11T18:00:00Z")};
    const QList<VisitInput> visits{
        finishedVisit(QStringLiteral("500003"), QDate(2026, 3, 10), QTime(9, 0), QTime(9, 20)),
        finishedVisit(QStringLiteral("500001"), QDate(2026, 3, 10), QTime(11, 0), QTime(11, 30)),
        finishedVisit(QStringLiteral("500002"), QDate(2026, 3, 10), QTime(11, 0), QTime(11, 30))};
    const auto updates = planner.plan(visits, earlier, kNow);
    QVERIFY(updates.has_value());
    QCOMPARE(describe(*updates, planner.policy().zone),
             (QStringList{"500001 planned 2026-03-12 16:06", "500002 planned 2026-03-12 16:08",
                          "500003 planned 2026-03-12 16:04"}));

    // A second run re-reads the same visits: every time stays, nothing to send.
    QList<DischargeDecision> all = earlier;
    for (const DecisionUpdate& update : *updates)
        all.append(update.decision);
    const auto again = planner.plan(visits, all, kNow.addSecs(4 * 3600));
    QVERIFY(again.has_value());
    QCOMPARE(describe(*again, planner.policy().zone), describe(*updates, planner.policy().zone));
    QVERIFY(std::ranges::none_of(*again, [](const DecisionUpdate& update) { return update.changed; }));
}

void TstDischargePlanner::cancelledCallFreesItsMinute()
{
    const DischargePlanner planner = referencePlanner();
    const VisitInput gone =
        with(finishedVisit(QStringLiteral("600001")), [](VisitInput& v) { v.status = VisitStatus::NoShow; });
    const VisitInput fresh = finishedVisit(QStringLiteral("600002"));
    const auto updates =
        planner.plan({fresh, gone}, {planned(QStringLiteral("600001"), "2026-03-12T23:00:00Z")}, kNow);
    QVERIFY(updates.has_value());
    QCOMPARE(describe(*updates, planner.policy().zone),
             (QStringList{"600001 cancelled:no_show -", "600002 planned 2026-03-12 16:00"}));
}

void TstDischargePlanner::outputIsSortedAndIndependentOfOrder()
{
    const DischargePlanner planner = referencePlanner();
    QList<VisitInput> visits;
    for (const char* id : {"1000", "99", "100000", "5", "777"})
        visits.append(finishedVisit(QString::fromLatin1(id)));
    const auto forward = planner.plan(visits, {}, kNow);
    std::ranges::reverse(visits);
    const auto backward = planner.plan(visits, {}, kNow);
    QVERIFY(forward && backward);
    QVERIFY(*forward == *backward);
    QStringList ids;
    for (const DecisionUpdate& update : *forward)
        ids.append(update.decision.appointmentId);
    QCOMPARE(ids, (QStringList{"5", "99", "777", "1000", "100000"}));
}

void TstDischargePlanner::refusesBrokenInput_data()
{
    QTest::addColumn<QList<VisitInput>>("visits");
    QTest::addColumn<QList<DischargeDecision>>("earlier");
    QTest::addColumn<QDateTime>("now");

    const VisitInput visit = finishedVisit();
    QTest::newRow("visit read twice") << QList{visit, visit} << QList<DischargeDecision>() << kNow;
    QTest::newRow("visit without id") << QList{with(visit, [](VisitInput& v) { v.appointmentId.clear(); })}
                                      << QList<DischargeDecision>() << kNow;
    QTest::newRow("visit without start")
        << QList{with(visit, [](VisitInput& v) { v.start = {}; })} << QList<DischargeDecision>() << kNow;
    const DischargeDecision earlier = planned(visit.appointmentId, "2026-03-12T23:00:00Z");
    QTest::newRow("two earlier decisions") << QList{visit} << QList{earlier, earlier} << kNow;
    QTest::newRow("planned without a time")
        << QList{visit} << QList{with(earlier, [](DischargeDecision& d) { d.scheduledFor = {}; })} << kNow;
    QTest::newRow("invalid now") << QList{visit} << QList<DischargeDecision>() << QDateTime();
}

void TstDischargePlanner::refusesBrokenInput()
{
    QFETCH(QList<VisitInput>, visits);
    QFETCH(QList<DischargeDecision>, earlier);
    QFETCH(QDateTime, now);
    const auto updates = referencePlanner().plan(visits, earlier, now);
    QVERIFY(!updates.has_value());
    QCOMPARE(updates.error().code, QString(kDischargeInputInvalid));
}

void TstDischargePlanner::refusesInvalidPolicy()
{
    ClinicPolicy policy = odis::test::referencePolicy();
    policy.discharge.staggerMinutes = 0;
    const auto planner = DischargePlanner::create(policy);
    QVERIFY(!planner.has_value());
    QCOMPARE(planner.error().code, QString(kClinicPolicyOutOfRange));
}

QTEST_GUILESS_MAIN(TstDischargePlanner)
#include "tst_discharge_planner.moc"
