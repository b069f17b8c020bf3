// The five telemetry events built from what the agent knows (agent/telemetry/telemetry_events.h): their
// exact properties, and that nothing of a run's free text ever becomes one. The allow-list itself:
// tst_telemetry_allow_list.

#include "agent/telemetry/telemetry_events.h"
#include "tests/unit/telemetry_test_data.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace odis::agent;
using namespace odis::test;

namespace {

RunRecord finishedRun(RunStatus status)
{
    RunRecord run;
    run.runId = kTelemetryRunId;
    run.trigger = RunTrigger::CatchUp;
    run.startedAt = kTelemetryTime;
    run.finishedAt = kTelemetryTime.addSecs(95);
    run.status = status;
    run.step = QStringLiteral("upload");
    run.counts = RunCounts{120, 14, 11, 40, 38, 6, 5, 2};
    run.durationMs = 95'000;
    run.peakRssMb = 412.5;
    run.driftWarnings = 1;
    if (status == RunStatus::Failed || status == RunStatus::Interrupted)
        run.error = RunError{QStringLiteral("backend_server_error"),
                             QStringLiteral("upload failed after %1 called %2 at %3")
                                 .arg(kCanaryName, kCanaryPhone, kCanaryEmail)};
    return run;
}

QString jsonText(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void verifyNoCanary(const QJsonObject& properties)
{
    const QString text = jsonText(properties);
    for (const QString& canary : {QStringLiteral("Canary"), QStringLiteral("canary"),
                                  QStringLiteral("Philippa"), QStringLiteral("555"), QStringLiteral("@")})
        QVERIFY2(!text.contains(canary), qPrintable(text));
}

} // namespace

class TestTelemetryEvents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void syncStartedFromARun()
    {
        RunRecord run;
        run.runId = kTelemetryRunId;
        run.trigger = RunTrigger::Remote;
        run.startedAt = kTelemetryTime;
        const auto event = syncStartedEvent(run);
        QVERIFY2(event, qPrintable(event ? QString() : event.error().toString()));
        QCOMPARE(event->name, QStringLiteral("sync.started"));
        QCOMPARE(event->timestamp, kTelemetryTime);
        QVERIFY(!event->uuid.isNull());
        QCOMPARE(event->properties, (QJsonObject{{QStringLiteral("run_id"), kTelemetryRunId},
                                                 {QStringLiteral("trigger"), QStringLiteral("remote")}}));
    }

    void syncCompletedCarriesCountsAndDuration()
    {
        const auto event = syncCompletedEvent(finishedRun(RunStatus::Partial));
        QVERIFY2(event, qPrintable(event ? QString() : event.error().toString()));
        QCOMPARE(event->name, QStringLiteral("sync.completed"));
        QCOMPARE(event->timestamp, kTelemetryTime.addSecs(95));
        const QJsonObject expected{{QStringLiteral("run_id"), kTelemetryRunId},
                                   {QStringLiteral("trigger"), QStringLiteral("catch_up")},
                                   {QStringLiteral("status"), QStringLiteral("partial")},
                                   {QStringLiteral("appointments_seen"), 120},
                                   {QStringLiteral("consultations_fetched"), 14},
                                   {QStringLiteral("notes_found"), 11},
                                   {QStringLiteral("items_queued"), 40},
                                   {QStringLiteral("items_uploaded"), 38},
                                   {QStringLiteral("calls_planned"), 6},
                                   {QStringLiteral("calls_excluded"), 5},
                                   {QStringLiteral("failed"), 2},
                                   {QStringLiteral("duration_ms"), 95000},
                                   {QStringLiteral("drift_warnings"), 1},
                                   {QStringLiteral("peak_rss_mb"), 412.5}};
        QCOMPARE(event->properties, expected);

        RunRecord unmeasured = finishedRun(RunStatus::Completed);
        unmeasured.peakRssMb.reset();
        unmeasured.durationMs.reset(); // from the timestamps then
        const auto lean = syncCompletedEvent(unmeasured);
        QVERIFY(lean);
        QVERIFY(!lean->properties.contains(QStringLiteral("peak_rss_mb")));
        QCOMPARE(lean->properties.value(QStringLiteral("duration_ms")).toInteger(), 95000);
    }

    void syncFailedCarriesTheCodeAndStepNeverTheMessage()
    {
        const RunRecord run = finishedRun(RunStatus::Failed);
        const auto event = syncFailedEvent(run);
        QVERIFY2(event, qPrintable(event ? QString() : event.error().toString()));
        QCOMPARE(event->name, QStringLiteral("sync.failed"));
        QCOMPARE(event->properties,
                 (QJsonObject{{QStringLiteral("run_id"), kTelemetryRunId},
                              {QStringLiteral("trigger"), QStringLiteral("catch_up")},
                              {QStringLiteral("status"), QStringLiteral("failed")},
                              {QStringLiteral("error_code"), QStringLiteral("backend_server_error")},
                              {QStringLiteral("step"), QStringLiteral("upload")},
                              {QStringLiteral("duration_ms"), 95000}}));
        verifyNoCanary(event->properties);
    }

