// Which Neo reads a run makes after the schedule (docs/idexx-neo.md, "Which consultations are read",
// "Phones in the data"): page-data for finished visits that are new, changed, recent or failed last
// time; getAppointment only for those whose row shows no usable phone; nothing for the rest.

#include "sync/core/neo_read_plan.h"

#include <QTest>

using namespace odis::sync;

namespace {

const QTimeZone kZone("America/Los_Angeles");
// 2026-03-11 12:00 in Los Angeles (PDT, UTC-7).
const QDateTime kNow(QDate(2026, 3, 11), QTime(19, 0), Qt::UTC);

// A finished visit on 2026-03-10 09:00-09:30 clinic time (more than 24 h before kNow).
NeoScheduleEvent finishedVisit()
{
    NeoScheduleEvent e;
    e.appointmentId = QStringLiteral("482913");
    e.calendarEventId = QStringLiteral("90001");
    e.consultationId = QStringLiteral("771204");
    e.start = LocalDateTime{QDate(2026, 3, 10), QTime(9, 0)};
    e.end = LocalDateTime{QDate(2026, 3, 10), QTime(9, 30)};
    e.patientName = QStringLiteral("BISCUIT");
    e.clientFirstName = QStringLiteral("Jane");
    e.clientLastName = QStringLiteral("Doe");
    e.phoneRaw = QStringLiteral("415-201-3344");
    e.statusRaw = QStringLiteral("Finalized");
    e.status = NeoStatus::Completed;
    e.resourceId = QStringLiteral("9");
    return e;
}

// The neo_reads row of a successful read of `e` at `fetchedAt`.
NeoReadState readAt(const NeoScheduleEvent& e, const QDateTime& fetchedAt)
{
    return NeoReadState{neoReadKey(e), e.appointmentId, scheduleRowVersion(e), fetchedAt, 0, QString()};
}

ReadPlan plan(const QList<NeoScheduleEvent>& events, const QList<NeoReadState>& previous,
              int lookbackHours = 48, QStringView country = u"US")
{
    QHash<QString, NeoReadState> byKey;
    for (const NeoReadState& s : previous) {
        byKey.insert(s.key, s);
    }
    return planNeoReads(events, byKey,
                        ReadPlanSettings{kZone, *PhoneCountry::fromIsoCode(country), lookbackHours}, kNow);
}

} // namespace

// What the previous state and the row are, and what is due.
enum class Previous
{
    None,
    ReadLongAgo,     // read 2 h before now, same row
    ReadRecently,    // read 30 min before now, same row
    ReadAnHourAgo,   // exactly 60 min before now, same row
    RowChanged,      // read 2 h ago, another row version
    FailedLastRun,   // read 2 h ago, then one failure
    FailedNeverRead, // never read successfully, one failure
};
Q_DECLARE_METATYPE(Previous)

class TstNeoReadPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rows_data()
    {
        QTest::addColumn<Previous>("previous");
        QTest::addColumn<int>("visitEndHoursAgo"); // how long before now the visit ended
        QTest::addColumn<QString>("phone");
        QTest::addColumn<bool>("pageData");
        QTest::addColumn<bool>("detail");
        QTest::addColumn<QString>("reason");

        const QString valid = QStringLiteral("(415) 201-3344");
        QTest::newRow("new visit") << Previous::None << 30 << valid << true << false << "never_read";
        QTest::newRow("new visit, no phone: getAppointment too")
            << Previous::None << 30 << QString() << true << true << "never_read";
        QTest::newRow("new visit, phone that is not a number")
            << Previous::None << 30 << QStringLiteral("555-CALL-NOW") << true << true << "never_read";
        QTest::newRow("new visit, phone with an unassigned area code")
            << Previous::None << 30 << QStringLiteral("555-201-3344") << true << true << "never_read";
        QTest::newRow("new visit, international phone: a domestic one may be on file")
            << Previous::None << 30 << QStringLiteral("+44 7400 123456") << true << true << "never_read";
        QTest::newRow("changed row") << Previous::RowChanged << 100 << valid << true << false
                                     << "row_changed";
        QTest::newRow("changed row, no phone")
            << Previous::RowChanged << 100 << QString() << true << true << "row_changed";
        QTest::newRow("unchanged, old visit")
            << Previous::ReadLongAgo << 100 << valid << false << false << "";
        QTest::newRow("unchanged, old visit, no phone")
            << Previous::ReadLongAgo << 100 << QString() << false << false << "";
        QTest::newRow("within lookback, read 2 h ago")
            << Previous::ReadLongAgo << 30 << valid << true << false << "recent_visit";
        QTest::newRow("within lookback, no phone: notes only")
            << Previous::ReadLongAgo << 30 << QString() << true << false << "recent_visit";
        QTest::newRow("within lookback, read 30 min ago")
            << Previous::ReadRecently << 30 << valid << false << false << "";
        QTest::newRow("within lookback, read exactly 60 min ago")
            << Previous::ReadAnHourAgo << 30 << valid << false << false << "";
        QTest::newRow("ended just under lookback ago")
            << Previous::ReadLongAgo << 47 << valid << true << false << "recent_visit";
        QTest::newRow("ended more than lookback ago")
            << Previous::ReadLongAgo << 49 << valid << false << false << "";
        QTest::newRow("failed last run")
            << Previous::FailedLastRun << 100 << valid << true << false << "failed_last_run";
        QTest::newRow("failed last run, no phone")
            << Previous::FailedLastRun << 100 << QString() << true << true << "failed_last_run";
        QTest::newRow("never read successfully, failed")
            << Previous::FailedNeverRead << 100 << valid << true << false << "failed_last_run";
    }

    void ukRowPhones_data()
    {
        QTest::addColumn<QString>("phone");
        QTest::addColumn<bool>("detail");
        QTest::newRow("mobile: nothing can beat it") << "07400 123456" << false;
        QTest::newRow("landline: the detail may hold a mobile") << "020 7946 0958" << true;
        QTest::newRow("invalid mobile") << "07700 900123" << true;
        QTest::newRow("North American number without +: not a UK number") << "415-201-3344" << true;
    }

    void ukRowPhones()
    {
        // A UK clinic's new finished visit: getAppointment is asked unless the row's number is a mobile.
        QFETCH(QString, phone);
        QFETCH(bool, detail);
        NeoScheduleEvent event = finishedVisit();
        event.phoneRaw = phone;
        const ReadPlan result = plan({event}, {}, 48, u"GB");
        QCOMPARE(result.reads.size(), 1);
        QCOMPARE(result.reads.first().appointmentDetail, detail);
    }

    void rows()
    {
        QFETCH(Previous, previous);
        QFETCH(int, visitEndHoursAgo);
        QFETCH(QString, phone);
        QFETCH(bool, pageData);
        QFETCH(bool, detail);
        QFETCH(QString, reason);

        NeoScheduleEvent event = finishedVisit();
        const QDateTime end = kNow.addSecs(-qint64(visitEndHoursAgo) * 3600).toTimeZone(kZone);
        event.start = LocalDateTime{end.date(), end.time().addSecs(-1800)};
        event.end = LocalDateTime{end.date(), end.time()};
        event.phoneRaw = phone;

        QList<NeoReadState> states;
        NeoReadState state = readAt(event, kNow.addSecs(-2 * 3600));
        switch (previous) {
        case Previous::None:
            break;
        case Previous::ReadLongAgo:
            states << state;
            break;
        case Previous::ReadRecently:
            state.fetchedAt = kNow.addSecs(-30 * 60);
            states << state;
            break;
        case Previous::ReadAnHourAgo:
            state.fetchedAt = kNow.addSecs(-60 * 60);
            states << state;
            break;
        case Previous::RowChanged:
            state.rowVersion = QStringLiteral("another");
            states << state;
            break;
        case Previous::FailedLastRun:
            state.failures = 1;
            state.lastError = QStringLiteral("neo_server_error");
            states << state;
            break;
        case Previous::FailedNeverRead:
            states << NeoReadState{neoReadKey(event),
                                   event.appointmentId,
                                   QString(),
                                   QDateTime(),
                                   1,
                                   QStringLiteral("neo_call_timeout")};
            break;
        }

        const ReadPlan result = plan({event}, states);
        QCOMPARE(result.finishedVisits, 1);
        if (!pageData && !detail) {
            QVERIFY(result.reads.isEmpty());
            QCOMPARE(result.upToDate, 1);
            return;
        }
        QCOMPARE(result.reads.size(), 1);
        const PlannedRead& read = result.reads.first();
        QCOMPARE(read.key, QStringLiteral("771204"));
        QCOMPARE(read.appointmentId, QStringLiteral("482913"));
        QCOMPARE(read.consultationId.has_value(), pageData);
        QCOMPARE(read.appointmentDetail, detail);
        QCOMPARE(readReasonName(read.reason), reason);
        QCOMPARE(read.rowVersion, scheduleRowVersion(event));
    }

    void onlyFinishedVisitsAreRead_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("block");
        QTest::addColumn<bool>("roster");
        QTest::addColumn<bool>("read");
        for (const char* status : {"Finalized", "Ready to Pay", "Discharged", "Completed"}) {
            QTest::addRow("%s", status) << QString::fromLatin1(status) << false << false << true;
        }
        for (const char* status : {"Scheduled", "Checked In", "In Progress", "No Show", "Cancelled", "Lab"}) {
            QTest::addRow("%s", status) << QString::fromLatin1(status) << false << false << false;
        }
        QTest::newRow("finalized block") << QStringLiteral("Finalized") << true << false << false;
        QTest::newRow("finalized roster row") << QStringLiteral("Finalized") << false << true << false;
    }

    void onlyFinishedVisitsAreRead()
    {
        QFETCH(QString, status);
        QFETCH(bool, block);
        QFETCH(bool, roster);
        QFETCH(bool, read);
        NeoScheduleEvent event = finishedVisit();
        event.statusRaw = status;
        event.status = normaliseNeoStatus(status);
        event.isBlock = block;
        event.isRoster = roster;
        const ReadPlan result = plan({event}, {});
        QCOMPARE(result.reads.size(), read ? 1 : 0);
        QCOMPARE(result.finishedVisits, read ? 1 : 0);
    }

    void visitWithoutConsultationGetsOnlyItsPhones()
    {
        NeoScheduleEvent noPhone = finishedVisit();
        noPhone.consultationId.reset();
        noPhone.phoneRaw.clear();
        NeoScheduleEvent withPhone = finishedVisit();
        withPhone.appointmentId = QStringLiteral("482914");
        withPhone.consultationId.reset();

        const ReadPlan result = plan({noPhone, withPhone}, {});
        QCOMPARE(result.finishedVisits, 2);
        QCOMPARE(result.upToDate, 1);
        QCOMPARE(result.reads.size(), 1);
        QCOMPARE(result.reads.first().key, QStringLiteral("appointment:482913"));
        QVERIFY(!result.reads.first().consultationId);
        QVERIFY(result.reads.first().appointmentDetail);

        // Read once, unchanged: nothing again, not even after an hour.
        const ReadPlan again = plan({noPhone}, {readAt(noPhone, kNow.addSecs(-3 * 3600))});
        QVERIFY(again.reads.isEmpty());
    }

    void repeatedRowIsPlannedOnce()
    {
        const NeoScheduleEvent event = finishedVisit();
        QCOMPARE(plan({event, event}, {}).reads.size(), 1);
    }

    void unchangedClinicReadsNothing()
    {
        // A second run right after the first: every visit was read a minute ago with its current row.
        QList<NeoScheduleEvent> events;
        QList<NeoReadState> states;
        for (int i = 0; i < 30; ++i) {
            NeoScheduleEvent e = finishedVisit();
            e.appointmentId = QString::number(500000 + i);
            e.consultationId = QString::number(700000 + i);
            e.phoneRaw = i % 3 == 0 ? QString() : e.phoneRaw;
            events << e;
            states << readAt(e, kNow.addSecs(-60));
        }
        const ReadPlan result = plan(events, states);
        QVERIFY(result.reads.isEmpty());
        QCOMPARE(result.upToDate, 30);
    }

    // A change held back (sync/core/change_guard.h) waits for the next read of its visit, recent or not:
    // page-data for emptied notes, getAppointment for a phone that disappeared (only when the row shows
    // no number: the row settles it otherwise).
    void heldChangesAreReadAgain()
    {
        NeoScheduleEvent notes = finishedVisit();
        NeoScheduleEvent phone = finishedVisit();
        phone.appointmentId = QStringLiteral("482914");
        phone.consultationId = QStringLiteral("771205");
        phone.phoneRaw.clear();
        NeoScheduleEvent rowPhone = finishedVisit();
        rowPhone.appointmentId = QStringLiteral("482915");
        rowPhone.consultationId = QStringLiteral("771206");
        const QList<NeoScheduleEvent> events{notes, phone, rowPhone};
        QHash<QString, NeoReadState> states;
        for (const NeoScheduleEvent& e : events)
            states.insert(neoReadKey(e), readAt(e, kNow.addSecs(-60)));
        QVERIFY(
            planNeoReads(events, states, ReadPlanSettings{kZone, *PhoneCountry::fromIsoCode(u"US"), 48}, kNow)
                .reads.isEmpty());

        const ConfirmReads confirm{{QStringLiteral("771204")},
                                   {QStringLiteral("482914"), QStringLiteral("482915")}};
        const ReadPlan result = planNeoReads(
            events, states, ReadPlanSettings{kZone, *PhoneCountry::fromIsoCode(u"US"), 48}, kNow, confirm);
        QCOMPARE(result.reads.size(), 2);
        QCOMPARE(result.reads.at(0).reason, ReadReason::ConfirmHeld);
        QCOMPARE(result.reads.at(0).consultationId, std::optional<QString>(QStringLiteral("771204")));
        QVERIFY(!result.reads.at(0).appointmentDetail);
        QCOMPARE(result.reads.at(1).appointmentId, QStringLiteral("482914"));
        QCOMPARE(result.reads.at(1).consultationId, std::optional<QString>());
        QVERIFY(result.reads.at(1).appointmentDetail);
        QCOMPARE(result.upToDate, 1);
        QCOMPARE(readReasonName(ReadReason::ConfirmHeld), QStringLiteral("confirm_held"));
    }

    void rowVersionCoversWhatTheRowShows_data()
    {
        QTest::addColumn<QString>("field");
        QTest::newRow("phone") << "phone";
        QTest::newRow("status") << "status";
        QTest::newRow("end") << "end";
        QTest::newRow("room") << "room";
        QTest::newRow("patient") << "patient";
        QTest::newRow("consultation id") << "consultation";
        QTest::newRow("type") << "type";
    }

    void rowVersionCoversWhatTheRowShows()
    {
        QFETCH(QString, field);
        const NeoScheduleEvent before = finishedVisit();
        NeoScheduleEvent after = before;
        if (field == QLatin1StringView("phone")) {
            after.phoneRaw = QStringLiteral("415-201-3345");
        } else if (field == QLatin1StringView("status")) {
            after.statusRaw = QStringLiteral("Ready to Pay");
        } else if (field == QLatin1StringView("end")) {
            after.end.time = QTime(9, 45);
        } else if (field == QLatin1StringView("room")) {
            after.resourceId = QStringLiteral("10");
        } else if (field == QLatin1StringView("patient")) {
            after.patientName = QStringLiteral("BISCUlT");
        } else if (field == QLatin1StringView("consultation")) {
            after.consultationId = QStringLiteral("771205");
        } else {
            after.appointmentType = QStringLiteral("Vaccines");
        }
        QVERIFY(scheduleRowVersion(before) != scheduleRowVersion(after));
        QCOMPARE(scheduleRowVersion(before), scheduleRowVersion(finishedVisit()));
        QCOMPARE(scheduleRowVersion(before).size(), 64);
    }

    void rowVersionKeepsFieldsApart()
    {
        NeoScheduleEvent a = finishedVisit();
        NeoScheduleEvent b = a;
        a.clientFirstName = QStringLiteral("Jane Doe");
        a.clientLastName = QString();
        b.clientFirstName = QStringLiteral("Jane");
        b.clientLastName = QStringLiteral("Doe");
        QVERIFY(scheduleRowVersion(a) != scheduleRowVersion(b));
    }

    void readStateAfterARead()
    {
        const NeoScheduleEvent event = finishedVisit();
        const PlannedRead planned = plan({event}, {}).reads.first();
        const NeoReadState success = readStateAfter(planned, nullptr, std::nullopt, kNow);
        QCOMPARE(success, (NeoReadState{QStringLiteral("771204"), QStringLiteral("482913"),
                                        planned.rowVersion, kNow, 0, QString()}));

        // A failure keeps what the last success knew and counts up; the read is due again.
        const NeoReadState failed =
            readStateAfter(planned, &success, QStringLiteral("neo_server_error"), kNow.addSecs(600));
        QCOMPARE(failed.rowVersion, success.rowVersion);
        QCOMPARE(failed.fetchedAt, success.fetchedAt);
        QCOMPARE(failed.failures, 1);
        QCOMPARE(failed.lastError, QStringLiteral("neo_server_error"));
        QCOMPARE(plan({event}, {failed}).reads.first().reason, ReadReason::FailedLastRun);
        const NeoReadState twice = readStateAfter(planned, &failed, QStringLiteral("neo_rate_limited"), kNow);
        QCOMPARE(twice.failures, 2);

        // The next success clears the failures.
        const NeoReadState recovered = readStateAfter(planned, &twice, std::nullopt, kNow.addSecs(1200));
        QCOMPARE(recovered.failures, 0);
        QVERIFY(recovered.lastError.isEmpty());
        QCOMPARE(recovered.fetchedAt, kNow.addSecs(1200));
    }
};

QTEST_GUILESS_MAIN(TstNeoReadPlan)
#include "tst_neo_read_plan.moc"
