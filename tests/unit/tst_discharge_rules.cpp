// The decision table (docs/discharge-rules.md, "Decision: first rule that applies wins"): every rule
// with rows that hit and rows that just miss, first-rule-wins ordering, the trace with its details, the
// age measured at the call, the patient's finding, and the re-check of a live call.

#include "sync/core/discharge_rules.h"
#include "tests/unit/discharge_fixtures.h"

#include <QTest>

using namespace odis::sync;
using odis::test::finishedVisit;
using odis::test::with;

namespace {

// now: Thursday 2026-03-12 12:00 PDT; finishedVisit() ended Tuesday 10:30 PDT, and its call (Tuesday + 2
// days at 16:00) is Thursday 16:00 PDT, 2 days 5.5 hours after the end.
const QDateTime kNow = odis::test::utc("2026-03-12T19:00:00Z");
const QDateTime kVisitEnd = odis::test::utc("2026-03-10T17:30:00Z");

const QList<DecisionReason> kTableOrder{DecisionReason::Block,
                                        DecisionReason::Cancelled,
                                        DecisionReason::NoShow,
                                        DecisionReason::NotFinished,
                                        DecisionReason::EndOfLife,
                                        DecisionReason::EndOfLifePossible,
                                        DecisionReason::EndOfLifePatient,
                                        DecisionReason::Type,
                                        DecisionReason::NoPhone,
                                        DecisionReason::TooOld,
                                        DecisionReason::Disabled,
                                        DecisionReason::WaitingForNotes,
                                        DecisionReason::Planned};

const QList<DecisionReason> kRecheckOrder{DecisionReason::Removed,
                                          DecisionReason::Cancelled,
                                          DecisionReason::NoShow,
                                          DecisionReason::EndOfLife,
                                          DecisionReason::EndOfLifePossible,
                                          DecisionReason::EndOfLifePatient,
                                          DecisionReason::NoPhone,
                                          DecisionReason::TooOld,
                                          DecisionReason::Planned};

// "<rule>:pass" for each rule before `hit` in `order`, then "<hit>:hit" with `detail`.
QStringList traceUntil(const QList<DecisionReason>& order, DecisionReason hit, const QString& detail)
{
    QStringList trace;
    for (const DecisionReason rule : order) {
        trace.append(rule == hit ? traceEntry(rule, detail) : traceEntry(rule, false));
        if (rule == hit)
            break;
    }
    return trace;
}

const PatientFinding kFinding{QStringLiteral("4482913"), QStringLiteral("482000"), DecisionReason::EndOfLife,
                              QStringLiteral("notes: euthanasia")};

} // namespace

class TstDischargeRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decide_data();
    void decide();
    void recheckCall_data();
    void recheckCall();
    void recheckUnreadCall();
    void traceDetailIsBounded();
    void wireReasons();
};

