// The decision table (docs/discharge-rules.md, "Decision: first rule that applies wins"): every rule
// with rows that hit and rows that just miss, first-rule-wins ordering, the trace, and the re-check of
// a planned call.

#include "sync/core/discharge_rules.h"
#include "tests/unit/discharge_fixtures.h"

#include <QTest>

using namespace odis::sync;
using odis::test::finishedVisit;
using odis::test::with;

namespace {

// now: Thursday 2026-03-12 12:00 PDT; finishedVisit() ended Tuesday 10:30 PDT, 49.5 hours earlier.
const QDateTime kNow = odis::test::utc("2026-03-12T19:00:00Z");

const QList<DecisionReason> kTableOrder{
    DecisionReason::Block,           DecisionReason::Cancelled, DecisionReason::NoShow,
    DecisionReason::NotFinished,     DecisionReason::EndOfLife, DecisionReason::Type,
    DecisionReason::NoPhone,         DecisionReason::TooOld,    DecisionReason::Disabled,
    DecisionReason::WaitingForNotes, DecisionReason::Planned};

const QList<DecisionReason> kRecheckOrder{DecisionReason::Removed, DecisionReason::Cancelled,
                                          DecisionReason::NoShow,  DecisionReason::EndOfLife,
                                          DecisionReason::NoPhone, DecisionReason::Planned};

// "<rule>:pass" for each rule before `hit` in `order`, then "<hit>:hit".
QStringList traceUntil(const QList<DecisionReason>& order, DecisionReason hit)
{
    QStringList trace;
    for (const DecisionReason rule : order) {
        trace.append(traceEntry(rule, rule == hit));
        if (rule == hit)
            break;
    }
    return trace;
}

// A visit that ended `minutes` before kNow (start 30 minutes earlier), in the clinic's zone.
VisitInput endedMinutesAgo(qint64 minutes)
{
    const QDateTime end = toClinicLocal(kNow.addSecs(-minutes * 60), odis::test::referencePolicy().zone);
    const QDateTime start = end.addSecs(-30 * 60);
    return with(finishedVisit(), [&](VisitInput& v) {
        v.start = {start.date(), start.time()};
        v.end = {end.date(), end.time()};
    });
}

} // namespace

class TstDischargeRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decide_data();
    void decide();
    void recheckPlanned_data();
    void recheckPlanned();
    void wireReasons();
};

