// The ground truth across several syncs: planned calls are sticky, become cancelled when the visit
// changes after planning, a cancelled or passed call is final; consultations are read by the project's
// read rule, and a sync whose consultation reads all failed counts for none of them; removals are decided
// only inside the window read; the window follows clinic-local dates.

#include "tests/sim/neo/gt_test_clinic.h"

#include <QTest>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

namespace {

const QDate kMonday(2026, 3, 9);

SimChange changeAt(const QDateTime& at)
{
    SimChange c;
    c.atUtc = at;
    return c;
}

} // namespace

Q_DECLARE_METATYPE(odis::sim::neo::SimChange)

class TestGroundTruthSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plannedCallKeptAcrossSyncs();
    void cancelledAfterPlanning_data();
    void cancelledAfterPlanning();
    void cancelledStaysCancelled();
    void passedCallIsFinal();
    void waitingThenPlanned();
    void consultationReadRule();
    void syncWithoutConsultationReads();
    void syncWithSomeConsultationReads();
    void removalOnlyInsideWindow();
    void windowFollowsLocalDates_data();
    void windowFollowsLocalDates();
};

void TestGroundTruthSync::plannedCallKeptAcrossSyncs()
{
    const VisitSpec visit;
    ClinicModel model = clinicOf({visit});
    SimChange edit = changeAt(at(QDate(2026, 3, 10), QTime(9, 0)));
    edit.notesHtml = visit.notes + QStringLiteral("<p>Addendum: labs normal.</p>");
    QVERIFY(model.addChange(visit.id, edit));
    const QJsonObject first = truthOf(model, {at(kMonday, QTime(20, 0))});
    const QJsonObject both =
        truthOf(model, {at(kMonday, QTime(20, 0)), at(QDate(2026, 3, 10), QTime(12, 0))});
    QCOMPARE(callOf(both, visit.id), callOf(first, visit.id));
    QCOMPARE(callOf(both, visit.id).value("scheduled_for_local").toString(),
             QStringLiteral("2026-03-11T16:00:00-07:00"));
    // The edit was read (visit ended less than lookback_hours ago, last read more than an hour ago).
    QCOMPARE(consultationEntry(both, visit.id + 300'000).value("notes_text").toString(),
             QStringLiteral("Doing well, vaccines given.\nAddendum: labs normal."));
}

void TestGroundTruthSync::cancelledAfterPlanning_data()
{
    QTest::addColumn<SimChange>("change");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("removed");
    const SimChange base = changeAt(at(QDate(2026, 3, 10), QTime(9, 0)));
    const VisitSpec visit;
    SimChange c = base;
    c.status = QStringLiteral("Cancelled");
    QTest::newRow("cancelled") << c << "cancelled:cancelled" << false;
    c = base;
    c.status = QStringLiteral("No Show");
    QTest::newRow("no-show") << c << "cancelled:no_show" << false;
    c = base;
    c.notesHtml = visit.notes + QStringLiteral("<p>Update: passed away at home overnight.</p>");
    QTest::newRow("end of life in an edit") << c << "cancelled:end_of_life" << false;
    c = base;
    c.lines = QList<SimProductLine>{{9, QStringLiteral("Cremation - Communal"), 1, true}};
    QTest::newRow("end of life in a declined line") << c << "cancelled:end_of_life" << false;
    c = base;
    c.typeDescription = QStringLiteral("Euthanasia");
    QTest::newRow("end of life in the type") << c << "cancelled:end_of_life" << false;
    c = base;
    c.client = appointmentOf(visit).client;
    c.client->mobilePhone = {};
    QTest::newRow("phone removed") << c << "cancelled:no_phone" << false;
    c = base;
    c.deleted = true;
    QTest::newRow("deleted") << c << "cancelled:removed" << true;
    c = base;
    c.date = QDate(2026, 4, 1);
    QTest::newRow("moved out of the window") << c << "cancelled:removed" << true;
    c = base;
    c.typeDescription = QStringLiteral("Groomer");
    QTest::newRow("an excluded type after planning keeps the call") << c << "planned" << false;
    c = base;
    c.status = QStringLiteral("In Progress");
    QTest::newRow("an unfinished status after planning keeps the call") << c << "planned" << false;
}

void TestGroundTruthSync::cancelledAfterPlanning()
{
    QFETCH(SimChange, change);
    QFETCH(QString, reason);
    QFETCH(bool, removed);
    const VisitSpec visit;
    ClinicModel model = clinicOf({visit});
    QVERIFY(model.addChange(visit.id, change));
    const QJsonObject truth =
        truthOf(model, {at(kMonday, QTime(20, 0)), at(QDate(2026, 3, 10), QTime(12, 0))});
    const QJsonObject call = callOf(truth, visit.id);
    QCOMPARE(call.value("reason").toString(), reason);
    const bool planned = reason == QLatin1String("planned");
    QCOMPARE(call.value("decision").toString(),
             planned ? QStringLiteral("planned") : QStringLiteral("cancelled"));
    QCOMPARE(call.value("scheduled_for").isNull(), !planned);
    QCOMPARE(call.value("scheduled_for_local").isNull(), !planned);
    QCOMPARE(appointmentEntry(truth, visit.id).value("removed").toBool(), removed);
}

void TestGroundTruthSync::cancelledStaysCancelled()
{
    const VisitSpec visit;
    ClinicModel model = clinicOf({visit});
    SimChange cancel = changeAt(at(QDate(2026, 3, 10), QTime(9, 0)));
    cancel.status = QStringLiteral("Cancelled");
    SimChange revert = changeAt(at(QDate(2026, 3, 10), QTime(13, 0)));
    revert.status = QStringLiteral("Finalized");
    QVERIFY(model.addChange(visit.id, cancel));
    QVERIFY(model.addChange(visit.id, revert));
    const QJsonObject truth = truthOf(model, {at(kMonday, QTime(20, 0)), at(QDate(2026, 3, 10), QTime(12, 0)),
                                              at(QDate(2026, 3, 10), QTime(16, 0))});
    QCOMPARE(callOf(truth, visit.id).value("reason").toString(), QStringLiteral("cancelled:cancelled"));
    QCOMPARE(appointmentEntry(truth, visit.id).value("status").toString(), QStringLiteral("completed"));
}

void TestGroundTruthSync::passedCallIsFinal()
{
    const VisitSpec visit;
    ClinicModel model = clinicOf({visit});
    SimChange cancel = changeAt(at(QDate(2026, 3, 11), QTime(17, 0)));
    cancel.status = QStringLiteral("Cancelled");
    QVERIFY(model.addChange(visit.id, cancel));
    const QJsonObject truth =
        truthOf(model, {at(kMonday, QTime(20, 0)), at(QDate(2026, 3, 11), QTime(18, 0))});
    QCOMPARE(callOf(truth, visit.id).value("reason").toString(), QStringLiteral("planned"));
    QCOMPARE(callOf(truth, visit.id).value("scheduled_for_local").toString(),
             QStringLiteral("2026-03-11T16:00:00-07:00"));
    QCOMPARE(appointmentEntry(truth, visit.id).value("status").toString(), QStringLiteral("cancelled"));
}

void TestGroundTruthSync::waitingThenPlanned()
{
    VisitSpec notesLater;
    notesLater.notes.clear();
    VisitSpec never = notesLater;
    never.id = 500002;
    ClinicModel model = clinicOf({notesLater, never});
    SimChange notes = changeAt(at(QDate(2026, 3, 10), QTime(20, 0)));
    notes.notesHtml = QStringLiteral("Written the next evening.");
    QVERIFY(model.addChange(notesLater.id, notes));
    const QDateTime first = at(kMonday, QTime(20, 0));
    QCOMPARE(callOf(truthOf(model, {first}), notesLater.id).value("reason").toString(),
             QStringLiteral("waiting_for_notes"));
    const QJsonObject truth =
        truthOf(model, {first, at(QDate(2026, 3, 10), QTime(21, 0)), at(QDate(2026, 3, 12), QTime(11, 0))});
    QCOMPARE(callOf(truth, notesLater.id).value("scheduled_for_local").toString(),
             QStringLiteral("2026-03-11T16:00:00-07:00"));
    QCOMPARE(callOf(truth, never.id).value("reason").toString(), QStringLiteral("excluded:too_old"));
}

// page-data is read when never read, when the schedule row changed, or when the visit ended less than
// lookback_hours ago and the last read is more than 60 minutes old.
void TestGroundTruthSync::consultationReadRule()
{
    const VisitSpec visit; // ends Monday 10:30
    ClinicModel model = clinicOf({visit});
    SimChange edit = changeAt(at(kMonday, QTime(12, 10)));
    edit.notesHtml = QStringLiteral("second version");
    SimChange lateEdit = changeAt(at(QDate(2026, 3, 11), QTime(13, 0))); // 50.5 h after the end
    lateEdit.notesHtml = QStringLiteral("third version");
    SimChange rowChange = changeAt(at(QDate(2026, 3, 11), QTime(15, 0)));
    rowChange.status = QStringLiteral("Ready to Pay");
    for (const SimChange& c : {edit, lateEdit, rowChange})
        QVERIFY(model.addChange(visit.id, c));
    const qint64 consultation = visit.id + 300'000;
    const auto notesAfter = [&](const QList<QDateTime>& syncs) {
        return consultationEntry(truthOf(model, syncs), consultation).value("notes_text").toString();
    };
    const QDateTime read = at(kMonday, QTime(12, 0));
    QCOMPARE(notesAfter({read}), QStringLiteral("Doing well, vaccines given."));
    QCOMPARE(notesAfter({read, at(kMonday, QTime(12, 40))}),
             QStringLiteral("Doing well, vaccines given.")); // < 60 min
    QCOMPARE(notesAfter({read, at(kMonday, QTime(13, 1))}), QStringLiteral("second version"));
    const QDateTime later = at(QDate(2026, 3, 11), QTime(14, 0)); // beyond lookback_hours, row unchanged
    QCOMPARE(notesAfter({read, at(kMonday, QTime(13, 1)), later}), QStringLiteral("second version"));
    QCOMPARE(notesAfter({read, at(kMonday, QTime(13, 1)), later, at(QDate(2026, 3, 11), QTime(15, 30))}),
             QStringLiteral("third version")); // the row changed
}

// A sync that read the schedule but no page-data (every answer drifted) is no consultation read: the next
// sync, a minute later, reads again what was due, and so sees notes written in between (tst_paired_faults,
// seed 3: the drifted run was counted as a read, and the truth missed the notes the agent then uploaded).
void TestGroundTruthSync::syncWithoutConsultationReads()
{
    const VisitSpec visit; // ends Monday 10:30
    ClinicModel model = clinicOf({visit});
    SimChange edit = changeAt(at(kMonday, QTime(13, 5)));
    edit.notesHtml = QStringLiteral("second version");
    QVERIFY(model.addChange(visit.id, edit));
    const qint64 consultation = visit.id + 300'000;
    const auto notesAfter = [&](const QList<TruthSync>& syncs) {
        const auto truth = computeGroundTruthOfSyncs(model, defaultClinicProfile(), syncs);
        return truth ? consultationEntry(*truth, consultation).value("notes_text").toString()
                     : truth.error().toString();
    };
    const TruthSync read{at(kMonday, QTime(12, 0))};
    const TruthSync next{at(kMonday, QTime(13, 6))};
    // Read at 13:04, so not due again at 13:06 (< 60 min).
    QCOMPARE(notesAfter({read, TruthSync{at(kMonday, QTime(13, 4))}, next}),
             QStringLiteral("Doing well, vaccines given."));
    // Not read at 13:04: due at 13:06 (the last read at 12:00), which sees the edit.
    QCOMPARE(notesAfter({read, TruthSync{at(kMonday, QTime(13, 4)), false}, next}),
             QStringLiteral("second version"));
    // The schedule-only sync alone reads nothing new; at one instant a full read wins.
    QCOMPARE(notesAfter({read, TruthSync{at(kMonday, QTime(13, 30)), false}}),
             QStringLiteral("Doing well, vaccines given."));
    QCOMPARE(notesAfter(
                 {read, TruthSync{at(kMonday, QTime(13, 30)), false}, TruthSync{at(kMonday, QTime(13, 30))}}),
             QStringLiteral("second version"));
}

// A sync that read some consultations and failed the rest (tst_paired_faults: the schedule's rows drifted,
// a third of the page-data answers failed): only the ones it names count as read, the others are read by
// the next sync, a minute later, with what was written in between (the paired-fault case that failed CI:
// the truth counted a drifted run as a read of everything and missed an addendum the agent then uploaded).
void TestGroundTruthSync::syncWithSomeConsultationReads()
{
    VisitSpec read; // ends Monday 10:30
    VisitSpec failed;
    failed.id = 500002;
    failed.start = QTime(11, 0);
    failed.end = QTime(11, 30);
    ClinicModel model = clinicOf({read, failed});
    for (const VisitSpec& visit : {read, failed}) {
        SimChange edit = changeAt(at(kMonday, QTime(13, 5)));
        edit.notesHtml = QStringLiteral("second version");
        QVERIFY(model.addChange(visit.id, edit));
    }
    const auto notesAfter = [&](const QList<TruthSync>& syncs) {
        const auto truth = computeGroundTruthOfSyncs(model, defaultClinicProfile(), syncs);
        if (!truth)
            return QStringList{truth.error().toString()};
        return QStringList{consultationEntry(*truth, read.id + 300'000).value("notes_text").toString(),
                           consultationEntry(*truth, failed.id + 300'000).value("notes_text").toString()};
    };
    const QString first = QStringLiteral("Doing well, vaccines given.");
    const QString second = QStringLiteral("second version");
    const TruthSync before{at(kMonday, QTime(12, 0))};
    const QDateTime faulty = at(kMonday, QTime(13, 4));
    const TruthSync next{at(kMonday, QTime(13, 6))};
    const QSet<qint64> onlyRead{read.id + 300'000};
    // Read at 13:04 is not due at 13:06; unread at 13:04 is (the last read at 12:00) and sees the edit.
    QCOMPARE(notesAfter({before, TruthSync{faulty, true, onlyRead}, next}), (QStringList{first, second}));
    QCOMPARE(notesAfter({before, TruthSync{faulty, true, QSet<qint64>{}}, next}),
             (QStringList{second, second}));
    QCOMPARE(notesAfter({before, TruthSync{faulty}, next}), (QStringList{first, first}));
    // At one instant: an unrestricted read wins, restricted ones add up.
    QCOMPARE(notesAfter({before, TruthSync{faulty, true, onlyRead}, TruthSync{faulty}, next}),
             (QStringList{first, first}));
    QCOMPARE(notesAfter({before, TruthSync{faulty, true, onlyRead},
                         TruthSync{faulty, true, QSet<qint64>{failed.id + 300'000}}, next}),
             (QStringList{first, first}));
    QCOMPARE(notesAfter({before, TruthSync{faulty, true, onlyRead}, TruthSync{faulty, false}, next}),
             (QStringList{first, second}));
}

void TestGroundTruthSync::removalOnlyInsideWindow()
{
    VisitSpec old;
    old.date = QDate(2026, 3, 1);
    VisitSpec recent;
    recent.id = 500002;
    ClinicModel model = clinicOf({old, recent});
    for (const qint64 id : {old.id, recent.id}) {
        SimChange gone = changeAt(at(kMonday, QTime(22, 0)));
        gone.deleted = true;
        QVERIFY(model.addChange(id, gone));
    }
    const QJsonObject truth = truthOf(
        model, {at(QDate(2026, 3, 5), QTime(12, 0)), at(kMonday, QTime(20, 0)), at(kMonday, QTime(23, 0))});
    QCOMPARE(appointmentEntry(truth, old.id).value("removed").toBool(), false); // 3/1 is outside 3/2..3/10
    QCOMPARE(appointmentEntry(truth, old.id).value("date").toString(), QStringLiteral("2026-03-01"));
    QCOMPARE(callOf(truth, old.id).value("reason").toString(), QStringLiteral("excluded:too_old"));
    QCOMPARE(appointmentEntry(truth, recent.id).value("removed").toBool(), true);
    QCOMPARE(callOf(truth, recent.id).value("reason").toString(), QStringLiteral("cancelled:removed"));
}

void TestGroundTruthSync::windowFollowsLocalDates_data()
{
    QTest::addColumn<QDateTime>("sync");
    QTest::addColumn<QDate>("first");
    QTest::addColumn<QDate>("last");
    const auto utc = [](QDate d, QTime t) { return QDateTime(d, t, Qt::UTC); };
    QTest::newRow("midday") << utc(QDate(2026, 3, 12), QTime(19, 0)) << QDate(2026, 3, 5)
                            << QDate(2026, 3, 13);
    QTest::newRow("just after local midnight")
        << utc(QDate(2026, 3, 20), QTime(7, 30)) << QDate(2026, 3, 13) << QDate(2026, 3, 21);
    QTest::newRow("just before local midnight")
        << utc(QDate(2026, 3, 20), QTime(6, 30)) << QDate(2026, 3, 12) << QDate(2026, 3, 20);
    // now - 7 days is an instant: 168 hours before 00:30 PDT on 3/15 is 23:30 PST on 3/7.
    QTest::newRow("a week after spring forward")
        << utc(QDate(2026, 3, 15), QTime(7, 30)) << QDate(2026, 3, 7) << QDate(2026, 3, 16);
    // now + 1 day is an instant: 24 hours after 00:30 PDT on 11/1 is 23:30 PST on 11/1.
    QTest::newRow("fall-back day") << utc(QDate(2026, 11, 1), QTime(7, 30)) << QDate(2026, 10, 25)
                                   << QDate(2026, 11, 1);
}

void TestGroundTruthSync::windowFollowsLocalDates()
{
    QFETCH(QDateTime, sync);
    QFETCH(QDate, first);
    QFETCH(QDate, last);
    QList<VisitSpec> visits;
    for (QDate d = sync.date().addDays(-12); d <= sync.date().addDays(5); d = d.addDays(1)) {
        VisitSpec v;
        v.id = 600'000 + d.toJulianDay() % 100'000;
        v.date = d;
        v.start = QTime(23, 0); // late starts make the window's edges visible
        v.end = QTime(23, 30);
        v.status = QStringLiteral("Scheduled");
        visits.append(v);
    }
    const QJsonObject truth = truthOf(clinicOf(visits), {sync});
    QStringList dates;
    for (const QJsonValue a : truth.value("appointments").toArray())
        dates.append(a.toObject().value("date").toString());
    dates.sort();
    QVERIFY(!dates.isEmpty());
    QCOMPARE(dates.first(), first.toString(Qt::ISODate));
    QCOMPARE(dates.last(), last.toString(Qt::ISODate));
    QCOMPARE(dates.size(), first.daysTo(last) + 1);
    QCOMPARE(truth.value("discharge_calls").toArray().size(),
             dates.size()); // every appointment read gets a decision
}

QTEST_GUILESS_MAIN(TestGroundTruthSync)
#include "tst_ground_truth_sync.moc"