void TstDischargeRules::decide_data()
{
    QTest::addColumn<VisitInput>("visit");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("finding");       // the patient has kFinding
    QTest::addColumn<QDateTime>("callTime"); // invalid: the proposed time (Thursday 16:00)
    QTest::addColumn<int>("decision");
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("detail"); // of the hit
    QTest::addColumn<QString>("phone");

    struct Row
    {
        VisitInput visit;
        DecisionKind kind;
        DecisionReason reason;
        const char* detail = "";
        const char* phone = "+14152013344";
        bool enabled = true;
        bool finding = false;
        QDateTime callTime;
    };
    const auto row = [](const char* name, const Row& r) {
        QTest::newRow(name) << r.visit << r.enabled << r.finding << r.callTime << int(r.kind) << int(r.reason)
                            << QString::fromUtf8(r.detail) << QString::fromLatin1(r.phone);
    };
    const VisitInput base = finishedVisit();
    constexpr auto Excluded = DecisionKind::Excluded;
    using enum DecisionReason;
    const auto withVisit = [&](auto change) { return with(base, change); };

    row("planned", {base, DecisionKind::Planned, Planned});
    // 1 block (a block or roster row has no client, so no number either)
    row("block", {withVisit([](VisitInput& v) { v.isBlock = true; }), Excluded, Block, "", ""});
    row("roster", {withVisit([](VisitInput& v) { v.isRoster = true; }), Excluded, Block, "", ""});
    row("block wins over everything", {withVisit([](VisitInput& v) {
                                           v.isBlock = true;
                                           v.status = VisitStatus::Cancelled;
                                           v.appointmentType = QStringLiteral("Euthanasia");
                                       }),
                                       Excluded, Block, "", "", true, true});
    // 2 cancelled / no_show
    row("cancelled",
        {withVisit([](VisitInput& v) { v.status = VisitStatus::Cancelled; }), Excluded, Cancelled});
    row("no show", {withVisit([](VisitInput& v) { v.status = VisitStatus::NoShow; }), Excluded, NoShow});
    row("cancelled wins over end of life", {withVisit([](VisitInput& v) {
                                                v.status = VisitStatus::Cancelled;
                                                v.notesHtml = QStringLiteral("PTS");
                                            }),
                                            Excluded, Cancelled});
    // 3 not_finished
    row("scheduled",
        {withVisit([](VisitInput& v) { v.status = VisitStatus::Scheduled; }), Excluded, NotFinished});
    row("checked in",
        {withVisit([](VisitInput& v) { v.status = VisitStatus::CheckedIn; }), Excluded, NotFinished});
    row("in progress",
        {withVisit([](VisitInput& v) { v.status = VisitStatus::InProgress; }), Excluded, NotFinished});
    row("unknown status",
        {withVisit([](VisitInput& v) { v.status = VisitStatus::Unknown; }), Excluded, NotFinished});
    row("not finished wins over end of life and the patient",
        {withVisit([](VisitInput& v) {
             v.status = VisitStatus::InProgress;
             v.appointmentType = QStringLiteral("Euthanasia");
         }),
         Excluded, NotFinished, "", "+14152013344", true, true});
    // 4a end_of_life, in every text it is looked for, with the words in the trace
    row("eol in type", {withVisit([](VisitInput& v) { v.appointmentType = QStringLiteral("Euthanasia"); }),
                        Excluded, EndOfLife, "type: euthanasia"});
    row("eol in reason", {withVisit([](VisitInput& v) { v.reason = QStringLiteral("QOL / PTS discussion"); }),
                          Excluded, EndOfLife, "reason: pts"});
    row("eol in notes html", {withVisit([](VisitInput& v) {
                                  v.notesHtml = QStringLiteral("<p>Owner: <i>passed away</i> at home</p>");
                              }),
                              Excluded, EndOfLife, "notes: passed away"});
    row("eol in discharge summary",
        {withVisit([](VisitInput& v) { v.dischargeSummary = QStringLiteral("DOA"); }), Excluded, EndOfLife,
         "summary: doa"});
    row("eol in declined product line",
        {withVisit(
             [](VisitInput& v) { v.productLines.append(QStringLiteral("Private cremation (declined)")); }),
         Excluded, EndOfLife, "product line: cremation"});
    row("eol two words in one line",
        {withVisit([](VisitInput& v) { v.productLines.append(QStringLiteral("Memorial paw-print")); }),
         Excluded, EndOfLife, "product line: memorial, paw print"});
    row("eol in several fields, each with its words",
        {withVisit([](VisitInput& v) {
             v.appointmentType = QStringLiteral("Euthanasia");
             v.notesHtml = QStringLiteral("Put to sleep; communal cremation; PTS");
             v.productLines.append(QStringLiteral("Urn - cedar"));
         }),
         Excluded, EndOfLife, "type: euthanasia; notes: put to sleep, cremation, pts; product line: urn"});
    row("eol wins over possible", {withVisit([](VisitInput& v) {
                                       v.reason = QStringLiteral("Quality of life");
                                       v.notesHtml = QStringLiteral("euthanized");
                                   }),
                                   Excluded, EndOfLife, "notes: euthanized"});
    row("eol wins over excluded type", {withVisit([](VisitInput& v) {
                                            v.appointmentType = QStringLiteral("Groomer");
                                            v.notesHtml = QStringLiteral("euthanized");
                                        }),
                                        Excluded, EndOfLife, "notes: euthanized"});
    row("eol wins over no phone", {withVisit([](VisitInput& v) {
                                       v.reason = QStringLiteral("cremation");
                                       v.phones = {};
                                   }),
                                   Excluded, EndOfLife, "reason: cremation", ""});
    row("eol miss: look-alikes", {withVisit([](VisitInput& v) {
                                      v.notesHtml = QStringLiteral("PTSD follow-up; two attempts; euthyroid; "
                                                                   "Dr Leuthardt; passed urine");
                                  }),
                                  DecisionKind::Planned, Planned});
    row("eol miss: attribute",
        {withVisit([](VisitInput& v) { v.notesHtml = QStringLiteral("<span class=\"pts\">ok</span>"); }),
         DecisionKind::Planned, Planned});
    row("eol miss: phrase split across fields", {withVisit([](VisitInput& v) {
                                                     v.appointmentType = QStringLiteral("passed");
                                                     v.reason = QStringLiteral("away");
                                                 }),
                                                 DecisionKind::Planned, Planned});
    // 4b end_of_life_possible
    row("possible in reason",
        {withVisit([](VisitInput& v) { v.reason = QStringLiteral("Quality of life consult"); }), Excluded,
         EndOfLifePossible, "reason: quality of life"});
    row("possible in notes",
        {withVisit([](VisitInput& v) { v.notesHtml = QStringLiteral("Hospice; palliative care"); }), Excluded,
         EndOfLifePossible, "notes: hospice, palliative"});
    row("possible in a product line",
        {withVisit([](VisitInput& v) { v.productLines.append(QStringLiteral("Comfort care kit")); }),
         Excluded, EndOfLifePossible, "product line: comfort care"});
    row("possible wins over the patient",
        {withVisit([](VisitInput& v) { v.dischargeSummary = QStringLiteral("QOL"); }), Excluded,
         EndOfLifePossible, "summary: qol", "+14152013344", true, true});
    // 4c end_of_life_patient
    row("patient finding", {base, Excluded, EndOfLifePatient,
                            "appointment 482000 end_of_life notes: euthanasia", "+14152013344", true, true});
    row("patient finding wins over type, phone and age",
        {withVisit([](VisitInput& v) {
             v.appointmentType = QStringLiteral("Groomer");
             v.phones = {};
         }),
         Excluded, EndOfLifePatient, "appointment 482000 end_of_life notes: euthanasia", "", true, true,
         kVisitEnd.addDays(10)});
    // 5 type
    row("excluded type", {withVisit([](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer"); }),
                          Excluded, Type, "Groomer"});
    row("excluded type case and spaces",
        {withVisit([](VisitInput& v) { v.appointmentType = QStringLiteral("  bOARDING "); }), Excluded, Type,
         "bOARDING"});
    row("type wins over no phone", {withVisit([](VisitInput& v) {
                                        v.appointmentType = QStringLiteral("Boarding");
                                        v.phones = {};
                                    }),
                                    Excluded, Type, "Boarding", ""});
    row("type miss: contains an excluded type",
        {withVisit([](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer visit"); }),
         DecisionKind::Planned, Planned});
    // 6 no_phone
    row("no phone", {withVisit([](VisitInput& v) { v.phones = {}; }), Excluded, NoPhone, "", ""});
    row("no phone: only invalid numbers", {withVisit([](VisitInput& v) {
                                               v.phones = {QStringLiteral("201-3344"),
                                                           QStringLiteral("415-201-3344 x1"), QString(),
                                                           QStringLiteral("n/a")};
                                           }),
                                           Excluded, NoPhone, "", ""});
    row("no phone wins over too old", {withVisit([](VisitInput& v) { v.phones = {}; }), Excluded, NoPhone, "",
                                       "", true, false, kVisitEnd.addDays(10)});
    row("phone miss: home only", {withVisit([](VisitInput& v) {
                                      v.phones = {{}, {}, {}, QStringLiteral("+1 415 201 9999")};
                                  }),
                                  DecisionKind::Planned, Planned, "", "+14152019999"});
    // 7 too_old, measured at the call: more than 3 x 24 h after the end
    row("too old at the call by a minute",
        {base, Excluded, TooOld, "ended 2026-03-10 10:30, call 2026-03-13 10:31, limit 3 days",
         "+14152013344", true, false, kVisitEnd.addSecs(3 * 24 * 3600 + 60)});
    row("too old miss: exactly 3 days at the call", {base, DecisionKind::Planned, Planned, "", "+14152013344",
                                                     true, false, kVisitEnd.addSecs(3 * 24 * 3600)});
    row("too old at the proposed time, not at now",
        {withVisit([](VisitInput& v) {
             // Friday 2026-03-06 ends at 10:30; Sunday is closed, so the call would be Monday 16:00: 3 days
             // 4.5 hours later. At noon on Friday the visit is not old at all.
             v.start = {QDate(2026, 3, 6), QTime(10, 0)};
             v.end = {QDate(2026, 3, 6), QTime(10, 30)};
         }),
         Excluded, TooOld, "ended 2026-03-06 10:30, call 2026-03-09 16:00, limit 3 days"});
    row("too old without an end uses the start",
        {withVisit([](VisitInput& v) { v.end = {}; }), Excluded, TooOld,
         "ended 2026-03-10 10:00, call 2026-03-13 10:01, limit 3 days", "+14152013344", true, false,
         odis::test::utc("2026-03-13T17:01:00Z")});
    row("too old wins over disabled",
        {base, Excluded, TooOld, "ended 2026-03-10 10:30, call 2026-03-20 10:30, limit 3 days",
         "+14152013344", false, false, kVisitEnd.addDays(10)});
    // 8 disabled
    row("disabled", {base, Excluded, Disabled, "", "+14152013344", false});
    row("disabled wins over waiting for notes", {withVisit([](VisitInput& v) { v.consultationRead = false; }),
                                                 Excluded, Disabled, "", "+14152013344", false});
    // 9 waiting_for_notes
    row("consultation not read", {withVisit([](VisitInput& v) { v.consultationRead = false; }),
                                  DecisionKind::WaitingForNotes, WaitingForNotes});
    row("no consultation", {withVisit([](VisitInput& v) {
                                v.consultationId.clear();
                                v.consultationRead = false;
                                v.notesHtml.clear();
                            }),
                            DecisionKind::WaitingForNotes, WaitingForNotes});
    row("notes only markup and white space", {withVisit([](VisitInput& v) {
                                                  v.notesHtml =
                                                      QStringLiteral("<p>&nbsp;</p>\n<div><br></div>");
                                                  v.dischargeSummary = QStringLiteral("  ");
                                              }),
                                              DecisionKind::WaitingForNotes, WaitingForNotes});
    row("waiting miss: summary only", {withVisit([](VisitInput& v) {
                                           v.notesHtml.clear();
                                           v.dischargeSummary = QStringLiteral("Rest for 2 days.");
                                       }),
                                       DecisionKind::Planned, Planned});
    row("waiting miss: one visible character",
        {withVisit([](VisitInput& v) { v.notesHtml = QStringLiteral("<p>.</p>"); }), DecisionKind::Planned,
         Planned});
}

void TstDischargeRules::decide()
{
    QFETCH(VisitInput, visit);
    QFETCH(bool, enabled);
    QFETCH(bool, finding);
    QFETCH(QDateTime, callTime);
    QFETCH(int, decision);
    QFETCH(int, reason);
    QFETCH(QString, detail);
    QFETCH(QString, phone);

    ClinicPolicy policy = odis::test::referencePolicy();
    policy.discharge.enabled = enabled;
    const DischargeRules rules = odis::test::rulesOf(policy);
    const QDateTime now =
        visit.start.date == QDate(2026, 3, 6) ? odis::test::utc("2026-03-06T20:00:00Z") : kNow;
    const PatientFinding* patient = finding ? &kFinding : nullptr;
    const RuleVerdict verdict = rules.decide(visit, now, patient, callTime);
    QCOMPARE(decisionKindCode(verdict.kind), decisionKindCode(DecisionKind(decision)));
    QCOMPARE(reasonCode(verdict.reason), reasonCode(DecisionReason(reason)));
    QCOMPARE(verdict.ruleTrace, traceUntil(kTableOrder, DecisionReason(reason), detail));
    QCOMPARE(verdict.customerPhone, phone);
    QCOMPARE(rules.decide(visit, now, patient, callTime), verdict); // pure
}

void TstDischargeRules::recheckCall_data()
{
    QTest::addColumn<VisitInput>("visit");
    QTest::addColumn<bool>("finding");
    QTest::addColumn<QDateTime>("callTime");
    QTest::addColumn<int>("decision");
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("phone");

    const VisitInput base = finishedVisit();
    const QDateTime thursday = odis::test::utc("2026-03-12T23:00:00Z");
    const auto cancelled = [&](const char* name, const VisitInput& visit, DecisionReason reason,
                               const char* phone = "+14152013344", bool finding = false,
                               const QDateTime& at = QDateTime()) {
        QTest::newRow(name) << visit << finding << (at.isValid() ? at : thursday)
                            << int(DecisionKind::Cancelled) << int(reason) << QString::fromLatin1(phone);
    };
    const auto kept = [&](const char* name, const VisitInput& visit, const char* phone) {
        QTest::newRow(name) << visit << false << thursday << int(DecisionKind::Planned)
                            << int(DecisionReason::Planned) << QString::fromLatin1(phone);
    };
    cancelled("removed from neo", with(base, [](VisitInput& v) { v.removedFromNeo = true; }),
              DecisionReason::Removed);
    cancelled("removed wins",
              with(base,
                   [](VisitInput& v) {
                       v.removedFromNeo = true;
                       v.status = VisitStatus::Cancelled;
                   }),
              DecisionReason::Removed);
    cancelled("now cancelled", with(base, [](VisitInput& v) { v.status = VisitStatus::Cancelled; }),
              DecisionReason::Cancelled);
    cancelled("now no show", with(base, [](VisitInput& v) { v.status = VisitStatus::NoShow; }),
              DecisionReason::NoShow);
    cancelled("notes now mention end of life",
              with(base, [](VisitInput& v) { v.notesHtml += QStringLiteral("<p>Update: passed away</p>"); }),
              DecisionReason::EndOfLife);
    cancelled("type now end of life",
              with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Euthanasia"); }),
              DecisionReason::EndOfLife);
    cancelled("line now cremation",
              with(base, [](VisitInput& v) { v.productLines.append(QStringLiteral("Cremation")); }),
              DecisionReason::EndOfLife);
    cancelled("summary now hospice",
              with(base, [](VisitInput& v) { v.dischargeSummary = QStringLiteral("Hospice"); }),
              DecisionReason::EndOfLifePossible);
    cancelled("the patient died since", base, DecisionReason::EndOfLifePatient, "+14152013344", true);
    cancelled("phone gone", with(base, [](VisitInput& v) { v.phones = {}; }), DecisionReason::NoPhone, "");
    cancelled("now a block row", with(base, [](VisitInput& v) { v.isBlock = true; }), DecisionReason::NoPhone,
              "");
    cancelled("its time is now too late for the visit", base, DecisionReason::TooOld, "+14152013344", false,
              kVisitEnd.addSecs(3 * 24 * 3600 + 60));
    kept("still fine", base, "+14152013344");
    kept("new number is taken",
         with(base, [](VisitInput& v) { v.phones.mobile = QStringLiteral("415-777-0000"); }), "+14157770000");
    // Only those causes un-plan a call.
    kept("type now excluded keeps the call",
         with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer"); }), "+14152013344");
    kept("status back to in progress keeps the call",
         with(base, [](VisitInput& v) { v.status = VisitStatus::InProgress; }), "+14152013344");
    kept("notes gone keeps the call",
         with(base,
              [](VisitInput& v) {
                  v.notesHtml.clear();
                  v.consultationRead = false;
              }),
         "+14152013344");
}

void TstDischargeRules::recheckCall()
{
    QFETCH(VisitInput, visit);
    QFETCH(bool, finding);
    QFETCH(QDateTime, callTime);
    QFETCH(int, decision);
    QFETCH(int, reason);
    QFETCH(QString, phone);

    const DischargeRules rules = odis::test::rulesOf(odis::test::referencePolicy());
    const RuleVerdict verdict = rules.recheckCall(visit, callTime, finding ? &kFinding : nullptr);
    QCOMPARE(decisionKindCode(verdict.kind), decisionKindCode(DecisionKind(decision)));
    QCOMPARE(reasonCode(verdict.reason), reasonCode(DecisionReason(reason)));
    QCOMPARE(verdict.ruleTrace.size(), kRecheckOrder.indexOf(DecisionReason(reason)) + 1);
    QVERIFY(verdict.ruleTrace.last().startsWith(reasonCode(DecisionReason(reason)) + QStringLiteral(":hit")));
    QCOMPARE(verdict.customerPhone, phone);
}

void TstDischargeRules::recheckUnreadCall()
{
    // A visit not read in this run: its stored state may be stale, so only the patient and the age count.
    const DischargeRules rules = odis::test::rulesOf(odis::test::referencePolicy());
    const VisitInput stale = with(finishedVisit(), [](VisitInput& v) {
        v.status = VisitStatus::Cancelled;
        v.phones = {};
    });
    const QDateTime thursday = odis::test::utc("2026-03-12T23:00:00Z");
    const RuleVerdict kept = rules.recheckUnreadCall(stale, thursday, nullptr);
    QCOMPARE(kept.kind, DecisionKind::Planned);
    QCOMPARE(kept.ruleTrace, (QStringList{"end_of_life_patient:pass", "too_old:pass", "planned:hit"}));
    const RuleVerdict patient = rules.recheckUnreadCall(stale, thursday, &kFinding);
    QCOMPARE(patient.kind, DecisionKind::Cancelled);
    QCOMPARE(patient.reason, DecisionReason::EndOfLifePatient);
    const RuleVerdict old = rules.recheckUnreadCall(stale, kVisitEnd.addDays(4), nullptr);
    QCOMPARE(old.reason, DecisionReason::TooOld);
}

void TstDischargeRules::traceDetailIsBounded()
{
    // A detail is one line and never longer than kTraceDetailMax, whatever a clinic types.
    const QString detail = traceEntry(DecisionReason::Type, QStringLiteral("a\nb ") + QString(1000, u'x'));
    QVERIFY(detail.startsWith(QStringLiteral("type:hit a b xxx")));
    QVERIFY(!detail.contains(QLatin1Char('\n')));
    QCOMPARE(detail.size(), QStringLiteral("type:hit ").size() + kTraceDetailMax);
    QVERIFY(detail.endsWith(QStringLiteral("...")));
    QCOMPARE(traceEntry(DecisionReason::Type, QString()), QStringLiteral("type:hit"));
}

void TstDischargeRules::wireReasons()
{
    using enum DecisionReason;
    QCOMPARE(wireReason(DecisionKind::Excluded, EndOfLife), QStringLiteral("excluded:end_of_life"));
    QCOMPARE(wireReason(DecisionKind::Excluded, EndOfLifePossible),
             QStringLiteral("excluded:end_of_life_possible"));
    QCOMPARE(wireReason(DecisionKind::Excluded, EndOfLifePatient),
             QStringLiteral("excluded:end_of_life_patient"));
    QCOMPARE(wireReason(DecisionKind::Excluded, Block), QStringLiteral("excluded:block"));
    QCOMPARE(wireReason(DecisionKind::Excluded, NoShow), QStringLiteral("excluded:no_show"));
    QCOMPARE(wireReason(DecisionKind::WaitingForNotes, WaitingForNotes), QStringLiteral("waiting_for_notes"));
    QCOMPARE(wireReason(DecisionKind::Planned, Planned), QStringLiteral("planned"));
    QCOMPARE(wireReason(DecisionKind::Grouped, Grouped), QStringLiteral("grouped"));
    QCOMPARE(wireReason(DecisionKind::Cancelled, Removed), QStringLiteral("cancelled:removed"));
    QCOMPARE(wireReason(DecisionKind::Cancelled, NoPhone), QStringLiteral("cancelled:no_phone"));
    QCOMPARE(wireReason(DecisionKind::Cancelled, TooOld), QStringLiteral("cancelled:too_old"));
    QCOMPARE(wireReason(DecisionKind::Cancelled, EndOfLifePatient),
             QStringLiteral("cancelled:end_of_life_patient"));
    // Combinations the rules never produce have no wire form and are refused on the way back.
    QCOMPARE(wireReason(DecisionKind::Excluded, Removed), QString());
    QCOMPARE(wireReason(DecisionKind::Excluded, Grouped), QString());
    QCOMPARE(wireReason(DecisionKind::Grouped, Planned), QString());
    QCOMPARE(wireReason(DecisionKind::Cancelled, Type), QString());
    QCOMPARE(wireReason(DecisionKind::Planned, Block), QString());
    QVERIFY(reasonFromWire(DecisionKind::Excluded, u"excluded:too_old") == TooOld);
    QVERIFY(reasonFromWire(DecisionKind::Cancelled, u"cancelled:end_of_life") == EndOfLife);
    QVERIFY(reasonFromWire(DecisionKind::Grouped, u"grouped") == Grouped);
    QVERIFY(!reasonFromWire(DecisionKind::Cancelled, u"excluded:too_old"));
    QVERIFY(!reasonFromWire(DecisionKind::Cancelled, u"cancelled:type"));
    QVERIFY(!reasonFromWire(DecisionKind::Excluded, u"excluded:"));
    QVERIFY(reasonFromWire(DecisionKind::Planned, u"planned") == Planned);
}

QTEST_GUILESS_MAIN(TstDischargeRules)
#include "tst_discharge_rules.moc"
