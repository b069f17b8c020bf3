// End-of-life findings per patient in the real store (schema v6, agent/run/patient_findings_store.h) and
// through the run's planning step (agent/run/run_plan.h): a fresh or upgraded store asks for one look
// through everything stored; findings are added, never changed, and survive a restart; the planning step
// finds a stored visit's end of life and cancels a live call whose visit was not read.

#include "agent/run/patient_findings_store.h"
#include "agent/run/run_plan.h"
#include "agent/run/stored_state.h"
#include "sync/core/discharge_call_item.h"
#include "sync/core/item_key.h"
#include "tests/integration/run_store_fixture.h"
#include "tests/unit/discharge_fixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace odis;
using namespace odis::agent;

namespace {

const sync::PatientFinding kFinding{QStringLiteral("61204"), QStringLiteral("400001"),
                                    sync::DecisionReason::EndOfLife, QStringLiteral("notes: euthanasia")};

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Stores an observation as a run's commit would.
void observe(storage::Database& db, const QString& key, const QString& kind, const QJsonObject& payload)
{
    auto inserted =
        db.execute(QStringLiteral("INSERT INTO observations(key, kind, version, payload, observed_at, "
                                  "first_seen_at) VALUES(?, ?, ?, ?, ?, ?)"),
                   {key, kind, QStringLiteral("v"), QString::fromUtf8(compact(payload)),
                    QStringLiteral("2026-03-02T18:00:00.000Z"), QStringLiteral("2026-03-02T18:00:00.000Z")});
    if (!inserted)
        qFatal("%s", qPrintable(inserted.error().toString()));
}

QJsonObject appointment(const char* id, const char* consultation, const char* date, const char* patient)
{
    return QJsonObject{
        {QStringLiteral("neo_appointment_id"), QString::fromLatin1(id)},
        {QStringLiteral("neo_consultation_id"), QString::fromLatin1(consultation)},
        {QStringLiteral("date"), QString::fromLatin1(date)},
        {QStringLiteral("start_time"), QStringLiteral("10:00")},
        {QStringLiteral("end_time"), QStringLiteral("10:30")},
        {QStringLiteral("status"), QStringLiteral("completed")},
        {QStringLiteral("appointment_type"), QStringLiteral("Exam")},
        {QStringLiteral("reason"), QStringLiteral("Recheck")},
        {QStringLiteral("is_block"), false},
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), QString::fromLatin1(patient)}}},
        {QStringLiteral("client"),
         QJsonObject{{QStringLiteral("phone_raw"), QStringLiteral("(415) 200-0001")}}}};
}

} // namespace

class TstPatientFindings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storeKeepsFindings();
    void planningLooksThroughStoredVisitsOnce();
    void liveCallOfAnUnreadVisitIsCancelled();
};

void TstPatientFindings::storeKeepsFindings()
{
    test::RunStoreFixture store;
    QVERIFY2(store.open(), "open");
    // A fresh store (and one upgraded to v6) asks for the look through everything stored.
    QCOMPARE(findingsBackfillPending(*store.db).value(), true);
    QVERIFY(loadPatientFindings(*store.db).value().isEmpty());

    const sync::PatientFinding possible{QStringLiteral("61300"), QStringLiteral("400002"),
                                        sync::DecisionReason::EndOfLifePossible,
                                        QStringLiteral("reason: qol")};
    QVERIFY(storePatientFindings(*store.db, {kFinding, possible}, true, QStringLiteral("run-1"),
                                 QStringLiteral("2026-03-10T16:00:00.000Z")));
    QCOMPARE(findingsBackfillPending(*store.db).value(), false);
    // A second finding for the same patient does not replace the first.
    const sync::PatientFinding later{QStringLiteral("61204"), QStringLiteral("400009"),
                                     sync::DecisionReason::EndOfLifePossible,
                                     QStringLiteral("notes: hospice")};
    QVERIFY(storePatientFindings(*store.db, {later}, false, QStringLiteral("run-2"),
                                 QStringLiteral("2026-03-11T16:00:00.000Z")));
    // Never changed.
    QVERIFY(!store.db->execute(QStringLiteral("UPDATE patient_findings SET words = 'x'")));

    QVERIFY2(store.open(), "reopen"); // a restart
    const auto findings = loadPatientFindings(*store.db);
    QVERIFY(findings);
    QCOMPARE(*findings, (QList<sync::PatientFinding>{kFinding, possible}));
    QCOMPARE(findingsBackfillPending(*store.db).value(), false);
    const auto state = loadStoredState(*store.db);
    QVERIFY(state);
    QCOMPARE(state->findings, *findings);
    QVERIFY(!state->findingsBackfillPending);
    // Only the two end-of-life rules can be stored.
    QVERIFY(!store.db->execute(
        QStringLiteral("INSERT INTO patient_findings VALUES('1', '2', 'type', '', '', '')")));
}

