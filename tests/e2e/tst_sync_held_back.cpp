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

#include "agent/run/run_summary.h"
#include "sync/core/discharge_call_item.h"
#include "sync/core/item_key.h"
#include "tests/e2e/sync_bench.h"
#include "tests/e2e/truth_compare.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/support/webengine_test_main.h"

#include <QJsonDocument>

using namespace odis;
using odis::sim::neo::SimAppointment;
using odis::sim::neo::SimChange;
using odis::test::BenchOptions;
using odis::test::SyncBench;

namespace {

const QDateTime kThursdayEvening = QDateTime::fromString(QStringLiteral("2026-03-13T01:00:30Z"), Qt::ISODate);
const QDate kThursday(2026, 3, 12);

QByteArray json(const QJsonValue& v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace

class TstSyncHeldBack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
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
    // Runs one sync; fails the test when it did not end. `status`: the expected run status.
    agent::SyncRunResult syncExpecting(agent::RunStatus status);
    // The backend double's latest payload of `key`.
    QJsonObject backendPayload(const QString& key) const;
    // Every good read's instant, for the ground truth.
    void expectTruth(const char* when);
    // Moves the clinic's clock and the agent's.
    void advance(qint64 seconds);
    // A finished visit of Thursday with a consultation, notes and a phone on its schedule row, not used by
    // another test yet.
    SimAppointment pickFinishedVisit();
    void change(const SimAppointment& visit, SimChange change);

    std::unique_ptr<SyncBench> m_bench;
    QList<QDateTime> m_goodReads;
    QSet<qint64> m_used;
};

void TstSyncHeldBack::initTestCase()
{
    BenchOptions options;
    options.now = kThursdayEvening;
    auto bench = SyncBench::create(options);
    QVERIFY2(bench, bench ? "" : qPrintable(bench.error().toString()));
    m_bench = std::move(*bench);
    syncExpecting(agent::RunStatus::Completed);
    m_goodReads << m_bench->now();
    expectTruth("after the first sync");
}

agent::SyncRunResult TstSyncHeldBack::syncExpecting(agent::RunStatus status)
{
    const auto result = m_bench->sync();
    if (!result || !result->run) {
        QTest::qFail("the run did not end", __FILE__, __LINE__);
        return {};
    }
    if (result->run->status != status)
        QTest::qFail(qPrintable(QStringLiteral("run %1, expected %2:\n%3")
                                    .arg(agent::runStatusName(result->run->status),
                                         agent::runStatusName(status), agent::syncSummaryText(*result))),
                     __FILE__, __LINE__);
    return *result;
}

QJsonObject TstSyncHeldBack::backendPayload(const QString& key) const
{
    const auto items = m_bench->backendItems();
    return items ? test::payloadsByKey(*items).value(key) : QJsonObject();
}

void TstSyncHeldBack::expectTruth(const char* when)
{
    const auto truth = m_bench->truth(m_goodReads);
    QVERIFY2(truth, truth ? "" : qPrintable(truth.error().toString()));
    const QStringList differences = m_bench->differences(*truth);
    QVERIFY2(differences.isEmpty(),
             qPrintable(QString::fromUtf8(when) + u'\n' + differences.mid(0, 10).join(u'\n')));
}

void TstSyncHeldBack::advance(qint64 seconds)
{
    m_bench->advance(seconds);
}

SimAppointment TstSyncHeldBack::pickFinishedVisit()
{
    for (const SimAppointment& a : m_bench->neo().state().model.snapshotAt(m_bench->now())) {
        if (a.date == kThursday && a.status == u"Finalized" && a.consultationId && !a.notesHtml.isEmpty() &&
            !a.client.mobilePhone.isEmpty() && !a.schedulePhoneHidden && !m_used.contains(a.appointmentId)) {
            m_used.insert(a.appointmentId);
            return a;
        }
    }
    qFatal("no finished Thursday visit left to change");
    return {};
}

void TstSyncHeldBack::change(const SimAppointment& visit, SimChange change)
{
    change.atUtc = m_bench->now().addSecs(30);
    QVERIFY(m_bench->neo().state().model.addChange(visit.appointmentId, change));
}

void TstSyncHeldBack::unknownWrapperIsNeverData()
{
    QVERIFY(m_bench->setFault(QStringLiteral("schedule"), QJsonObject{{"wrap", "result"}}));
    m_bench->neo().requestLog().clear();
    const auto run = syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    const QJsonObject report = m_bench->runReport(run.run->runId);
    QVERIFY2(!test::reportWarnings(report, QStringLiteral("neo_layout_changed"), QStringLiteral("(root)"),
                                   QStringLiteral("getCalendarEventData"))
                  .isEmpty(),
             json(report.value(QStringLiteral("warnings"))).constData());
    // Asked twice, never read through the HTML pages instead.
    QCOMPARE(m_bench->neo().requestLog().count(QStringLiteral("schedule")), 2);
    QCOMPARE(m_bench->neo().requestLog().count(QStringLiteral("schedule_page")), 0);
    expectTruth("after a wrapped schedule");
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
    const auto run = syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    const QJsonObject report = m_bench->runReport(run.run->runId);
    QVERIFY2(!test::reportWarnings(report, QStringLiteral("neo_volume_collapse")).isEmpty(),
             json(report.value(QStringLiteral("warnings"))).constData());
    QVERIFY(!test::reportWarnings(report, QStringLiteral("held_back")).isEmpty());
    // Nothing removed, no call cancelled: exactly what the last good read left.
    expectTruth("after a collapsed read");
    QVERIFY(m_bench->backendSummary().value(QStringLiteral("rejected_items")).toInteger() == 0);
    // The next good read settles it: nothing was removed, nothing waits.
    const auto settled = syncExpecting(agent::RunStatus::Completed);
    QVERIFY(m_bench->runReport(settled.run->runId).value(QStringLiteral("warnings")).toArray().isEmpty());
    expectTruth("after the next good read");
}

void TstSyncHeldBack::fieldDroppedInSomeRowsRefusesTheAnswer()
{
    QVERIFY(m_bench->setFault(
        QStringLiteral("schedule"),
        QJsonObject{{"mutate", QJsonArray{QJsonObject{
                                   {"op", "drop"}, {"path", "[].phone_number"}, {"rows", "some"}}}}}));
    const auto run = syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    const QJsonObject report = m_bench->runReport(run.run->runId);
    const QJsonArray warnings =
        test::reportWarnings(report, QStringLiteral("neo_layout_changed"), QStringLiteral("phone_number"));
    QVERIFY2(!warnings.isEmpty(), json(report.value(QStringLiteral("warnings"))).constData());
    QCOMPARE(warnings.first().toObject().value(QStringLiteral("detail")).toString(),
             QStringLiteral("missing"));
    expectTruth("after some rows lost a field");
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
    const auto run = syncExpecting(agent::RunStatus::Partial);
    m_bench->clearFaults();
    QVERIFY(m_bench->mutatedValues(QStringLiteral("consultation")) > 0);
    const QJsonObject report = m_bench->runReport(run.run->runId);
    QVERIFY2(
        !test::reportWarnings(report, code, QStringLiteral("consultation.notes"), QStringLiteral("page-data"))
             .isEmpty(),
        json(report.value(QStringLiteral("warnings"))).constData());
    // Refused, not cut: every consultation the backend holds is the one of the last good read.
    expectTruth("after refused notes");
    // Read again next run (the refusal counts as a failed read), and then taken.
    const auto again = syncExpecting(agent::RunStatus::Completed);
    QVERIFY(again.run->counts.consultationsFetched > 0);
    expectTruth("after the next good read");
}

void TstSyncHeldBack::newPhoneAndEditedNoteGoThrough()
{
    const SimAppointment visit = pickFinishedVisit();
    SimChange phone;
    phone.client = visit.client;
    phone.client->mobilePhone =
        sim::neo::SimPhone::valid(QStringLiteral("(415) 555-0142"), QStringLiteral("+14155550142"),
                                  sim::neo::SimPhoneKind::MobileOrFixed);
    change(visit, phone);
    const SimAppointment edited = pickFinishedVisit();
    SimChange note;
    note.notesHtml = edited.notesHtml + QStringLiteral("<p>Owner called: eating again.</p>");
    change(edited, note);
    advance(61 * 60); // past the re-read interval: recent notes are read again, as the ground truth does
    syncExpecting(agent::RunStatus::Completed);
    m_goodReads << m_bench->now();
    expectTruth("after a new phone and an edited note");
    const QJsonObject appointment =
        backendPayload(sync::appointmentKey(QString::number(visit.appointmentId)));
    QCOMPARE(
        appointment.value(QStringLiteral("client")).toObject().value(QStringLiteral("phone_e164")).toString(),
        QStringLiteral("+14155550142"));
    const QJsonObject consultation =
        backendPayload(sync::consultationKey(QString::number(*edited.consultationId)));
    QVERIFY(consultation.value(QStringLiteral("notes_text")).toString().contains(u"eating again"));
}

void TstSyncHeldBack::realRemovalGoesThrough()
{
    const SimAppointment visit = pickFinishedVisit();
    SimChange deleted;
    deleted.deleted = true;
    change(visit, deleted);
    advance(120);
    syncExpecting(agent::RunStatus::Completed);
    m_goodReads << m_bench->now();
    const QJsonObject appointment =
        backendPayload(sync::appointmentKey(QString::number(visit.appointmentId)));
    QCOMPARE(appointment.value(QStringLiteral("removed")).toBool(), true);
    QCOMPARE(appointment.value(QStringLiteral("removed_reason")).toString(),
             QStringLiteral("removed_from_pims"));
    expectTruth("after a real removal");
}

void TstSyncHeldBack::emptiedNotesWaitForASecondRead()
{
    const SimAppointment visit = pickFinishedVisit();
    const QString key = sync::consultationKey(QString::number(*visit.consultationId));
    const QString notesBefore = backendPayload(key).value(QStringLiteral("notes_text")).toString();
    QVERIFY(!notesBefore.isEmpty());
    SimChange emptied;
    emptied.notesHtml = QString();
    emptied.dischargeSummary = QString();
    change(visit, emptied);
    advance(120);
    QVERIFY(m_bench->ageReads(2 * 3600));
    const auto held = syncExpecting(agent::RunStatus::Partial);
    const QJsonObject report = m_bench->runReport(held.run->runId);
    QVERIFY2(!test::reportWarnings(report, QStringLiteral("held_back")).isEmpty(),
             json(report.value(QStringLiteral("warnings"))).constData());
    QCOMPARE(backendPayload(key).value(QStringLiteral("notes_text")).toString(), notesBefore);

    // The second read shows it again: applied. It is read again for that, recent or not.
    advance(120);
    const auto confirmed = syncExpecting(agent::RunStatus::Completed);
    QVERIFY(confirmed.run->counts.consultationsFetched >= 1);
    QCOMPARE(backendPayload(key).value(QStringLiteral("notes_text")).toString(), QString());
    QCOMPARE(backendPayload(key).value(QStringLiteral("has_notes")).toBool(), false);
}

void TstSyncHeldBack::emptiedNotesThatComeBackAreDropped()
{
    const SimAppointment visit = pickFinishedVisit();
    const QString key = sync::consultationKey(QString::number(*visit.consultationId));
    const QJsonObject before = backendPayload(key);
    SimChange emptied;
    emptied.notesHtml = QString();
    change(visit, emptied);
    advance(120);
    QVERIFY(m_bench->ageReads(2 * 3600));
    syncExpecting(agent::RunStatus::Partial);
    SimChange back;
    back.notesHtml = visit.notesHtml;
    change(visit, back);
    advance(120);
    syncExpecting(agent::RunStatus::Completed);
    QCOMPARE(backendPayload(key).value(QStringLiteral("notes_text")),
             before.value(QStringLiteral("notes_text")));
    auto rows = m_bench->db().query(QStringLiteral("SELECT count(*) FROM held_changes"));
    QVERIFY(rows);
    QCOMPARE(rows->first().first().toInt(), 0);
}

void TstSyncHeldBack::disappearingPhoneWaitsForASecondRead()
{
    const SimAppointment visit = pickFinishedVisit();
    const QString key = sync::appointmentKey(QString::number(visit.appointmentId));
    const QString phoneBefore = backendPayload(key)
                                    .value(QStringLiteral("client"))
                                    .toObject()
                                    .value(QStringLiteral("phone_e164"))
                                    .toString();
    QVERIFY(!phoneBefore.isEmpty());
    SimChange noPhone;
    noPhone.client = visit.client;
    noPhone.client->mobilePhone = {};
    noPhone.client->homePhone = {};
    change(visit, noPhone);
    advance(120);
    const auto held = syncExpecting(agent::RunStatus::Partial);
    const QJsonArray warnings =
        test::reportWarnings(m_bench->runReport(held.run->runId), QStringLiteral("held_back"));
    QVERIFY(std::ranges::any_of(warnings, [](const QJsonValue& w) {
        return w.toObject().value(QStringLiteral("kind")).toString() == u"phone_removed";
    }));
    QCOMPARE(backendPayload(key)
                 .value(QStringLiteral("client"))
                 .toObject()
                 .value(QStringLiteral("phone_e164"))
                 .toString(),
             phoneBefore);
    advance(120);
    syncExpecting(agent::RunStatus::Completed);
    QVERIFY(backendPayload(key)
                .value(QStringLiteral("client"))
                .toObject()
                .value(QStringLiteral("phone_e164"))
                .isNull());
}

void TstSyncHeldBack::unfinishedVisitWaitsForASecondRead()
{
    const SimAppointment visit = pickFinishedVisit();
    const QString key = sync::appointmentKey(QString::number(visit.appointmentId));
    QCOMPARE(backendPayload(key).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    const QString callKey = sync::dischargeCallKey(QString::number(visit.appointmentId));
    const QJsonObject callBefore = backendPayload(callKey);
    SimChange reopened;
    reopened.status = QStringLiteral("In Progress");
    change(visit, reopened);
    advance(120);
    const auto held = syncExpecting(agent::RunStatus::Partial);
    const QJsonArray warnings =
        test::reportWarnings(m_bench->runReport(held.run->runId), QStringLiteral("held_back"));
    QVERIFY(std::ranges::any_of(warnings, [](const QJsonValue& w) {
        return w.toObject().value(QStringLiteral("kind")).toString() == u"status_unfinished";
    }));
    QCOMPARE(backendPayload(key).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    // Its call decision is not changed by the one read that says so.
    QCOMPARE(backendPayload(callKey), callBefore);
    advance(120);
    syncExpecting(agent::RunStatus::Completed);
    QCOMPARE(backendPayload(key).value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
}

ODIS_WEBENGINE_TEST_MAIN(TstSyncHeldBack)
#include "tst_sync_held_back.moc"
