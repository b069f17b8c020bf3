// Destructive changes need proof, and a later good read settles what was held back (docs/idexx-neo.md,
// "The contract the agent checks"). One clinic week in the Neo simulator, one agent install, its real
// sync runs (sync_bench.h), after a good first sync:
// - an unknown wrapper is never data and never sends the agent to the HTML pages;
// - an empty day, an empty schedule and a shrunken day remove nothing and cancel no call (partial,
//   neo_volume_collapse, removals held); the next good read settles it all (completed, ground truth);
// - a field dropped from some rows only still refuses the answer;
// - a 2 MB note and a note of invalid UTF-8 refuse that consultation, reported, never cut;
// - a new phone number, an edited note and a real removal (proven by getAppointment) go through at once;
// - notes emptied, a phone that disappears and a finished visit that is no longer finished wait for a
//   second read: held (partial, held_back), applied when the next read shows them again, dropped when it
//   does not.

#include "sync/core/discharge_call_item.h"
#include "sync/core/item_key.h"
#include "tests/e2e/thursday_bench.h"
#include "tests/e2e/truth_compare.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonDocument>

using namespace odis;
using odis::sim::neo::SimAppointment;
using odis::sim::neo::SimChange;
using odis::test::compactJson;

class TstSyncHeldBack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_bench.startWithAGoodSync(); }
    void unknownWrapperIsNeverData();
    void emptyOrCollapsedScheduleRemovesNothing_data();
    void emptyOrCollapsedScheduleRemovesNothing();
    void fieldDroppedInSomeRowsRefusesTheAnswer();
    void oversizedOrInvalidNoteRefusesThatConsultation_data();
    void oversizedOrInvalidNoteRefusesThatConsultation();
    void newPhoneAndEditedNoteGoThrough();
    void realRemovalGoesThrough();
    void emptiedNotesWaitForASecondRead();
    void emptiedNotesThatComeBackAreDropped();
    void disappearingPhoneWaitsForASecondRead();
    void unfinishedVisitWaitsForASecondRead();

private:
    // The run's report names a change of `kind` held back.
    [[nodiscard]] bool reportsHeldBack(const agent::SyncRunResult& run, QStringView kind) const;

    test::ThursdayBench m_bench;
};

bool TstSyncHeldBack::reportsHeldBack(const agent::SyncRunResult& run, QStringView kind) const
{
    const QJsonArray warnings =
        test::reportWarnings(m_bench->runReport(run.run->runId), QStringLiteral("held_back"));
    return std::ranges::any_of(warnings, [kind](const QJsonValue& w) {
        return w.toObject().value(QStringLiteral("kind")).toString() == kind;
    });
}

void TstSyncHeldBack::unknownWrapperIsNeverData()
{
    QVERIFY(m_bench->setFault(QStringLiteral("schedule"), QJsonObject{{"wrap", "result"}}));
    m_bench->neo().requestLog().clear();
    const auto run = m_bench.syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(run);
    const QJsonObject report = m_bench->runReport(run->run->runId);
    QVERIFY2(!test::reportWarnings(report, QStringLiteral("neo_layout_changed"), QStringLiteral("(root)"),
                                   QStringLiteral("getCalendarEventData"))
                  .isEmpty(),
             compactJson(report.value(QStringLiteral("warnings"))).constData());
    // Asked twice, never read through the HTML pages instead.
    QCOMPARE(m_bench->neo().requestLog().count(QStringLiteral("schedule")), 2);
    QCOMPARE(m_bench->neo().requestLog().count(QStringLiteral("schedule_page")), 0);
    m_bench.expectTruth("after a wrapped schedule");
}

void TstSyncHeldBack::emptyOrCollapsedScheduleRemovesNothing_data()
{
    QTest::addColumn<QJsonObject>("days");
    QTest::newRow("an empty day") << QJsonObject{{"2026-03-12", 0}};
    QTest::newRow("an empty schedule") << QJsonObject{{"all", 0}};
    QTest::newRow("a shrunken day") << QJsonObject{{"2026-03-12", 0.3}};
}