void TstPatientFindings::planningLooksThroughStoredVisitsOnce()
{
    test::RunStoreFixture store;
    QVERIFY2(store.open(), "open");
    // Last week's visit of the pet, stored before findings existed: its notes record the euthanasia.
    observe(*store.db, sync::appointmentKey(QStringLiteral("400001")), QStringLiteral("appointment"),
            appointment("400001", "700001", "2026-03-02", "61204"));
    observe(*store.db, sync::consultationKey(QStringLiteral("700001")), QStringLiteral("consultation"),
            QJsonObject{{QStringLiteral("neo_consultation_id"), QStringLiteral("700001")},
                        {QStringLiteral("notes_html"), QStringLiteral("<p>Owner elected euthanasia.</p>")}});
    const auto stored = loadStoredState(*store.db);
    QVERIFY(stored && stored->findingsBackfillPending);

    // This week the same patient id comes back (a pick-up, a mistake in Neo): no call.
    RunPlan plan;
    sync::VisitInput visit = test::finishedVisit(QStringLiteral("500001"), QDate(2026, 3, 10));
    visit.patientId = QStringLiteral("61204");
    plan.visits = {visit};
    const auto planned = planCalls(plan, *stored, test::referencePolicy(), test::utc("2026-03-11T03:00:00Z"));
    QVERIFY2(planned, test::failure(planned).constData());
    QCOMPARE(planned->changedDecisions.size(), 1);
    QCOMPARE(planned->changedDecisions.first().wireReason(), QStringLiteral("excluded:end_of_life_patient"));
    QVERIFY(planned->findingsBackfilled);
    QCOMPARE(planned->newFindings, (QList<sync::PatientFinding>{kFinding}));
    QCOMPARE(planned->counts.excludedByReason.value(QStringLiteral("end_of_life_patient")), 1);

    // Stored with the run, the look-through is not repeated.
    QVERIFY(storePatientFindings(*store.db, planned->newFindings, planned->findingsBackfilled,
                                 QStringLiteral("run-1"), QStringLiteral("2026-03-11T03:00:00.000Z")));
    const auto next = loadStoredState(*store.db);
    QVERIFY(next && !next->findingsBackfillPending);
    QCOMPARE(next->findings, (QList<sync::PatientFinding>{kFinding}));
}

void TstPatientFindings::liveCallOfAnUnreadVisitIsCancelled()
{
    test::RunStoreFixture store;
    QVERIFY2(store.open(), "open");
    QVERIFY(storePatientFindings(*store.db, {}, true, QStringLiteral("run-0"),
                                 QStringLiteral("2026-03-09T00:00:00Z")));
    // A live call planned by an earlier run for a visit that this run does not read.
    observe(*store.db, sync::appointmentKey(QStringLiteral("500001")), QStringLiteral("appointment"),
            appointment("500001", "700002", "2026-03-09", "61204"));
    const sync::DischargeDecision call{QStringLiteral("500001"),          QStringLiteral("700002"),
                                       sync::DecisionKind::Planned,       sync::DecisionReason::Planned,
                                       test::utc("2026-03-11T23:00:00Z"), QStringLiteral("+14152000001"),
                                       {QStringLiteral("planned:hit")}};
    observe(*store.db, sync::dischargeCallKey(QStringLiteral("500001")), QStringLiteral("discharge_call"),
            sync::dischargeCallPayload(call, test::referencePolicy().zone));
    const auto stored = loadStoredState(*store.db);
    QVERIFY(stored && !stored->findingsBackfillPending);

    // This run reads the pet's euthanasia visit only.
    RunPlan plan;
    sync::VisitInput euthanasia = test::finishedVisit(QStringLiteral("500002"), QDate(2026, 3, 10));
    euthanasia.patientId = QStringLiteral("61204");
    euthanasia.appointmentType = QStringLiteral("Euthanasia");
    plan.visits = {euthanasia};
    const auto planned = planCalls(plan, *stored, test::referencePolicy(), test::utc("2026-03-11T03:00:00Z"));
    QVERIFY2(planned, test::failure(planned).constData());
    QStringList reasons;
    for (const sync::DischargeDecision& decision : planned->changedDecisions)
        reasons.append(decision.appointmentId + QLatin1Char(' ') + decision.wireReason());
    QCOMPARE(reasons, (QStringList{"500001 cancelled:end_of_life_patient", "500002 excluded:end_of_life"}));
    QCOMPARE(planned->counts.callsCancelled, 1);
}

QTEST_GUILESS_MAIN(TstPatientFindings)
#include "tst_patient_findings.moc"
