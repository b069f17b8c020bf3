// What a run may believe of Neo's answers (docs/idexx-neo.md, "The contract the agent checks"): which
// absences may be removals (sync/core/removal_proof.h), which destructive changes wait for a second read
// (change_guard.h), when an optional field's absence is drift (neo_field_presence.h), and how a run
// says so (run_warnings.h). Pure rules, data-driven.

#include "sync/core/change_guard.h"
#include "sync/core/neo_field_presence.h"
#include "sync/core/removal_proof.h"
#include "sync/core/run_warnings.h"

#include <QJsonArray>
#include <QTest>

using namespace odis::sync;

namespace {

const QDate kMonday(2026, 3, 9);
const QDateTime kNow(QDate(2026, 3, 12), QTime(20, 0), Qt::UTC);

ReconcileWindow window()
{
    return ReconcileWindow{kMonday, kMonday.addDays(6), true};
}

// `count` stored appointments on `day`, ids from `first`.
void store(QHash<QString, QDate>& stored, QDate day, int count, int first)
{
    for (int i = 0; i < count; ++i)
        stored.insert(QString::number(first + i), day);
}

QJsonObject appointment(const QString& status, const QString& phone)
{
    return QJsonObject{
        {"neo_appointment_id", "1"},
        {"status", status},
        {"status_raw", status == u"completed" ? "Finalized" : "In Progress"},
        {"client", QJsonObject{{"phone_e164", phone.isEmpty() ? QJsonValue() : QJsonValue(phone)},
                               {"phone_raw", phone.isEmpty() ? QJsonValue() : QJsonValue(phone)}}}};
}

QJsonObject consultation(const QString& notes, const QString& summary)
{
    return QJsonObject{{"neo_consultation_id", "9"},
                       {"notes_html", notes},
                       {"notes_text", notes},
                       {"discharge_summary", summary},
                       {"has_notes", !notes.isEmpty() || !summary.isEmpty()}};
}

} // namespace

class TstReadTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collapsedDaysHoldRemovals_data();
    void collapsedDaysHoldRemovals();
    void weekCollapseHoldsToo();
    void removalVerdicts_data();
    void removalVerdicts();

    void destructiveChangesWaitForASecondRead_data();
    void destructiveChangesWaitForASecondRead();
    void heldChangeNotSeenAgainIsDropped();
    void heldChangeOfAnItemNotReadStaysHeld();

    void optionalFieldDrift_data();
    void optionalFieldDrift();
    void baselineGrowsButNotWithDrift();

    void warningsMergeAndCap();
    void warningsLeadAndPartial();
    void warningsRoundTrip();
};

void TstReadTrust::collapsedDaysHoldRemovals_data()
{
    QTest::addColumn<int>("stored");     // on Thursday
    QTest::addColumn<int>("read");       // rows read on Thursday (ids the store does not have)
    QTest::addColumn<bool>("collapsed"); // the day cannot be trusted
    QTest::newRow("empty day") << 25 << 0 << true;
    QTest::newRow("shrunken to less than half") << 25 << 12 << true;
    QTest::newRow("half is trusted") << 24 << 12 << false;
    QTest::newRow("small day, empty") << 2 << 0 << false; // too few to judge: proof goes by getAppointment
    QTest::newRow("three, empty") << 3 << 0 << true;
}

void TstReadTrust::collapsedDaysHoldRemovals()
{
    QFETCH(int, stored);
    QFETCH(int, read);
    QFETCH(bool, collapsed);
    QHash<QString, QDate> store;
    ::store(store, kMonday.addDays(3), stored, 1000);
    ::store(store, kMonday.addDays(2), 5, 2000); // Wednesday, read in full but one
    QSet<QString> seen{QStringLiteral("2000"), QStringLiteral("2001"), QStringLiteral("2002"),
                       QStringLiteral("2003")};
    QMap<QDate, int> perDay{{kMonday.addDays(3), read}, {kMonday.addDays(2), 4}};
    const RemovalPlan plan = planRemovals(store, perDay, seen, window(), {});
    QCOMPARE(plan.collapsed.size(), collapsed ? 1 : 0);
    // Wednesday's missing one is checked individually; Thursday's wait, or are checked too.
    QVERIFY(plan.toConfirm.contains(QStringLiteral("2004")));
    QCOMPARE(plan.held.size(), collapsed ? stored : 0);
    QCOMPARE(plan.toConfirm.size(), collapsed ? 1 : stored + 1);
    for (const HeldRemoval& held : plan.held)
        QCOMPARE(held.reason, QString(removal_hold::kDayCollapsed));
}