void TstSyncHeldBack::emptyOrCollapsedScheduleRemovesNothing()
{
    QFETCH(QJsonObject, days);
    auto faults = sim::neo::ScheduleDayFaults::fromJson(days);
    QVERIFY(faults);
    m_bench->neo().state().scheduleDays = *faults;
    const auto run = m_bench.syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(run);
    const QJsonObject report = m_bench->runReport(run->run->runId);
    QVERIFY2(!test::reportWarnings(report, QStringLiteral("neo_volume_collapse")).isEmpty(),
             compactJson(report.value(QStringLiteral("warnings"))).constData());
    QVERIFY(!test::reportWarnings(report, QStringLiteral("held_back")).isEmpty());
    // Nothing removed, no call cancelled: exactly what the last good read left.
    m_bench.expectTruth("after a collapsed read");
    QVERIFY(m_bench->backendSummary().value(QStringLiteral("rejected_items")).toInteger() == 0);
    // The next good read settles it: nothing was removed, nothing waits.
    const auto settled = m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(settled);
    QVERIFY(m_bench->runReport(settled->run->runId).value(QStringLiteral("warnings")).toArray().isEmpty());
    m_bench.expectTruth("after the next good read");
}

void TstSyncHeldBack::fieldDroppedInSomeRowsRefusesTheAnswer()
{
    QVERIFY(m_bench->setFault(
        QStringLiteral("schedule"),
        QJsonObject{{"mutate", QJsonArray{QJsonObject{
                                   {"op", "drop"}, {"path", "[].phone_number"}, {"rows", "some"}}}}}));
    const auto run = m_bench.syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(run);
    const QJsonObject report = m_bench->runReport(run->run->runId);
    const QJsonArray warnings =
        test::reportWarnings(report, QStringLiteral("neo_layout_changed"), QStringLiteral("phone_number"));
    QVERIFY2(!warnings.isEmpty(), compactJson(report.value(QStringLiteral("warnings"))).constData());
    QCOMPARE(warnings.first().toObject().value(QStringLiteral("detail")).toString(),
             QStringLiteral("missing"));
    m_bench.expectTruth("after some rows lost a field");
}

void TstSyncHeldBack::oversizedOrInvalidNoteRefusesThatConsultation_data()
{
    QTest::addColumn<QJsonObject>("mutation");
    QTest::addColumn<QString>("code");
    // In every other answer: most visits failing would fail the whole read (neo_reads_failed).
    QTest::newRow("a 2 MB note") << QJsonObject{{"op", "oversize"},
                                                {"path", "consultation.notes"},
                                                {"length", 2'000'000},
                                                {"rows", "some"}}
                                 << QStringLiteral("neo_value_too_long");
    QTest::newRow("invalid UTF-8") << QJsonObject{{"op", "invalid_utf8"},
                                                  {"path", "consultation.notes"},
                                                  {"rows", "some"}}
                                   << QStringLiteral("neo_invalid_utf8");
}

void TstSyncHeldBack::oversizedOrInvalidNoteRefusesThatConsultation()
{
    QFETCH(QJsonObject, mutation);
    QFETCH(QString, code);
    QVERIFY(m_bench->ageReads(2 * 3600)); // recent consultations are read again
    QVERIFY(m_bench->setFault(QStringLiteral("consultation"), QJsonObject{{"mutate", QJsonArray{mutation}}}));
    const auto run = m_bench.syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(run);
    QVERIFY(m_bench->mutatedValues(QStringLiteral("consultation")) > 0);
    const QJsonObject report = m_bench->runReport(run->run->runId);
    QVERIFY2(
        !test::reportWarnings(report, code, QStringLiteral("consultation.notes"), QStringLiteral("page-data"))
             .isEmpty(),
        compactJson(report.value(QStringLiteral("warnings"))).constData());
    // Refused, not cut: every consultation the backend holds is the one of the last good read.
    m_bench.expectTruth("after refused notes");
    // Read again next run (the refusal counts as a failed read), and then taken.
    const auto again = m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(again);
    QVERIFY(again->run->counts.consultationsFetched > 0);
    m_bench.expectTruth("after the next good read");
}

