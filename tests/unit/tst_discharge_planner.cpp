// One planning run (docs/discharge-rules.md, "Changes after planning"): sticky planned times, final
// calls, cancellations for each cause, recomputed exclusions, removed calls planned again, incomplete
// data that never plans, calls placed again when their time is no longer a slot, staggering against
// earlier plans, call times in the reference clinic (a Saturday with short hours, a Friday visit with a
// three-day limit, a daylight-saving weekend), input checks. Patients and owners across runs are in
// tst_discharge_patients.cpp and tst_discharge_owners.cpp; the randomised properties in
// tst_discharge_plan_properties.cpp.

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
    return odis::test::plannerOf(odis::test::referencePolicy());
}

// finishedVisit() with a number of its own (one owner per visit), so that calls are not grouped.
VisitInput ownVisit(const QString& id, QDate date = QDate(2026, 3, 10), QTime start = QTime(10, 0),
                    QTime end = QTime(10, 30))
{
    VisitInput visit = finishedVisit(id, date, start, end);
    visit.phones.mobile = QStringLiteral("415") + id.right(7).rightJustified(7, u'2');
    return visit;
}

// The decision a fresh run gives `visit` at `now` (to build "earlier" decisions as a real run would).
DischargeDecision decidedAlone(const VisitInput& visit, const QDateTime& now = kNow)
{
    return referencePlanner().plan({visit}, {}, now).value().value(0).decision;
}