void TstReadTrust::weekCollapseHoldsToo()
{
    QHash<QString, QDate> store;
    ::store(store, kMonday.addDays(3), 2, 1000); // too few for the store to judge
    const QList<VolumeWarning> week{VolumeWarning{kMonday.addDays(3), 0, kMonday.addDays(-4), 30}};
    const RemovalPlan plan = planRemovals(store, {}, {}, window(), week);
    QCOMPARE(plan.held.size(), 2);
    QCOMPARE(plan.collapsed.size(), 1);
    QCOMPARE(plan.collapsed.first().weekBefore, 30);
    // Outside the window nothing is a candidate at all.
    QHash<QString, QDate> old;
    ::store(old, kMonday.addDays(-3), 5, 3000);
    QVERIFY(planRemovals(old, {}, {}, window(), {}).toConfirm.isEmpty());
}

void TstReadTrust::removalVerdicts_data()
{
    QTest::addColumn<bool>("deleted");
    QTest::addColumn<QDate>("start");
    QTest::addColumn<bool>("gone");
    QTest::newRow("deleted") << true << kMonday.addDays(3) << true;
    QTest::newRow("moved out of the window") << false << kMonday.addDays(9) << true;
    QTest::newRow("moved within the window") << false << kMonday.addDays(4) << false;
    QTest::newRow("still there") << false << kMonday.addDays(3) << false;
}

void TstReadTrust::removalVerdicts()
{
    QFETCH(bool, deleted);
    QFETCH(QDate, start);
    QFETCH(bool, gone);
    NeoAppointmentDetail detail;
    detail.deleted = deleted;
    detail.start = LocalDateTime{start, QTime(10, 0)};
    QCOMPARE(removalVerdict(detail, window()) == RemovalVerdict::Gone, gone);
}

void TstReadTrust::destructiveChangesWaitForASecondRead_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonObject>("before");
    QTest::addColumn<QJsonObject>("after");
    QTest::addColumn<QString>("kind"); // "" when the change goes through at once
    const QString a = QStringLiteral("appointment:1");
    const QString c = QStringLiteral("consultation:9");
    QTest::newRow("phone removed") << a << appointment("completed", "+14155550101")
                                   << appointment("completed", "") << QString(held_kind::kPhoneRemoved);
    QTest::newRow("new phone") << a << appointment("completed", "+14155550101")
                               << appointment("completed", "+14155550199") << QString();
    QTest::newRow("first phone") << a << appointment("completed", "")
                                 << appointment("completed", "+14155550199") << QString();
    QTest::newRow("no longer finished")
        << a << appointment("completed", "+14155550101") << appointment("in_progress", "+14155550101")
        << QString(held_kind::kStatusUnfinished);
    QTest::newRow("finished at last") << a << appointment("in_progress", "+14155550101")
                                      << appointment("completed", "+14155550101") << QString();
    QTest::newRow("notes emptied") << c << consultation("Vomiting", "") << consultation("", "")
                                   << QString(held_kind::kNotesEmptied);
    QTest::newRow("summary emptied") << c << consultation("Vomiting", "Rest") << consultation("Vomiting", "")
                                     << QString(held_kind::kSummaryEmptied);
    QTest::newRow("notes edited") << c << consultation("Vomiting", "") << consultation("Vomiting x3", "")
                                  << QString();
    QTest::newRow("notes written") << c << consultation("", "") << consultation("Vomiting", "") << QString();
}