void TstDischargeRules::decide_data()
{
    QTest::addColumn<VisitInput>("visit");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<int>("decision");
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("phone");

    const auto row = [](const char* name, const VisitInput& visit, DecisionKind kind, DecisionReason reason,
                        const char* phone = "+14152013344", bool enabled = true) {
        QTest::newRow(name) << visit << enabled << int(kind) << int(reason) << QString::fromLatin1(phone);
    };
    const VisitInput base = finishedVisit();
    constexpr auto Excluded = DecisionKind::Excluded;
    using enum DecisionReason;

    row("planned", base, DecisionKind::Planned, Planned, "+14152013344");
    // 1 block (a block or roster row has no client, so no number either)
    row("block", with(base, [](VisitInput& v) { v.isBlock = true; }), Excluded, Block, "");
    row("roster", with(base, [](VisitInput& v) { v.isRoster = true; }), Excluded, Block, "");
    row("block wins over everything",
        with(base,
             [](VisitInput& v) {
                 v.isBlock = true;
                 v.status = VisitStatus::Cancelled;
                 v.appointmentType = QStringLiteral("Euthanasia");
             }),
        Excluded, Block, "");
    // 2 cancelled / no_show
    row("cancelled", with(base, [](VisitInput& v) { v.status = VisitStatus::Cancelled; }), Excluded,
        Cancelled);
    row("no show", with(base, [](VisitInput& v) { v.status = VisitStatus::NoShow; }), Excluded, NoShow);
    row("cancelled wins over end of life",
        with(base,
             [](VisitInput& v) {
                 v.status = VisitStatus::Cancelled;
                 v.notesHtml = QStringLiteral("PTS");
             }),
        Excluded, Cancelled);
    // 3 not_finished
    row("scheduled", with(base, [](VisitInput& v) { v.status = VisitStatus::Scheduled; }), Excluded,
        NotFinished);
    row("checked in", with(base, [](VisitInput& v) { v.status = VisitStatus::CheckedIn; }), Excluded,
        NotFinished);
    row("in progress", with(base, [](VisitInput& v) { v.status = VisitStatus::InProgress; }), Excluded,
        NotFinished);
    row("unknown status", with(base, [](VisitInput& v) { v.status = VisitStatus::Unknown; }), Excluded,
        NotFinished);
    row("not finished wins over end of life",
        with(base,
             [](VisitInput& v) {
                 v.status = VisitStatus::InProgress;
                 v.appointmentType = QStringLiteral("Euthanasia");
             }),
        Excluded, NotFinished);
    // 4 end_of_life, in every text it is looked for
    row("eol in type", with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Euthanasia"); }),
        Excluded, EndOfLife);
    row("eol in reason", with(base, [](VisitInput& v) { v.reason = QStringLiteral("QOL / PTS discussion"); }),
        Excluded, EndOfLife);
    row("eol in notes html",
        with(base,
             [](VisitInput& v) { v.notesHtml = QStringLiteral("<p>Owner: <i>passed away</i> at home</p>"); }),
        Excluded, EndOfLife);
    row("eol in discharge summary",
        with(base, [](VisitInput& v) { v.dischargeSummary = QStringLiteral("DOA"); }), Excluded, EndOfLife);
    row("eol in declined product line",
        with(base,
             [](VisitInput& v) { v.productLines.append(QStringLiteral("Private cremation (declined)")); }),
        Excluded, EndOfLife);
    row("eol clinic keyword",
        with(base, [](VisitInput& v) { v.productLines.append(QStringLiteral("Memorial paw print")); }),
        Excluded, EndOfLife);
    row("eol wins over excluded type",
        with(base,
             [](VisitInput& v) {
                 v.appointmentType = QStringLiteral("Groomer");
                 v.notesHtml = QStringLiteral("euthanized");
             }),
        Excluded, EndOfLife);
    row("eol wins over no phone",
        with(base,
             [](VisitInput& v) {
                 v.reason = QStringLiteral("cremation");
                 v.phones = {};
             }),
        Excluded, EndOfLife, "");
    row("eol miss: ptsd", with(base, [](VisitInput& v) { v.notesHtml = QStringLiteral("PTSD follow-up"); }),
        DecisionKind::Planned, Planned, "+14152013344");
    row("eol miss: attribute",
        with(base, [](VisitInput& v) { v.notesHtml = QStringLiteral("<span class=\"pts\">ok</span>"); }),
        DecisionKind::Planned, Planned, "+14152013344");
    row("eol miss: phrase split across fields",
        with(base,
             [](VisitInput& v) {
                 v.appointmentType = QStringLiteral("passed");
                 v.reason = QStringLiteral("away");
             }),
        DecisionKind::Planned, Planned, "+14152013344");
    // 5 type
    row("excluded type", with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer"); }),
        Excluded, Type);
    row("excluded type case and spaces",
        with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("  bOARDING "); }), Excluded, Type);
    row("type wins over no phone",
        with(base,
             [](VisitInput& v) {
                 v.appointmentType = QStringLiteral("Boarding");
                 v.phones = {};
             }),
        Excluded, Type, "");
    row("type miss: contains an excluded type",
        with(base, [](VisitInput& v) { v.appointmentType = QStringLiteral("Groomer visit"); }),
        DecisionKind::Planned, Planned, "+14152013344");
    // 6 no_phone
    row("no phone", with(base, [](VisitInput& v) { v.phones = {}; }), Excluded, NoPhone, "");
    row("no phone: only invalid numbers",
        with(base,
             [](VisitInput& v) {
                 v.phones = {QStringLiteral("201-3344"), QStringLiteral("415-201-3344 x1"), QString(),
                             QStringLiteral("n/a")};
             }),
        Excluded, NoPhone, "");
    row("no phone wins over too old",
        with(endedMinutesAgo(10 * 24 * 60), [](VisitInput& v) { v.phones = {}; }), Excluded, NoPhone, "");
    row("phone miss: home only",
        with(base,
             [](VisitInput& v) {
                 v.phones = {{}, {}, {}, QStringLiteral("+1 415 201 9999")};
             }),
        DecisionKind::Planned, Planned, "+14152019999");
    // 7 too_old: more than 3 x 24 h after the end
    row("too old by a minute", endedMinutesAgo(3 * 24 * 60 + 1), Excluded, TooOld, "+14152013344");
    row("too old miss: exactly 3 days", endedMinutesAgo(3 * 24 * 60), DecisionKind::Planned, Planned,
        "+14152013344");
    row("too old without an end uses the start",
        with(endedMinutesAgo(3 * 24 * 60 - 10),
             [](VisitInput& v) {
                 v.start = v.end;
                 v.start.time = v.start.time.addSecs(-20 * 60);
                 v.end = {};
             }),
        Excluded, TooOld, "+14152013344");
    row("too old wins over disabled", endedMinutesAgo(5 * 24 * 60), Excluded, TooOld, "+14152013344", false);
    // 8 disabled
    row("disabled", base, Excluded, Disabled, "+14152013344", false);
    row("disabled wins over waiting for notes", with(base, [](VisitInput& v) { v.consultationRead = false; }),
        Excluded, Disabled, "+14152013344", false);
    // 9 waiting_for_notes
    row("consultation not read", with(base, [](VisitInput& v) { v.consultationRead = false; }),
        DecisionKind::WaitingForNotes, WaitingForNotes, "+14152013344");
    row("no consultation",
        with(base,
             [](VisitInput& v) {
                 v.consultationId.clear();
                 v.consultationRead = false;
                 v.notesHtml.clear();
             }),
        DecisionKind::WaitingForNotes, WaitingForNotes, "+14152013344");
    row("notes only markup and white space",
        with(base,
             [](VisitInput& v) {
                 v.notesHtml = QStringLiteral("<p>&nbsp;</p>\n<div><br></div>");
                 v.dischargeSummary = QStringLiteral("  ");
             }),
        DecisionKind::WaitingForNotes, WaitingForNotes, "+14152013344");
    row("waiting miss: summary only",
        with(base,
             [](VisitInput& v) {
                 v.notesHtml.clear();
                 v.dischargeSummary = QStringLiteral("Rest for 2 days.");
             }),
        DecisionKind::Planned, Planned, "+14152013344");
    row("waiting miss: one visible character",
        with(base, [](VisitInput& v) { v.notesHtml = QStringLiteral("<p>.</p>"); }), DecisionKind::Planned,
        Planned, "+14152013344");
}