void TstSyncHeldBack::newPhoneAndEditedNoteGoThrough()
{
    const auto takenVisit = m_bench.takeThursdayVisit();
    QVERIFY2(takenVisit, "no finished Thursday visit left to change");
    const SimAppointment& visit = *takenVisit;
    SimChange phone;
    phone.client = visit.client;
    phone.client->mobilePhone =
        sim::neo::SimPhone::valid(QStringLiteral("(415) 555-0142"), QStringLiteral("+14155550142"),
                                  sim::neo::SimPhoneKind::MobileOrFixed);
    m_bench.change(visit, phone);
    const auto takenEdited = m_bench.takeThursdayVisit();
    QVERIFY2(takenEdited, "no finished Thursday visit left to change");
    const SimAppointment& edited = *takenEdited;
    SimChange note;
    note.notesHtml = edited.notesHtml + QStringLiteral("<p>Owner called: eating again.</p>");
    m_bench.change(edited, note);
    m_bench->advance(61 *
                     60); // past the re-read interval: recent notes are read again, as the ground truth does
    m_bench.syncExpecting(agent::RunStatus::Completed);
    m_bench.countReadNow();
    m_bench.expectTruth("after a new phone and an edited note");
    const QJsonObject appointment =
        m_bench.backendPayload(sync::appointmentKey(QString::number(visit.appointmentId)));
    QCOMPARE(
        appointment.value(QStringLiteral("client")).toObject().value(QStringLiteral("phone_e164")).toString(),
        QStringLiteral("+14155550142"));
    const QJsonObject consultation =
        m_bench.backendPayload(sync::consultationKey(QString::number(*edited.consultationId)));
    QVERIFY(consultation.value(QStringLiteral("notes_text")).toString().contains(u"eating again"));
}

void TstSyncHeldBack::realRemovalGoesThrough()
{
    const auto takenVisit = m_bench.takeThursdayVisit();
    QVERIFY2(takenVisit, "no finished Thursday visit left to change");
    const SimAppointment& visit = *takenVisit;
    SimChange deleted;
    deleted.deleted = true;
    m_bench.change(visit, deleted);
    m_bench->advance(120);
    m_bench.syncExpecting(agent::RunStatus::Completed);
    m_bench.countReadNow();
    const QJsonObject appointment =
        m_bench.backendPayload(sync::appointmentKey(QString::number(visit.appointmentId)));
    QCOMPARE(appointment.value(QStringLiteral("removed")).toBool(), true);
    QCOMPARE(appointment.value(QStringLiteral("removed_reason")).toString(),
             QStringLiteral("removed_from_pims"));
    m_bench.expectTruth("after a real removal");
}

void TstSyncHeldBack::emptiedNotesWaitForASecondRead()
{
    const auto takenVisit = m_bench.takeThursdayVisit();
    QVERIFY2(takenVisit, "no finished Thursday visit left to change");
    const SimAppointment& visit = *takenVisit;
    const QString key = sync::consultationKey(QString::number(*visit.consultationId));
    const QString notesBefore = m_bench.backendPayload(key).value(QStringLiteral("notes_text")).toString();
    QVERIFY(!notesBefore.isEmpty());
    SimChange emptied;
    emptied.notesHtml = QString();
    emptied.dischargeSummary = QString();
    m_bench.change(visit, emptied);
    m_bench->advance(120);
    QVERIFY(m_bench->ageReads(2 * 3600));
    const auto held = m_bench.syncExpecting(agent::RunStatus::Partial);
    QVERIFY(held);
    const QJsonObject report = m_bench->runReport(held->run->runId);
    QVERIFY2(!test::reportWarnings(report, QStringLiteral("held_back")).isEmpty(),
             compactJson(report.value(QStringLiteral("warnings"))).constData());
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("notes_text")).toString(), notesBefore);

    // The second read shows it again: applied. It is read again for that, recent or not.
    m_bench->advance(120);
    const auto confirmed = m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(confirmed);
    QVERIFY(confirmed->run->counts.consultationsFetched >= 1);
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("notes_text")).toString(), QString());
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("has_notes")).toBool(), false);
}