void TstReadTrust::destructiveChangesWaitForASecondRead()
{
    QFETCH(QString, key);
    QFETCH(QJsonObject, before);
    QFETCH(QJsonObject, after);
    QFETCH(QString, kind);
    QHash<QString, QJsonObject> built{{key, after}};
    const GuardResult first =
        guardDestructiveChanges(built, {{key, before}}, {}, QStringLiteral("run-1"), kNow);
    if (kind.isEmpty()) {
        QVERIFY(first.held.isEmpty());
        QCOMPARE(built.value(key), after); // at once
        return;
    }
    QCOMPARE(first.held.size(), 1);
    QCOMPARE(first.held.first().kind, kind);
    QVERIFY(first.keptKeys.contains(key));
    QCOMPARE(first.warnings.size(), 1);
    QCOMPARE(first.warnings.first().kind, kind);
    // The stored values are kept in what is stored and uploaded.
    if (kind == held_kind::kPhoneRemoved)
        QCOMPARE(built.value(key).value("client"), before.value("client"));
    if (kind == held_kind::kStatusUnfinished)
        QCOMPARE(built.value(key).value("status"), before.value("status"));
    if (kind == held_kind::kNotesEmptied || kind == held_kind::kSummaryEmptied)
        QCOMPARE(built.value(key).value("has_notes").toBool(), true);

    // The next read shows it again: confirmed, applied.
    QHash<QString, QJsonObject> again{{key, after}};
    const QHash<QString, HeldChange> held{{heldChangeId(key, kind), first.held.first()}};
    const GuardResult second = guardDestructiveChanges(again, {{key, built.value(key)}}, held,
                                                       QStringLiteral("run-2"), kNow.addSecs(3600));
    QCOMPARE(second.confirmed, 1);
    QCOMPARE(second.settled.size(), 1);
    QVERIFY(second.held.isEmpty());
    QCOMPARE(again.value(key), after);
    QVERIFY(second.warnings.isEmpty());
}

void TstReadTrust::heldChangeNotSeenAgainIsDropped()
{
    const QString key = QStringLiteral("consultation:9");
    const HeldChange change{key, QString(held_kind::kNotesEmptied), kNow, QStringLiteral("run-1")};
    QHash<QString, QJsonObject> built{{key, consultation("Vomiting", "")}};
    const GuardResult result =
        guardDestructiveChanges(built, {{key, consultation("Vomiting", "")}},
                                {{heldChangeId(key, change.kind), change}}, QStringLiteral("run-2"), kNow);
    QCOMPARE(result.settled, QList<HeldChange>{change});
    QCOMPARE(result.confirmed, 0);
    QVERIFY(result.warnings.isEmpty());
}

void TstReadTrust::heldChangeOfAnItemNotReadStaysHeld()
{
    const HeldChange change{QStringLiteral("consultation:9"), QString(held_kind::kNotesEmptied), kNow,
                            QStringLiteral("run-1")};
    QHash<QString, QJsonObject> built;
    const GuardResult result = guardDestructiveChanges(
        built, {}, {{heldChangeId(change.key, change.kind), change}}, QStringLiteral("run-2"), kNow);
    QVERIFY(result.settled.isEmpty());
    QCOMPARE(result.warnings.size(), 1); // reported again: it still waits
    QCOMPARE(result.warnings.first().count, 1);
}

void TstReadTrust::optionalFieldDrift_data()
{
    QTest::addColumn<qint64>("baselineRows");
    QTest::addColumn<qint64>("baselinePresent");
    QTest::addColumn<qint64>("runRows");
    QTest::addColumn<qint64>("runPresent");
    QTest::addColumn<bool>("drift");
    QTest::newRow("always there, now absent from 5") << 100LL << 100LL << 5LL << 0LL << true;
    QTest::newRow("80%, absent from 5") << 100LL << 80LL << 5LL << 0LL << false; // 3e-4: chance, not proof
    QTest::newRow("80%, absent from 6") << 100LL << 80LL << 6LL << 0LL << true;
    QTest::newRow("90%, absent from 5") << 100LL << 90LL << 5LL << 0LL << true;
    QTest::newRow("30%, absent from 20") << 100LL << 30LL << 20LL << 0LL << false;
    QTest::newRow("30%, absent from 30") << 100LL << 30LL << 30LL << 0LL << true;
    QTest::newRow("present once") << 100LL << 100LL << 50LL << 1LL << false;
    QTest::newRow("never seen before") << 100LL << 0LL << 50LL << 0LL << false;
    QTest::newRow("young baseline") << 10LL << 10LL << 50LL << 0LL << false;
    QTest::newRow("too few rows") << 100LL << 100LL << 4LL << 0LL << false;
}