    void aCanaryInTheRunNeverBecomesAProperty()
    {
        // Everywhere a run can hold text: the error message (left out) and the error code and step
        // (refused when they are not codes).
        RunRecord run = finishedRun(RunStatus::Failed);
        for (const RunStatus status :
             {RunStatus::Completed, RunStatus::Partial, RunStatus::Failed, RunStatus::Interrupted}) {
            RunRecord r = finishedRun(status);
            const auto ended = syncEndedEvent(r);
            QVERIFY2(ended, qPrintable(ended ? QString() : ended.error().toString()));
            verifyNoCanary(ended->properties);
        }
        for (const QString& canary : {kCanaryName, kCanaryPhone, kCanaryEmail}) {
            RunRecord badCode = run;
            badCode.error->code = canary;
            const auto refused = syncFailedEvent(badCode);
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, QStringLiteral("telemetry_value_refused"));
            QVERIFY(!refused.error().message.contains(canary));

            RunRecord badStep = run;
            badStep.step = canary;
            QCOMPARE(syncFailedEvent(badStep).error().code, QStringLiteral("telemetry_value_refused"));

            const auto credential = credentialValidatedEvent(false, canary, kTelemetryTime);
            QVERIFY(!credential);
            QCOMPARE(credential.error().code, QStringLiteral("telemetry_value_refused"));
        }
        RunRecord badId = run;
        badId.runId = kCanaryEmail;
        QCOMPARE(syncStartedEvent(badId).error().code, QStringLiteral("telemetry_value_refused"));
    }

    void syncEndedPicksTheEvent()
    {
        QCOMPARE(syncEndedEvent(finishedRun(RunStatus::Completed))->name, QStringLiteral("sync.completed"));
        QCOMPARE(syncEndedEvent(finishedRun(RunStatus::Partial))->name, QStringLiteral("sync.completed"));
        QCOMPARE(syncEndedEvent(finishedRun(RunStatus::Failed))->name, QStringLiteral("sync.failed"));
        const auto interrupted = syncEndedEvent(finishedRun(RunStatus::Interrupted));
        QCOMPARE(interrupted->name, QStringLiteral("sync.failed"));
        QCOMPARE(interrupted->properties.value(QStringLiteral("status")).toString(),
                 QStringLiteral("interrupted"));

        RunRecord running = finishedRun(RunStatus::Running);
        running.finishedAt = {};
        QCOMPARE(syncEndedEvent(running).error().code, QStringLiteral("telemetry_run_not_finished"));
        QCOMPARE(syncCompletedEvent(finishedRun(RunStatus::Failed)).error().code,
                 QStringLiteral("telemetry_run_not_finished"));
        QCOMPARE(syncFailedEvent(finishedRun(RunStatus::Completed)).error().code,
                 QStringLiteral("telemetry_run_not_finished"));
    }

    void dischargeAndCredentialEvents()
    {
        const auto scheduled = dischargeScheduledEvent(kTelemetryRunId, 7, kTelemetryTime);
        QVERIFY(scheduled);
        QCOMPARE(scheduled->name, QStringLiteral("discharge.scheduled"));
        QCOMPARE(scheduled->properties,
                 (QJsonObject{{QStringLiteral("count"), 7}, {QStringLiteral("run_id"), kTelemetryRunId}}));
        QCOMPARE(dischargeScheduledEvent(QString(), -1, kTelemetryTime).error().code,
                 QStringLiteral("telemetry_property_type"));

        const auto valid = credentialValidatedEvent(true, QString(), kTelemetryTime);
        QVERIFY(valid);
        QCOMPARE(valid->properties, (QJsonObject{{QStringLiteral("valid"), true}}));
        const auto invalid =
            credentialValidatedEvent(false, QStringLiteral("neo_login_rejected"), kTelemetryTime);
        QVERIFY(invalid);
        QCOMPARE(invalid->properties,
                 (QJsonObject{{QStringLiteral("valid"), false},
                              {QStringLiteral("reason"), QStringLiteral("neo_login_rejected")}}));
        QCOMPARE(credentialValidatedEvent(true, QString(), QDateTime()).error().code,
                 QStringLiteral("telemetry_time_invalid"));
    }

    void everyEventHasItsOwnUuid()
    {
        QSet<QUuid> seen;
        for (int i = 0; i < 200; ++i) {
            const auto event = dischargeScheduledEvent(kTelemetryRunId, i, kTelemetryTime);
            QVERIFY(event);
            QVERIFY(!seen.contains(event->uuid));
            seen.insert(event->uuid);
        }
    }
};

QTEST_APPLESS_MAIN(TestTelemetryEvents)
#include "tst_telemetry_events.moc"