void TstSyncHeldBack::emptiedNotesThatComeBackAreDropped()
{
    const auto takenVisit = m_bench.takeThursdayVisit();
    QVERIFY2(takenVisit, "no finished Thursday visit left to change");
    const SimAppointment& visit = *takenVisit;
    const QString key = sync::consultationKey(QString::number(*visit.consultationId));
    const QJsonObject before = m_bench.backendPayload(key);
    SimChange emptied;
    emptied.notesHtml = QString();
    m_bench.change(visit, emptied);
    m_bench->advance(120);
    QVERIFY(m_bench->ageReads(2 * 3600));
    m_bench.syncExpecting(agent::RunStatus::Partial);
    SimChange back;
    back.notesHtml = visit.notesHtml;
    m_bench.change(visit, back);
    m_bench->advance(120);
    m_bench.syncExpecting(agent::RunStatus::Completed);
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("notes_text")),
             before.value(QStringLiteral("notes_text")));
    auto rows = m_bench->db().query(QStringLiteral("SELECT count(*) FROM held_changes"));
    QVERIFY(rows);
    QCOMPARE(rows->first().first().toInt(), 0);
}

void TstSyncHeldBack::disappearingPhoneWaitsForASecondRead()
{
    const auto takenVisit = m_bench.takeThursdayVisit();
    QVERIFY2(takenVisit, "no finished Thursday visit left to change");
    const SimAppointment& visit = *takenVisit;
    const QString key = sync::appointmentKey(QString::number(visit.appointmentId));
    const QString phoneBefore = m_bench.backendPayload(key)
                                    .value(QStringLiteral("client"))
                                    .toObject()
                                    .value(QStringLiteral("phone_e164"))
                                    .toString();
    QVERIFY(!phoneBefore.isEmpty());
    SimChange noPhone;
    noPhone.client = visit.client;
    noPhone.client->mobilePhone = {};
    noPhone.client->homePhone = {};
    m_bench.change(visit, noPhone);
    m_bench->advance(120);
    const auto held = m_bench.syncExpecting(agent::RunStatus::Partial);
    QVERIFY(held);
    QVERIFY(reportsHeldBack(*held, u"phone_removed"));
    QCOMPARE(m_bench.backendPayload(key)
                 .value(QStringLiteral("client"))
                 .toObject()
                 .value(QStringLiteral("phone_e164"))
                 .toString(),
             phoneBefore);
    m_bench->advance(120);
    m_bench.syncExpecting(agent::RunStatus::Completed);
    QVERIFY(m_bench.backendPayload(key)
                .value(QStringLiteral("client"))
                .toObject()
                .value(QStringLiteral("phone_e164"))
                .isNull());
}

void TstSyncHeldBack::unfinishedVisitWaitsForASecondRead()
{
    const auto takenVisit = m_bench.takeThursdayVisit();
    QVERIFY2(takenVisit, "no finished Thursday visit left to change");
    const SimAppointment& visit = *takenVisit;
    const QString key = sync::appointmentKey(QString::number(visit.appointmentId));
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("status")).toString(),
             QStringLiteral("completed"));
    const QString callKey = sync::dischargeCallKey(QString::number(visit.appointmentId));
    const QJsonObject callBefore = m_bench.backendPayload(callKey);
    SimChange reopened;
    reopened.status = QStringLiteral("In Progress");
    m_bench.change(visit, reopened);
    m_bench->advance(120);
    const auto held = m_bench.syncExpecting(agent::RunStatus::Partial);
    QVERIFY(held);
    QVERIFY(reportsHeldBack(*held, u"status_unfinished"));
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("status")).toString(),
             QStringLiteral("completed"));
    // Its call decision is not changed by the one read that says so.
    QCOMPARE(m_bench.backendPayload(callKey), callBefore);
    m_bench->advance(120);
    m_bench.syncExpecting(agent::RunStatus::Completed);
    QCOMPARE(m_bench.backendPayload(key).value(QStringLiteral("status")).toString(),
             QStringLiteral("in_progress"));
}

ODIS_WEBENGINE_TEST_MAIN(TstSyncHeldBack)
#include "tst_sync_held_back.moc"
