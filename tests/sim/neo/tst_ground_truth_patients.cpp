// The ground truth's patients and owners (docs/discharge-rules.md, "The patient, not only the visit" and
// "One call per owner per day") across syncs: an end of life on any visit of a pet excludes its calls
// before and after, a finding never reverts, two pets or two visits of one owner on one day get one call,
// a group follows cancellations and number changes, a removed call comes back with its appointment, and a
// call whose visit moved back in time is cancelled as too old.

#include "tests/sim/neo/gt_test_clinic.h"

#include <QTest>

#include <functional>

using namespace odis::sim::neo;
using namespace odis::sim::neo::test;

namespace {

const QDate kMonday(2026, 3, 9);

QDate day(int offset)
{
    return kMonday.addDays(offset);
}

// A visit of pet `patient` of owner `owner` (whose mobile follows from it).
VisitSpec petVisit(qint64 id, qint64 patient, qint64 owner, int dayOffset, QTime start)
{
    VisitSpec v;
    v.id = id;
    v.date = day(dayOffset);
    v.start = start;
    v.end = start.addSecs(30 * 60);
    v.patientId = patient;
    v.clientId = owner;
    const QString line = QStringLiteral("%1").arg(owner % 10000, 4, 10, QLatin1Char('0'));
    v.mobile = SimPhone::valid(QStringLiteral("415-201-") + line, QStringLiteral("+1415201") + line,
                               SimPhoneKind::MobileOrFixed);
    return v;
}

// Not arrived yet: it is finished (with `notes`) by a change at the end of the visit.
VisitSpec later(VisitSpec v)
{
    v.status = QStringLiteral("not arrived");
    v.notes.clear();
    return v;
}

struct Change
{
    qint64 id = 0;
    SimChange change;
};

Change finishedWith(const VisitSpec& v, const QString& notes)
{
    SimChange c;
    c.atUtc = at(v.date, v.end.addSecs(5 * 60));
    c.status = QStringLiteral("Finalized");
    c.notesHtml = notes;
    return {v.id, c};
}

Change changeOf(qint64 id, const QDateTime& when, const std::function<void(SimChange&)>& edit)
{
    SimChange c;
    c.atUtc = when;
    edit(c);
    return {id, c};
}

} // namespace

Q_DECLARE_METATYPE(QList<Change>)

class TestGroundTruthPatients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scenarios_data();
    void scenarios();
};