DischargeDecision planned(const QString& appointmentId, const char* time)
{
    DischargeDecision decision = decidedAlone(ownVisit(appointmentId));
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

VisitInput inProgressVisit(const VisitInput& visit)
{
    return with(visit, [](VisitInput& v) { v.status = VisitStatus::InProgress; });
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
    void referenceClinicCallTimes_data();
    void referenceClinicCallTimes();
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
    DischargeDecision plannedBase = decidedAlone(base);
    plannedBase.scheduledFor = utc("2026-03-12T23:00:00Z");

    QTest::newRow("new visit is planned")
        << base << none << kNow << "planned" << kPlannedTime << phone << true;
    // Sticky planned times.
    QTest::newRow("sticky: same again, nothing to send")
        << base << plannedBase << kNow << "planned" << kPlannedTime << phone << false;
    const auto plannedAt = [&](const char* time) {
        return with(plannedBase, [&](DischargeDecision& d) { d.scheduledFor = utc(time); });
    };
    QTest::newRow("sticky: keeps a time the rules would not give now")
        << base << plannedAt("2026-03-12T23:10:00Z") << kNow << "planned"
        << "2026-03-12T23:10:00Z" << phone << false;
    QTest::newRow("sticky: visit moved, time kept")
        << with(base, [](VisitInput& v) { v.start.date = v.end.date = QDate(2026, 3, 11); }) << plannedBase
        << kNow << "planned" << kPlannedTime << phone << false;
    QTest::newRow("visit moved back: its call is now too old")
        << with(base, [](VisitInput& v) { v.start.date = v.end.date = QDate(2026, 3, 9); }) << plannedBase
        << kNow << "cancelled:too_old"
        << "" << phone << true;
    QTest::newRow("sticky: takes the new phone")
        << with(base, [](VisitInput& v) { v.phones.mobile = QStringLiteral("415 777 0000"); }) << plannedBase
        << kNow << "planned" << kPlannedTime << "+14157770000" << true;
    QTest::newRow("sticky: type now excluded keeps the call")
        << with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer"); }) << plannedBase
        << kNow << "planned" << kPlannedTime << phone << false;
    // Final calls.
    QTest::newRow("planned call whose time passed is final")
        << with(base, [](VisitInput& v) { v.status = VisitStatus::Cancelled; })
        << plannedAt("2026-03-11T18:59:00Z") << kNow << "planned"
        << "2026-03-11T18:59:00Z" << phone << false;
    QTest::newRow("planned call at exactly now is final")
        << with(base, [](VisitInput& v) { v.removedFromNeo = true; }) << plannedAt("2026-03-11T19:00:00Z")
        << kNow << "planned"
        << "2026-03-11T19:00:00Z" << phone << false;
    QTest::newRow("a cancelled call stays cancelled")
        << base << cancelledCall(id, DecisionReason::NoShow) << kNow << "cancelled:no_show"
        << ""
        << "" << false;
    // A call cancelled because its appointment vanished, the appointment read again.
    const DischargeDecision removedCall = cancelledCall(id, DecisionReason::Removed);
    QTest::newRow("removed call planned again when the appointment is back")
        << base << removedCall << kNow << "planned" << kPlannedTime << phone << true;
    QTest::newRow("removed call back too late stays cancelled")
        << base << removedCall << utc("2026-03-12T22:50:00Z") << "cancelled:removed"
        << ""
        << "" << false;
    QTest::newRow("removed call back with incomplete data stays cancelled")
        << with(base, [](VisitInput& v) { v.complete = false; }) << removedCall << kNow << "cancelled:removed"
        << ""
        << "" << false;
    QTest::newRow("removed call back, now a no-show, stays cancelled")
        << with(base, [](VisitInput& v) { v.status = VisitStatus::NoShow; }) << removedCall << kNow
        << "cancelled:removed"
        << ""
        << "" << false;
    QTest::newRow("removed call still removed stays cancelled")
        << with(base, [](VisitInput& v) { v.removedFromNeo = true; }) << removedCall << kNow
        << "cancelled:removed"
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
    cancels("cancel: summary now a possible end of life",
            with(base, [](VisitInput& v) { v.dischargeSummary = QStringLiteral("Palliative care only"); }),
            "cancelled:end_of_life_possible");
    cancels("cancel: incomplete data may cancel",
            with(base,
                 [](VisitInput& v) {
                     v.complete = false;
                     v.status = VisitStatus::Cancelled;
                 }),
            "cancelled:cancelled");
    QTest::newRow("cancel: a live call that became too old (limit lowered, time kept)")
        << base
        << with(plannedBase, [](DischargeDecision& d) { d.scheduledFor = utc("2026-03-13T18:00:00Z"); })
        << kNow << "cancelled:too_old"
        << "" << phone << true;
    QTest::newRow("a kept call whose time is no longer a call slot is placed again")
        << base
        << with(plannedBase, [](DischargeDecision& d) { d.scheduledFor = utc("2026-03-13T02:00:00Z"); })
        << kNow << "planned" << kPlannedTime << phone << true;
    QTest::newRow("incomplete data keeps a live call")
        << with(base, [](VisitInput& v) { v.complete = false; }) << plannedBase << kNow << "planned"
        << kPlannedTime << phone << false;
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
        << base << waiting << utc("2026-03-12T23:30:00Z") << "planned"
        << "2026-03-12T23:45:00Z" << phone << true;
    QTest::newRow("notes arrive late after closing: next morning")
        << base << waiting << utc("2026-03-13T01:00:00Z") << "planned"
        << "2026-03-13T16:00:00Z" << phone << true;
    QTest::newRow("waiting becomes too old")
        << noNotes << waiting << utc("2026-03-13T17:31:00Z") << "excluded:too_old"
        << "" << phone << true;
    QTest::newRow("too old on first sight")
        << base << none << utc("2026-03-13T17:31:00Z") << "excluded:too_old"
        << "" << phone << true;
    const VisitInput inProgress = inProgressVisit(base);
    QTest::newRow("not finished becomes planned")
        << base << decidedAlone(inProgress) << kNow << "planned" << kPlannedTime << phone << true;
    const DischargeDecision boarding =
        decidedAlone(with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Boarding"); }));
    QTest::newRow("excluded type no longer excluded, complete data")
        << base << boarding << kNow << "planned" << kPlannedTime << phone << true;
    // When in doubt, no call: incomplete data never turns an exclusion into a planned call.
    const VisitInput incomplete = with(base, [](VisitInput& v) { v.complete = false; });
    QTest::newRow("incomplete data keeps a type exclusion")
        << incomplete << boarding << kNow << "excluded:type"
        << "" << phone << false;
    QTest::newRow("incomplete data keeps an end-of-life exclusion")
        << with(incomplete, [](VisitInput& v) { v.patientId.clear(); })
        << decidedAlone(with(base,
                             [](VisitInput& v) {
                                 v.patientId.clear();
                                 v.notesHtml = QStringLiteral("<p>PTS</p>");
                             }))
        << kNow << "excluded:end_of_life"
        << "" << phone << false;
    QTest::newRow("incomplete data keeps a no-show")
        << incomplete << decidedAlone(with(base, [](VisitInput& v) { v.status = VisitStatus::NoShow; }))
        << kNow << "excluded:no_show"
        << "" << phone << false;
    QTest::newRow("incomplete data keeps a not-finished visit waiting for a complete read")
        << incomplete << decidedAlone(inProgressVisit(base)) << kNow << "excluded:not_finished"
        << "" << phone << false;
    QTest::newRow("incomplete data does not plan a first call")
        << incomplete << none << kNow << "waiting_for_notes"
        << "" << phone << true;
    // ... and leaves the wait as it was: nothing learnt from a read that was not whole.
    QTest::newRow("incomplete data does not plan a waiting call")
        << incomplete << waiting << kNow << "waiting_for_notes"
        << "" << phone << false;
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
    QVERIFY(update.decision.ruleTrace.last().contains(QStringLiteral(":hit")));
    if (!changed)
        QVERIFY(update.decision == earlier);
    // A new wait says why; an earlier decision kept as it was keeps its own words.
    if (!visit.complete && update.decision.kind == DecisionKind::WaitingForNotes && changed)
        QCOMPARE(update.decision.ruleTrace.last(), QStringLiteral("waiting_for_notes:hit incomplete data"));
}

void TstDischargePlanner::staggersAgainstEarlierPlans()
{
    const DischargePlanner planner = referencePlanner();
    // Earlier runs: 16:00 and 16:02 Thursday for visits not read now, and a call that has passed.
    const QList<DischargeDecision> earlier{planned(QStringLiteral("900001"), "2026-03-12T23:00:00Z"),
                                           planned(QStringLiteral("900002"), "2026-03-12T23:02:00Z"),
                                           planned(QStringLiteral("900003"), "2026-03-11T18:00:00Z")};
    const QList<VisitInput> visits{
        ownVisit(QStringLiteral("500003"), QDate(2026, 3, 10), QTime(9, 0), QTime(9, 20)),
        ownVisit(QStringLiteral("500001"), QDate(2026, 3, 10), QTime(11, 0), QTime(11, 30)),
        ownVisit(QStringLiteral("500002"), QDate(2026, 3, 10), QTime(11, 0), QTime(11, 30))};
    const auto updates = planner.plan(visits, earlier, kNow);
    QVERIFY(updates.has_value());
    // The earlier calls not read in this run keep their minutes (and come back unchanged).
    QCOMPARE(describe(*updates, planner.policy().zone),
             (QStringList{"500001 planned 2026-03-12 16:06", "500002 planned 2026-03-12 16:08",
                          "500003 planned 2026-03-12 16:04", "900001 planned 2026-03-12 16:00",
                          "900002 planned 2026-03-12 16:02"}));
    QCOMPARE(std::ranges::count_if(*updates, [](const DecisionUpdate& update) { return update.changed; }), 3);

    // A second run re-reads the same visits: every time stays, nothing to send.
    QList<DischargeDecision> all{earlier.last()}; // the passed call, which the run did not return
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
        with(ownVisit(QStringLiteral("600001")), [](VisitInput& v) { v.status = VisitStatus::NoShow; });
    const VisitInput fresh = ownVisit(QStringLiteral("600002"));
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
        visits.append(ownVisit(QString::fromLatin1(id)));
    visits.append(finishedVisit(QStringLiteral("8"))); // two calls to one owner: grouped whatever the order
    visits.append(finishedVisit(QStringLiteral("80")));
    const auto forward = planner.plan(visits, {}, kNow);
    std::ranges::reverse(visits);
    const auto backward = planner.plan(visits, {}, kNow);
    QVERIFY(forward && backward);
    QVERIFY(*forward == *backward);
    QStringList ids;
    for (const DecisionUpdate& update : *forward)
        ids.append(update.decision.appointmentId);
    QCOMPARE(ids, (QStringList{"5", "8", "80", "99", "777", "1000", "100000"}));
    QCOMPARE(forward->at(2).decision.groupedInto, QStringLiteral("8"));
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
    QTest::newRow("grouped without its carrier") << QList{visit}
                                                 << QList{with(earlier,
                                                               [](DischargeDecision& d) {
                                                                   d.kind = DecisionKind::Grouped;
                                                                   d.reason = DecisionReason::Grouped;
                                                               })}
                                                 << kNow;
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

void TstDischargePlanner::referenceClinicCallTimes_data()
{
    QTest::addColumn<QDate>("visitDate");
    QTest::addColumn<QString>("start"); // a 30-minute visit
    QTest::addColumn<int>("maxAgeDays");
    QTest::addColumn<QString>("expected"); // wire reason and, for a call, its clinic wall time

    // Monday to Friday 08:00-18:00 with lunch 12:00-13:00, Saturday 09:00-13:00, Sunday closed; calls two
    // days later at 16:00 within 09:00-20:00 while open.
    QTest::newRow("Tuesday visit, Thursday 16:00")
        << QDate(2026, 3, 10) << "10:00" << 3 << "planned 2026-03-12 16:00";
    QTest::newRow("a Friday visit with a three-day limit is too old on Monday")
        << QDate(2026, 3, 13) << "10:00" << 3 << "excluded:too_old";
    QTest::newRow("a Friday visit with a four-day limit")
        << QDate(2026, 3, 13) << "10:00" << 4 << "planned 2026-03-16 16:00";
    QTest::newRow("a Friday evening visit is just young enough")
        << QDate(2026, 3, 13) << "17:00" << 3 << "planned 2026-03-16 16:00";
    QTest::newRow("a Thursday visit: the short Saturday closes at 13:00, Monday is too late")
        << QDate(2026, 3, 12) << "10:00" << 3 << "excluded:too_old";
    QTest::newRow("a Thursday visit with a four-day limit: Monday 09:00")
        << QDate(2026, 3, 12) << "10:00" << 4 << "planned 2026-03-16 09:00";
    QTest::newRow("a Saturday visit: Monday 16:00")
        << QDate(2026, 3, 14) << "10:00" << 3 << "planned 2026-03-16 16:00";
    // The spring-forward weekend (2026-03-08): the call stays 16:00 on the wall clock, 23 hours shorter.
    QTest::newRow("spring forward: Friday visit, three-day limit")
        << QDate(2026, 3, 6) << "10:00" << 3 << "excluded:too_old";
    QTest::newRow("spring forward: Friday visit, four-day limit")
        << QDate(2026, 3, 6) << "10:00" << 4 << "planned 2026-03-09 16:00";
    QTest::newRow("spring forward: Thursday visit, Monday 09:00")
        << QDate(2026, 3, 5) << "10:00" << 4 << "planned 2026-03-09 09:00";
    // Fall back (2026-11-01): the weekend has an extra hour.
    QTest::newRow("fall back: 2 days 23.5 hours on the wall clock are 3 days 0.5 hours")
        << QDate(2026, 10, 30) << "16:00" << 3 << "excluded:too_old";
    QTest::newRow("fall back: Friday visit, four-day limit")
        << QDate(2026, 10, 30) << "10:00" << 4 << "planned 2026-11-02 16:00";
}

void TstDischargePlanner::referenceClinicCallTimes()
{
    QFETCH(QDate, visitDate);
    QFETCH(QString, start);
    QFETCH(int, maxAgeDays);
    QFETCH(QString, expected);

    ClinicPolicy policy = odis::test::referencePolicy();
    for (std::size_t day = 0; day < 5; ++day)
        policy.businessHours.days[day] = OpeningHours{QTime(8, 0), QTime(18, 0), QTime(12, 0), QTime(13, 0)};
    policy.businessHours.days[5] = OpeningHours{QTime(9, 0), QTime(13, 0), {}, {}};
    policy.discharge.maxVisitAgeDays = maxAgeDays;
    const QTime from = QTime::fromString(start, QStringLiteral("HH:mm"));
    const VisitInput visit = ownVisit(QStringLiteral("700001"), visitDate, from, from.addSecs(30 * 60));
    const QDateTime now =
        odis::test::local(visitDate.toString(Qt::ISODate) + QStringLiteral(" 19:00"), policy.zone);
    const auto updates = odis::test::plannerOf(policy).plan({visit}, {}, now);
    QVERIFY(updates.has_value());
    QCOMPARE(updates->size(), 1);
    const DischargeDecision& decision = updates->first().decision;
    QCOMPARE(decision.wireReason() +
                 (decision.scheduledFor.isValid()
                      ? QLatin1Char(' ') + odis::test::wall(decision.scheduledFor, policy.zone)
                      : QString()),
             expected);
}

QTEST_GUILESS_MAIN(TstDischargePlanner)
#include "tst_discharge_planner.moc"