void TstReadTrust::optionalFieldDrift()
{
    QFETCH(qint64, baselineRows);
    QFETCH(qint64, baselinePresent);
    QFETCH(qint64, runRows);
    QFETCH(qint64, runPresent);
    QFETCH(bool, drift);
    const QString key = QStringLiteral("page-data current client.phone");
    const QList<FieldDrift> found =
        findFieldDrift({{key, {runRows, runPresent}}}, {{key, {baselineRows, baselinePresent}}});
    QCOMPARE(found.size(), drift ? 1 : 0);
    if (drift) {
        QCOMPARE(found.first().endpoint, QStringLiteral("page-data"));
        QCOMPARE(found.first().shape, QStringLiteral("current"));
        QCOMPARE(found.first().field, QStringLiteral("client.phone"));
    }
}

void TstReadTrust::baselineGrowsButNotWithDrift()
{
    const QString phone = QStringLiteral("page-data current client.phone");
    const QString summary = QStringLiteral("page-data current consultation.dischargeSummary");
    const PresenceCounts baseline{{phone, {100, 100}}, {summary, {kPresenceCap, 5000}}};
    const PresenceCounts run{{phone, {10, 0}}, {summary, {10, 5}}};
    const QList<FieldDrift> drift = findFieldDrift(run, baseline);
    QCOMPARE(drift.size(), 1);
    const PresenceCounts next = updatedBaseline(baseline, run, drift);
    QCOMPARE(next.value(phone), (FieldPresence{100, 100}));     // drift does not teach the baseline
    QCOMPARE(next.value(summary), (FieldPresence{5005, 2502})); // past the cap: halved
}

void TstReadTrust::warningsMergeAndCap()
{
    QList<RunWarning> many;
    for (int i = 0; i < 80; ++i)
        many.append(RunWarning{QString(warning_code::kDrift),
                               QStringLiteral("page-data"),
                               QStringLiteral("field%1").arg(i % 60),
                               {},
                               QStringLiteral("unknown field"),
                               1});
    const QList<RunWarning> merged = mergedWarnings(many, 50);
    QCOMPARE(merged.size(), 51);
    QCOMPARE(merged.first().count, 2); // field0 twice
    QCOMPARE(merged.last().detail, QStringLiteral("further warnings"));
    QCOMPARE(merged.last().count, 80 - 20 * 2 - 30); // the rest of the counts
}

void TstReadTrust::warningsLeadAndPartial()
{
    const RunWarning drift{QString(warning_code::kDrift), {}, {}, {}, {}, 1};
    const RunWarning held{QString(warning_code::kHeldBack), {}, {}, QString(held_kind::kRemoval), {}, 3};
    const RunWarning layout{QString(warning_code::kLayoutChanged),
                            QStringLiteral("page-data"),
                            QStringLiteral("consultation.notes"),
                            {},
                            QStringLiteral("missing"),
                            2};
    QVERIFY(!drift.makesPartial());
    QVERIFY(held.makesPartial());
    QCOMPARE(leadingWarningCode({drift}), QString());
    QCOMPARE(leadingWarningCode({drift, held, layout}), QString(warning_code::kLayoutChanged));
    QCOMPARE(layout.toString(),
             QStringLiteral("neo_layout_changed page-data consultation.notes: missing (x2)"));
}

void TstReadTrust::warningsRoundTrip()
{
    const QList<RunWarning> warnings{RunWarning{QString(warning_code::kHeldBack),
                                                {},
                                                {},
                                                QString(held_kind::kPhoneRemoved),
                                                QStringLiteral("waits for a second read"),
                                                2},
                                     RunWarning{QString(warning_code::kLayoutChanged),
                                                QStringLiteral("getCalendarEventData"),
                                                QStringLiteral("phone_number"),
                                                {},
                                                QStringLiteral("missing"),
                                                30}};
    const QJsonArray json = warningsJson(warnings);
    QVERIFY(json.at(0).toObject().value("endpoint").isNull());
    QVERIFY(json.at(1).toObject().value("kind").isNull());
    QCOMPARE(warningsFromJson(json), warnings);
}

QTEST_APPLESS_MAIN(TstReadTrust)
#include "tst_read_trust.moc"
