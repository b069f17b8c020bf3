// The run report, PUT /v1/sync/runs/{run_id} (agent/run/run_report.h), built from runs in the real
// encrypted store and checked against the contract's own schema (docs/openapi/agent-api-v1.yaml,
// RunReport); its Idempotency-Keys; the reports still owed to the backend.

#include "agent/run/run_report.h"
#include "agent/run/run_wrapup.h"
#include "storage/idexx_credentials.h"
#include "storage/keychain_store.h"
#include "tests/integration/run_store_fixture.h"
#include "tests/sim/contract/openapi_document.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <memory>
#include <optional>

using namespace odis::agent;
using namespace odis::test;

class TestRunReport : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RunStoreFixture> s;
    std::optional<odis::sim::contract::OpenApiDocument> m_contract;

    void verifyContract(const QJsonObject& report)
    {
        const auto bad = m_contract->validate(report, m_contract->schema(QStringLiteral("RunReport")));
        QVERIFY2(!bad, qPrintable(bad.value_or(QString()) + u' ' +
                                  QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Compact))));
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto doc = odis::sim::contract::OpenApiDocument::load(
            qEnvironmentVariable("ODIS_SOURCE_DIR") + QStringLiteral("/docs/openapi/agent-api-v1.yaml"));
        QVERIFY2(doc, qPrintable(doc ? QString() : doc.error().toString()));
        m_contract = std::move(*doc);
        QVERIFY(!m_contract->schema(QStringLiteral("RunReport")).isEmpty());
    }

    void init()
    {
        s = std::make_unique<RunStoreFixture>();
        const auto opened = s->open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
    }

    void cleanup() { s.reset(); }

    void reportJsonIsTheContracts()
    {
        const RunRecord run = s->started(RunTrigger::Remote);
        auto start = runReportJson(run, RunReportKind::Start);
        QVERIFY2(start, failure(start).constData());
        verifyContract(*start);
        const QJsonObject zeros{
            {QStringLiteral("appointments_seen"), 0}, {QStringLiteral("consultations_fetched"), 0},
            {QStringLiteral("notes_found"), 0},       {QStringLiteral("items_queued"), 0},
            {QStringLiteral("items_uploaded"), 0},    {QStringLiteral("calls_planned"), 0},
            {QStringLiteral("calls_excluded"), 0},    {QStringLiteral("failed"), 0}};
        QCOMPARE(*start, (QJsonObject{{QStringLiteral("run_id"), run.runId},
                                      {QStringLiteral("trigger"), QStringLiteral("remote")},
                                      {QStringLiteral("started_at"), QStringLiteral("2026-03-10T16:00:00Z")},
                                      {QStringLiteral("finished_at"), QJsonValue::Null},
                                      {QStringLiteral("status"), QStringLiteral("running")},
                                      {QStringLiteral("step"), QJsonValue::Null},
                                      {QStringLiteral("counts"), zeros},
                                      {QStringLiteral("error"), QJsonValue::Null},
                                      {QStringLiteral("duration_ms"), 0},
                                      {QStringLiteral("peak_rss_mb"), 0},
                                      {QStringLiteral("warnings"), QJsonArray()}}));
        QCOMPARE(runReportJson(run, RunReportKind::End).error().code,
                 QStringLiteral("run_report_not_finished"));

        QVERIFY(s->log->setStep(run.runId, run_step::kSchedule));
        s->clock.advanceSecs(200);
        RunOutcome outcome;
        outcome.status = RunStatus::Failed;
        outcome.counts = RunCounts{57, 0, 0, 0, 0, 0, 0, 1};
        outcome.error = RunError{QStringLiteral("neo_layout_changed"), QString(400, u'x')};
        outcome.durationMs = 199'870;
        outcome.peakRssMb = 387.26;
        outcome.warnings = {odis::sync::RunWarning{QStringLiteral("neo_layout_changed"),
                                                   QStringLiteral("page-data"),
                                                   QStringLiteral("consultation.notes"),
                                                   {},
                                                   QStringLiteral("missing"),
                                                   3},
                            odis::sync::RunWarning{QStringLiteral("held_back"),
                                                   {},
                                                   {},
                                                   QStringLiteral("removal"),
                                                   QStringLiteral("day_collapsed"),
                                                   25}};
        const RunRecord done = *s->log->finish(run.runId, outcome);
        QCOMPARE(done.warnings, outcome.warnings); // kept in the runs table, for the heartbeat too

        // The start report does not change once the run moved on: a resend is the same request.
        QCOMPARE(*runReportJson(done, RunReportKind::Start), *start);
        auto end = runReportJson(**s->log->find(run.runId), RunReportKind::End);
        QVERIFY2(end, failure(end).constData());
        verifyContract(*end);
        QJsonObject expectedCounts = zeros;
        expectedCounts.insert(QStringLiteral("appointments_seen"), 57);
        expectedCounts.insert(QStringLiteral("failed"), 1);
        QCOMPARE(*end,
                 (QJsonObject{
                     {QStringLiteral("run_id"), run.runId},
                     {QStringLiteral("trigger"), QStringLiteral("remote")},
                     {QStringLiteral("started_at"), QStringLiteral("2026-03-10T16:00:00Z")},
                     {QStringLiteral("finished_at"), QStringLiteral("2026-03-10T16:03:20Z")},
                     {QStringLiteral("status"), QStringLiteral("failed")},
                     {QStringLiteral("step"), QStringLiteral("schedule")},
                     {QStringLiteral("counts"), expectedCounts},
                     {QStringLiteral("error"),
                      QJsonObject{{QStringLiteral("code"), QStringLiteral("neo_layout_changed")},
                                  {QStringLiteral("message"), QString(kReportMessageMaxChars, u'x')}}},
                     {QStringLiteral("duration_ms"), 199870},
                     {QStringLiteral("peak_rss_mb"), 387.3},
                     {QStringLiteral("warnings"),
                      QJsonArray{QJsonObject{{QStringLiteral("code"), QStringLiteral("neo_layout_changed")},
                                             {QStringLiteral("endpoint"), QStringLiteral("page-data")},
                                             {QStringLiteral("field"), QStringLiteral("consultation.notes")},
                                             {QStringLiteral("kind"), QJsonValue::Null},
                                             {QStringLiteral("detail"), QStringLiteral("missing")},
                                             {QStringLiteral("count"), 3}},
                                 QJsonObject{{QStringLiteral("code"), QStringLiteral("held_back")},
                                             {QStringLiteral("endpoint"), QJsonValue::Null},
                                             {QStringLiteral("field"), QJsonValue::Null},
                                             {QStringLiteral("kind"), QStringLiteral("removal")},
                                             {QStringLiteral("detail"), QStringLiteral("day_collapsed")},
                                             {QStringLiteral("count"), 25}}}}}));
        QCOMPARE((*s->log->find(run.runId))->warnings, outcome.warnings);

        // Every status and trigger the contract knows passes its schema.
        for (const RunStatus status : {RunStatus::Completed, RunStatus::Partial, RunStatus::Interrupted}) {
            RunRecord other = done;
            other.status = status;
            other.error = status == RunStatus::Completed
                              ? std::nullopt
                              : std::optional(RunError{QStringLiteral("run_interrupted"), {}});
            for (const RunTrigger trigger :
                 {RunTrigger::Schedule, RunTrigger::Manual, RunTrigger::CatchUp, RunTrigger::Startup}) {
                other.trigger = trigger;
                verifyContract(*runReportJson(other, RunReportKind::End));
            }
        }
        // The schema does bite: an instant with an offset instead of "Z" is not the contract's.
        QJsonObject offset = *end;
        offset.insert(QStringLiteral("started_at"), QStringLiteral("2026-03-10T16:00:00+00:00"));
        QVERIFY(m_contract->validate(offset, m_contract->schema(QStringLiteral("RunReport"))));

        RunRecord noError = done;
        noError.error.reset();
        QCOMPARE(runReportJson(noError, RunReportKind::End).error().code,
                 QStringLiteral("run_report_invalid"));
    }

    void reportKeysAndPath()
    {
        const QString id = QStringLiteral("0b5c2f0e-8a43-4f63-a3d1-6b2f0a9e7c11");
        const QString startKey = runReportIdempotencyKey(id, RunReportKind::Start);
        QCOMPARE(runReportIdempotencyKey(id, RunReportKind::Start), startKey);
        QVERIFY(runReportIdempotencyKey(id, RunReportKind::End) != startKey);
        QVERIFY(runReportIdempotencyKey(QUuid::createUuid().toString(QUuid::WithoutBraces),
                                        RunReportKind::Start) != startKey);
        QVERIFY(!QUuid::fromString(startKey).isNull());
        QCOMPARE(startKey.size(), 36);
        QCOMPARE(runReportPath(id), QStringLiteral("/v1/sync/runs/") + id);
    }

    void reportsOwedUntilAcknowledged()
    {
        const RunRecord done = s->finished(RunStatus::Completed);
        const RunRecord running = s->started();
        auto pending = s->log->pendingReports();
        QVERIFY2(pending, failure(pending).constData());
        QCOMPARE(pending->size(), 2);
        QCOMPARE(pending->at(0).run.runId, done.runId); // only its end report: it says everything
        QCOMPARE(pending->at(0).kind, RunReportKind::End);
        QCOMPARE(pending->at(1).run.runId, running.runId);
        QCOMPARE(pending->at(1).kind, RunReportKind::Start);

        QVERIFY(s->log->markReported(done.runId, RunReportKind::End));
        QVERIFY(s->log->markReported(running.runId, RunReportKind::Start));
        QVERIFY(s->log->markReported(running.runId, RunReportKind::Start)); // twice is fine
        QVERIFY(s->log->pendingReports()->isEmpty());
        QCOMPARE(s->log->markReported(QStringLiteral("no-such-run"), RunReportKind::End).error().code,
                 QStringLiteral("run_not_found"));

        s->clock.advanceSecs(30);
        QVERIFY(s->log->finish(running.runId, RunOutcome{}));
        pending = s->log->pendingReports();
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->at(0).kind, RunReportKind::End);

        // Old runs go once the backend holds their end report; unreported ones stay whatever their age.
        s->clock.advanceSecs(100 * 86400);
        const RunRecord recent = s->finished(RunStatus::Completed);
        // Their upload tallies (sync/backend/outbox_batches.h) go with them.
        for (const QString& id : {done.runId, recent.runId})
            QVERIFY(s->db->execute(
                QStringLiteral("INSERT INTO upload_tallies (run_id, acknowledged) VALUES (?, 5)"), {id}));
        QCOMPARE(*s->log->purgeReportedBefore(s->clock.nowUtc().addDays(-30)), 1);
        QVERIFY(!s->log->find(done.runId)->has_value());
        QVERIFY(s->log->find(running.runId)->has_value());
        QVERIFY(s->log->find(recent.runId)->has_value());
        const auto tallies = s->db->query(QStringLiteral("SELECT run_id FROM upload_tallies"));
        QVERIFY(tallies);
        QCOMPARE(tallies->size(), 1);
        QCOMPARE(tallies->first().first().toString(), recent.runId);
    }

    // What follows every run purges the reported runs older than the history the alert rules look at.
    void wrapUpPurgesReportedRunsPastTheHistory()
    {
        const RunRecord old = s->finished(RunStatus::Completed);
        QVERIFY(s->log->markReported(old.runId, RunReportKind::End));
        const RunRecord unreported = s->finished(RunStatus::Completed);
        s->clock.advanceSecs(qint64{kRunHistoryDays} * 86400);
        const RunRecord kept = s->finished(RunStatus::Completed);
        QVERIFY(s->log->markReported(kept.runId, RunReportKind::End));
        const RunRecord latest = s->finished(RunStatus::Completed);

        // Never asked for a secret here: the credential state is read from the store.
        odis::storage::KeychainStore keychain(QUuid::createUuid());
        odis::storage::IdexxCredentials credentials(keychain, *s->db, s->clock);
        RunWrapUp wrapUp(*s->log, *s->db, credentials, nullptr, nullptr, s->clock);
        std::optional<WrapUpResult> result;
        wrapUp.run(latest, [&result](WrapUpResult r) { result = std::move(r); });
        QVERIFY(QTest::qWaitFor([&result] { return result.has_value(); }, 5'000));
        QVERIFY2(!result->alertsError,
                 qPrintable(result->alertsError ? result->alertsError->toString() : QString()));

        QVERIFY(!s->log->find(old.runId)->has_value());
        QVERIFY(s->log->find(unreported.runId)->has_value()); // the backend has not seen it yet
        QVERIFY(s->log->find(kept.runId)->has_value());
        QVERIFY(s->log->find(latest.runId)->has_value());
    }
};

QTEST_GUILESS_MAIN(TestRunReport)
#include "tst_run_report.moc"
