// Telemetry end to end (agent/telemetry/): events recorded into the real encrypted store and sent to the
// backend double's PostHog endpoint (POST /batch/) over HTTPS. What arrives and in which shape (checked
// against the contract's PosthogBatch schema), batches, the cap, the off switch, and that nothing of a
// run's clinic data reaches PostHog. Failures of PostHog: tst_telemetry_failures.

#include "agent/run/run_log.h"
#include "tests/integration/posthog_fixture.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/contract/openapi_document.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace odis::agent;
using namespace odis::test;
using namespace std::chrono_literals;

namespace {

// Pushed into a run's data; none of it may reach PostHog.
const QString kCanaryName = QStringLiteral("Philippa Canaryweather");
const QString kCanaryPhone = QStringLiteral("+1 415 555 0142");
const QString kCanaryEmail = QStringLiteral("philippa.canary@example.com");

} // namespace

class TestTelemetry : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_pkiDir;
    std::optional<odis::sim::TestPki> m_pki;
    std::unique_ptr<PostHogFixture> f;
    std::optional<odis::sim::contract::OpenApiDocument> m_contract;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_pkiDir.isValid());
        auto pki = odis::sim::TestPki::loadOrCreate(m_pkiDir.filePath(QStringLiteral("pki")));
        QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().toString()));
        m_pki = *pki;
        auto doc = odis::sim::contract::OpenApiDocument::load(
            qEnvironmentVariable("ODIS_SOURCE_DIR") + QStringLiteral("/docs/openapi/agent-api-v1.yaml"));
        QVERIFY2(doc, qPrintable(doc ? QString() : doc.error().toString()));
        m_contract = std::move(*doc);
    }

    void init()
    {
        f = std::make_unique<PostHogFixture>(*m_pki);
        const auto started = f->start();
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
    }

    void cleanup() { f.reset(); }

    void eventsArriveWithTheRightShape()
    {
        auto telemetry = f->make(f->settings());
        RunLog runs(*f->db, f->clock);
        const RunRecord run = *runs.start(RunTrigger::Manual);
        QVERIFY(telemetry->record(syncStartedEvent(run)));
        QVERIFY(runs.setStep(run.runId, run_step::kUpload));
        f->clock.advanceSecs(70);
        RunOutcome outcome;
        outcome.counts = RunCounts{12, 3, 3, 9, 9, 2, 1, 0};
        outcome.peakRssMb = 301.5;
        const RunRecord done = *runs.finish(run.runId, outcome);
        QVERIFY(telemetry->record(syncEndedEvent(done)));
        QVERIFY(telemetry->record(dischargeScheduledEvent(run.runId, 2, f->clock.nowUtc())));
        QVERIFY(telemetry->record(credentialValidatedEvent(true, QString(), f->clock.nowUtc())));
        RunRecord failedRun = done;
        failedRun.status = RunStatus::Failed;
        failedRun.error = RunError{QStringLiteral("neo_login_rejected"), QStringLiteral("rejected")};
        QVERIFY(telemetry->record(syncEndedEvent(failedRun)));
        QCOMPARE(f->queued(*telemetry), 5);

        // The body as it will be sent matches the contract's PosthogBatch schema.
        const QJsonObject body =
            posthogBatchBody(kPostHogApiKey, kPostHogAgentId, *telemetry->queue().oldest(10));
        const auto bad = m_contract->validate(body, m_contract->schema(QStringLiteral("PosthogBatch")));
        QVERIFY2(!bad, qPrintable(bad.value_or(QString())));
        const QList<QueuedTelemetryEvent> sentEvents = *telemetry->queue().oldest(10);

        const auto result = f->flushAndWait(*telemetry);
        QVERIFY(result);
        QVERIFY2(!result->error, qPrintable(result->error ? result->error->toString() : QString()));
        QCOMPARE(result->sent, 5);
        QCOMPARE(result->batches, 1);
        QCOMPARE(f->queued(*telemetry), 0);

        const QJsonArray events = f->received();
        QCOMPARE(events.size(), 5);
        QStringList names;
        for (qsizetype i = 0; i < events.size(); ++i) {
            const QJsonObject e = events.at(i).toObject();
            const TelemetryEvent& local = sentEvents.at(i).event;
            names.append(e.value(QStringLiteral("event")).toString());
            QCOMPARE(e.value(QStringLiteral("distinct_id")).toString(), kPostHogAgentId);
            QCOMPARE(e.value(QStringLiteral("uuid")).toString(), local.uuid.toString(QUuid::WithoutBraces));
            QCOMPARE(e.value(QStringLiteral("timestamp")).toString(),
                     local.timestamp.toString(Qt::ISODateWithMs));
            QVERIFY(e.value(QStringLiteral("timestamp")).toString().endsWith(u'Z'));
            QCOMPARE(e.value(QStringLiteral("properties")).toObject(), local.properties);
            verifyOnlyCodesNumbersAndBooleans(e.value(QStringLiteral("properties")).toObject());
        }
        QCOMPARE(names, (QStringList{QStringLiteral("sync.started"), QStringLiteral("sync.completed"),
                                     QStringLiteral("discharge.scheduled"),
                                     QStringLiteral("credential.validated"), QStringLiteral("sync.failed")}));
        const QJsonObject completed = events.at(1).toObject().value(QStringLiteral("properties")).toObject();
        QCOMPARE(completed.value(QStringLiteral("items_uploaded")).toInteger(), 9);
        QCOMPARE(completed.value(QStringLiteral("duration_ms")).toInteger(), 70'000);
        const QJsonObject failedProps =
            events.at(4).toObject().value(QStringLiteral("properties")).toObject();
        QCOMPARE(failedProps.value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("neo_login_rejected"));
        QCOMPARE(failedProps.value(QStringLiteral("step")).toString(), QStringLiteral("upload"));

        // Nothing left: a second flush sends nothing.
        const auto again = f->flushAndWait(*telemetry);
        QVERIFY(again && !again->error);
        QCOMPARE(again->sent, 0);
        QCOMPARE(f->batchRequests(), 1);
    }

    void aBacklogGoesInBatchesOverSeveralFlushes()
    {
        TelemetrySettings s = f->settings();
        s.posthog.batchSize = 4;
        s.posthog.maxBatchesPerFlush = 2;
        auto telemetry = f->make(s);
        for (int i = 1; i <= 10; ++i)
            QVERIFY(telemetry->record(f->discharge(i)));
        auto first = f->flushAndWait(*telemetry);
        QVERIFY(first && !first->error);
        QCOMPARE(first->sent, 8);
        QCOMPARE(first->batches, 2);
        QCOMPARE(f->queued(*telemetry), 2);
        auto second = f->flushAndWait(*telemetry);
        QVERIFY(second && !second->error);
        QCOMPARE(second->sent, 2);
        QCOMPARE(f->batchRequests(), 3);
        QCOMPARE(f->receivedCounts(), (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})); // oldest first
    }

    void theCapDropsTheOldest()
    {
        auto telemetry = f->make(f->settings(5));
        for (int i = 1; i <= 8; ++i)
            QVERIFY(telemetry->record(f->discharge(i)));
        QCOMPARE(f->queued(*telemetry), 5);
        QCOMPARE(telemetry->queue().droppedCount(), 3);
        auto result = f->flushAndWait(*telemetry);
        QVERIFY(result && !result->error);
        QCOMPARE(f->receivedCounts(), (QList<qint64>{4, 5, 6, 7, 8}));
    }

    void theDefaultCapIsAThousand()
    {
        auto telemetry = f->make(f->settings());
        QCOMPARE(telemetry->queue().capacity(), 1000);
        QVERIFY(f->db->transaction([&] {
            for (int i = 1; i <= 1003; ++i) {
                if (auto queuedOk = telemetry->queue().enqueue(f->discharge(i)); !queuedOk)
                    return queuedOk;
            }
            return odis::Status();
        }));
        QCOMPARE(f->queued(*telemetry), 1000);
        QCOMPARE(
            telemetry->queue().oldest(1)->first().event.properties.value(QStringLiteral("count")).toInteger(),
            4);
    }

    void switchedOffNothingIsQueuedOrSent()
    {
        TelemetrySettings s = f->settings();
        s.enabled = false;
        auto telemetry = f->make(s);
        QVERIFY(!telemetry->enabled());
        QVERIFY(telemetry->record(f->discharge(1))); // accepted and dropped: the run goes on
        QCOMPARE(f->queued(*telemetry), 0);
        auto result = f->flushAndWait(*telemetry);
        QVERIFY(result);
        QCOMPARE(result->error->code, QStringLiteral("telemetry_disabled"));
        QCOMPARE(f->batchRequests(), 0);
        QVERIFY(f->received().isEmpty());

        // Off does not even need a PostHog configuration.
        TelemetrySettings bare;
        bare.enabled = false;
        QVERIFY(Telemetry::create(*f->db, f->clock, bare));
    }

    void switchingOffEmptiesTheQueue()
    {
        {
            auto telemetry = f->make(f->settings());
            for (int i = 1; i <= 3; ++i)
                QVERIFY(telemetry->record(f->discharge(i)));
            QVERIFY(telemetry->setEnabled(false));
            QCOMPARE(f->queued(*telemetry), 0);
            QVERIFY(telemetry->record(f->discharge(4)));
            QCOMPARE(f->queued(*telemetry), 0);
            QVERIFY(telemetry->setEnabled(true));
            QVERIFY(telemetry->record(f->discharge(5)));
            QCOMPARE(f->queued(*telemetry), 1);
        }
        // Off in the configuration at the next start: what an earlier life queued is never sent.
        TelemetrySettings off = f->settings();
        off.enabled = false;
        auto telemetry = f->make(off);
        QCOMPARE(f->queued(*telemetry), 0);
        QCOMPARE(f->batchRequests(), 0);
    }

    void noCanaryFromARunReachesPostHog()
    {
        auto telemetry = f->make(f->settings());
        RunLog runs(*f->db, f->clock);
        const QString canaries = kCanaryName + u' ' + kCanaryPhone + u' ' + kCanaryEmail;

        // A run whose free text is full of clinic data, as a careless error message might be.
        const RunRecord run = *runs.start(RunTrigger::Schedule);
        QVERIFY(telemetry->record(syncStartedEvent(run)));
        QVERIFY(runs.setStep(run.runId, run_step::kConsultations));
        f->clock.advanceSecs(40);
        RunOutcome outcome;
        outcome.status = RunStatus::Failed;
        outcome.counts = RunCounts{5, 1, 1, 0, 0, 0, 0, 1};
        outcome.error = RunError{QStringLiteral("neo_call_timeout"), QStringLiteral("reading ") + canaries};
        const RunRecord failed = *runs.finish(run.runId, outcome);
        QVERIFY(telemetry->record(syncEndedEvent(failed)));
        QVERIFY(telemetry->record(dischargeScheduledEvent(run.runId, 1, f->clock.nowUtc())));
        QVERIFY(telemetry->record(
            credentialValidatedEvent(false, QStringLiteral("neo_login_rejected"), f->clock.nowUtc())));

        // And the same data where a code belongs: refused, typed, never queued.
        for (const QString& canary : {kCanaryName, kCanaryPhone, kCanaryEmail}) {
            RunRecord wrongCode = failed;
            wrongCode.error->code = canary;
            const auto refused = telemetry->record(syncEndedEvent(wrongCode));
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, QStringLiteral("telemetry_value_refused"));
            QCOMPARE(
                telemetry->record(credentialValidatedEvent(false, canary, f->clock.nowUtc())).error().code,
                QStringLiteral("telemetry_value_refused"));
            TelemetryEvent forged = *dischargeScheduledEvent(run.runId, 1, f->clock.nowUtc());
            forged.properties.insert(QStringLiteral("note"), canary);
            QCOMPARE(telemetry->record(forged).error().code,
                     QStringLiteral("telemetry_property_not_allowed"));
        }
        QCOMPARE(f->queued(*telemetry), 4);

        auto result = f->flushAndWait(*telemetry);
        QVERIFY(result && !result->error);
        const QJsonArray events = f->received();
        QCOMPARE(events.size(), 4);
        const QString everything = QString::fromUtf8(QJsonDocument(events).toJson(QJsonDocument::Compact));
        for (const QString& piece :
             {QStringLiteral("Philippa"), QStringLiteral("Canaryweather"), QStringLiteral("415 555"),
              QStringLiteral("4155550142"), QStringLiteral("canary@"), QStringLiteral("example.com"),
              QStringLiteral("reading")})
            QVERIFY2(!everything.contains(piece, Qt::CaseInsensitive), qPrintable(piece));
        for (const auto& e : events)
            verifyOnlyCodesNumbersAndBooleans(e.toObject().value(QStringLiteral("properties")).toObject());
        const QJsonObject failedProps =
            events.at(1).toObject().value(QStringLiteral("properties")).toObject();
        QCOMPARE(failedProps.value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("neo_call_timeout"));
    }
};

QTEST_GUILESS_MAIN(TestTelemetry)
#include "tst_telemetry.moc"