void TestGroundTruthPatients::scenarios_data()
{
    QTest::addColumn<QList<VisitSpec>>("visits");
    QTest::addColumn<QList<Change>>("changes");
    QTest::addColumn<QList<QDateTime>>("syncs");
    QTest::addColumn<QStringList>("expected"); // "<id> <call>" (describeCall)

    const QDateTime mondayEvening = at(day(0), QTime(20, 0));
    const QDateTime tuesdayEvening = at(day(1), QTime(20, 0));
    const VisitSpec bella = petVisit(500001, 7001, 8001, 0, QTime(10, 0));
    VisitSpec euthanasia = petVisit(500002, 7001, 8001, 0, QTime(11, 0));
    euthanasia.type = QStringLiteral("Euthanasia");
    const VisitSpec max = petVisit(500003, 7002, 8001, 0, QTime(11, 30));

    const VisitSpec death = later(petVisit(500002, 7001, 8001, 1, QTime(10, 0)));
    QTest::newRow("euthanasia after: the day before's planned call is cancelled")
        << QList<VisitSpec>{bella, death} << QList<Change>{finishedWith(death, "PTS with the owner present.")}
        << QList<QDateTime>{mondayEvening, tuesdayEvening}
        << QStringList{"500001 cancelled:end_of_life_patient", "500002 excluded:end_of_life"};
    const VisitSpec wednesday = later(petVisit(500004, 7001, 8001, 2, QTime(10, 0)));
    QTest::newRow("euthanasia before: a later visit is excluded")
        << QList<VisitSpec>{euthanasia, wednesday}
        << QList<Change>{finishedWith(wednesday, "Nail trim done.")}
        << QList<QDateTime>{mondayEvening, at(day(2), QTime(20, 0))}
        << QStringList{"500002 excluded:end_of_life", "500004 excluded:end_of_life_patient"};
    VisitSpec euthanisedNotes = petVisit(500002, 7001, 8001, 0, QTime(11, 0));
    euthanisedNotes.notes = QStringLiteral("<p>Euthanised at 11:20.</p>");
    QTest::newRow("euthanasia in the same sync")
        << QList<VisitSpec>{bella, euthanisedNotes} << QList<Change>{} << QList<QDateTime>{mondayEvening}
        << QStringList{"500001 excluded:end_of_life_patient", "500002 excluded:end_of_life"};
    VisitSpec pts = petVisit(500002, 7001, 8001, 0, QTime(11, 0));
    pts.notes = QStringLiteral("PTS discussed.");
    const VisitSpec tuesday = petVisit(500004, 7001, 8001, 1, QTime(10, 0));
    QTest::newRow("a finding never reverts when the notes are edited")
        << QList<VisitSpec>{pts, tuesday}
        << QList<Change>{changeOf(pts.id, at(day(1), QTime(9, 0)),
                                  [](SimChange& c) { c.notesHtml = QStringLiteral("Recheck in a week."); })}
        << QList<QDateTime>{mondayEvening, tuesdayEvening}
        << QStringList{"500002 excluded:end_of_life_patient", "500004 excluded:end_of_life_patient"};
    VisitSpec quality = petVisit(500005, 7001, 8001, 0, QTime(10, 0));
    quality.reason = QStringLiteral("Quality of life consult");
    QTest::newRow("quality of life, then the pet again a quarter of an hour later")
        << QList<VisitSpec>{quality, petVisit(500006, 7001, 8001, 0, QTime(10, 45))} << QList<Change>{}
        << QList<QDateTime>{mondayEvening}
        << QStringList{"500005 excluded:end_of_life_possible", "500006 excluded:end_of_life_patient"};
    QTest::newRow("the owner's other pet is still called")
        << QList<VisitSpec>{euthanasia, max} << QList<Change>{} << QList<QDateTime>{mondayEvening}
        << QStringList{"500002 excluded:end_of_life", "500003 planned 2026-03-11 16:00"};
    VisitSpec cancelledBooking = euthanasia;
    cancelledBooking.status = QStringLiteral("Cancelled");
    QTest::newRow("a cancelled euthanasia booking counts")
        << QList<VisitSpec>{bella, cancelledBooking} << QList<Change>{} << QList<QDateTime>{mondayEvening}
        << QStringList{"500001 excluded:end_of_life_patient", "500002 excluded:cancelled"};

    // Owners.
    QTest::newRow("an owner with two pets on one day: one call")
        << QList<VisitSpec>{bella, max} << QList<Change>{} << QList<QDateTime>{mondayEvening}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500003",
                       "500003 grouped 2026-03-11 16:00 into 500001"};
    QTest::newRow("a pet twice on one day: one call")
        << QList<VisitSpec>{bella, petVisit(500007, 7001, 8001, 0, QTime(15, 0))} << QList<Change>{}
        << QList<QDateTime>{mondayEvening}
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500007",
                       "500007 grouped 2026-03-11 16:00 into 500001"};
    const QDateTime tuesdayMorning = at(day(1), QTime(9, 0));
    const QList<QDateTime> twoSyncs{mondayEvening, at(day(1), QTime(12, 0))};
    QTest::newRow("the carrier is cancelled: the other call takes its time")
        << QList<VisitSpec>{bella, max}
        << QList<Change>{changeOf(bella.id, tuesdayMorning,
                                  [](SimChange& c) { c.status = QStringLiteral("No Show"); })}
        << twoSyncs << QStringList{"500001 cancelled:no_show", "500003 planned 2026-03-11 16:00"};
    VisitSpec maxWithoutNotes = max;
    maxWithoutNotes.notes.clear();
    QTest::newRow("a new call joins the owner's earlier call")
        << QList<VisitSpec>{bella, maxWithoutNotes}
        << QList<Change>{changeOf(max.id, tuesdayMorning,
                                  [](SimChange& c) { c.notesHtml = QStringLiteral("Fine."); })}
        << twoSyncs
        << QStringList{"500001 planned 2026-03-11 16:00 group=500001,500003",
                       "500003 grouped 2026-03-11 16:00 into 500001"};
    QTest::newRow("a grouped call's number changes: placed on its own")
        << QList<VisitSpec>{bella, max}
        << QList<Change>{changeOf(max.id, tuesdayMorning,
                                  [&](SimChange& c) {
                                      SimClient client = appointmentOf(max).client;
                                      client.mobilePhone = nanpPhone("415-201-9999", "+14152019999");
                                      c.client = client;
                                  })}
        << twoSyncs << QStringList{"500001 planned 2026-03-11 16:00", "500003 planned 2026-03-11 16:02"};

    // A removed call comes back with its appointment, while its time is still ahead.
    const auto moveAway =
        changeOf(bella.id, tuesdayMorning, [](SimChange& c) { c.date = QDate(2026, 4, 1); });
    QTest::newRow("a removed call is planned again when the appointment is back")
        << QList<VisitSpec>{bella}
        << QList<Change>{moveAway,
                         changeOf(bella.id, at(day(1), QTime(13, 0)), [](SimChange& c) { c.date = kMonday; })}
        << QList<QDateTime>{mondayEvening, at(day(1), QTime(12, 0)), at(day(1), QTime(16, 0))}
        << QStringList{"500001 planned 2026-03-11 16:00"};
    QTest::newRow("a removed call back too late stays cancelled")
        << QList<VisitSpec>{bella}
        << QList<Change>{moveAway, changeOf(bella.id, at(day(2), QTime(16, 30)),
                                            [](SimChange& c) { c.date = kMonday; })}
        << QList<QDateTime>{mondayEvening, at(day(1), QTime(12, 0)), at(day(2), QTime(18, 0))}
        << QStringList{"500001 cancelled:removed"};
    QTest::newRow("a visit moved back in time: its call is too old")
        << QList<VisitSpec>{bella}
        << QList<Change>{changeOf(bella.id, tuesdayMorning, [](SimChange& c) { c.date = QDate(2026, 3, 6); })}
        << twoSyncs << QStringList{"500001 cancelled:too_old"};
}

void TestGroundTruthPatients::scenarios()
{
    QFETCH(QList<VisitSpec>, visits);
    QFETCH(QList<Change>, changes);
    QFETCH(QList<QDateTime>, syncs);
    QFETCH(QStringList, expected);
    ClinicModel model = clinicOf(visits);
    for (const Change& c : std::as_const(changes))
        QVERIFY(model.addChange(c.id, c.change));
    const QJsonObject truth = truthOf(model, syncs);
    QVERIFY2(!truth.contains(QStringLiteral("error")),
             qPrintable(truth.value(QStringLiteral("error")).toString()));
    QStringList actual;
    for (const QString& line : std::as_const(expected)) {
        const qint64 id = line.section(u' ', 0, 0).toLongLong();
        actual.append(QString::number(id) + QLatin1Char(' ') + describeCall(truth, id));
    }
    QCOMPARE(actual, expected);
}

QTEST_GUILESS_MAIN(TestGroundTruthPatients)
#include "tst_ground_truth_patients.moc"