void TstDischargeRules::decide()
{
    QFETCH(VisitInput, visit);
    QFETCH(bool, enabled);
    QFETCH(int, decision);
    QFETCH(int, reason);
    QFETCH(QString, phone);

    ClinicPolicy policy = odis::test::referencePolicy();
    policy.discharge.enabled = enabled;
    const DischargeRules rules(policy);
    const RuleVerdict verdict = rules.decide(visit, kNow);
    QCOMPARE(decisionKindCode(verdict.kind), decisionKindCode(DecisionKind(decision)));
    QCOMPARE(reasonCode(verdict.reason), reasonCode(DecisionReason(reason)));
    QCOMPARE(verdict.ruleTrace, traceUntil(kTableOrder, DecisionReason(reason)));
    QCOMPARE(verdict.customerPhone, phone);
    QCOMPARE(rules.decide(visit, kNow), verdict); // pure
}

void TstDischargeRules::recheckPlanned_data()
{
    QTest::addColumn<VisitInput>("visit");
    QTest::addColumn<int>("decision");
    QTest::addColumn<int>("reason");
    QTest::addColumn<QString>("phone");

    const VisitInput base = finishedVisit();
    const auto cancelled = [](const char* name, const VisitInput& visit, DecisionReason reason,
                              const char* phone = "+14152013344") {
        QTest::newRow(name) << visit << int(DecisionKind::Cancelled) << int(reason)
                            << QString::fromLatin1(phone);
    };
    const auto kept = [](const char* name, const VisitInput& visit, const char* phone) {
        QTest::newRow(name) << visit << int(DecisionKind::Planned) << int(DecisionReason::Planned)
                            << QString::fromLatin1(phone);
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
    cancelled("phone gone", with(base, [](VisitInput& v) { v.phones = {}; }), DecisionReason::NoPhone, "");
    cancelled("now a block row", with(base, [](VisitInput& v) { v.isBlock = true; }), DecisionReason::NoPhone,
              "");
    kept("still fine", base, "+14152013344");
    kept("new number is taken",
         with(base, [](VisitInput& v) { v.phones.mobile = QStringLiteral("415-777-0000"); }), "+14157770000");
    // Only the five causes un-plan a call.
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

void TstDischargeRules::recheckPlanned()
{
    QFETCH(VisitInput, visit);
    QFETCH(int, decision);
    QFETCH(int, reason);
    QFETCH(QString, phone);

    const DischargeRules rules(odis::test::referencePolicy());
    const RuleVerdict verdict = rules.recheckPlanned(visit);
    QCOMPARE(decisionKindCode(verdict.kind), decisionKindCode(DecisionKind(decision)));
    QCOMPARE(reasonCode(verdict.reason), reasonCode(DecisionReason(reason)));
    QCOMPARE(verdict.ruleTrace, traceUntil(kRecheckOrder, DecisionReason(reason)));
    QCOMPARE(verdict.customerPhone, phone);
}

void TstDischargeRules::wireReasons()
{
    using enum DecisionReason;
    QCOMPARE(wireReason(DecisionKind::Excluded, EndOfLife), QStringLiteral("excluded:end_of_life"));
    QCOMPARE(wireReason(DecisionKind::Excluded, Block), QStringLiteral("excluded:block"));
    QCOMPARE(wireReason(DecisionKind::Excluded, NoShow), QStringLiteral("excluded:no_show"));
    QCOMPARE(wireReason(DecisionKind::WaitingForNotes, WaitingForNotes), QStringLiteral("waiting_for_notes"));
    QCOMPARE(wireReason(DecisionKind::Planned, Planned), QStringLiteral("planned"));
    QCOMPARE(wireReason(DecisionKind::Cancelled, Removed), QStringLiteral("cancelled:removed"));
    QCOMPARE(wireReason(DecisionKind::Cancelled, NoPhone), QStringLiteral("cancelled:no_phone"));
    // Combinations the rules never produce have no wire form and are refused on the way back.
    QCOMPARE(wireReason(DecisionKind::Excluded, Removed), QString());
    QCOMPARE(wireReason(DecisionKind::Cancelled, Type), QString());
    QCOMPARE(wireReason(DecisionKind::Planned, Block), QString());
    QVERIFY(reasonFromWire(DecisionKind::Excluded, u"excluded:too_old") == TooOld);
    QVERIFY(reasonFromWire(DecisionKind::Cancelled, u"cancelled:end_of_life") == EndOfLife);
    QVERIFY(!reasonFromWire(DecisionKind::Cancelled, u"excluded:too_old"));
    QVERIFY(!reasonFromWire(DecisionKind::Cancelled, u"cancelled:type"));
    QVERIFY(!reasonFromWire(DecisionKind::Excluded, u"excluded:"));
    QVERIFY(reasonFromWire(DecisionKind::Planned, u"planned") == Planned);
}

QTEST_GUILESS_MAIN(TstDischargeRules)
#include "tst_discharge_rules.moc"
