// The backend double's other endpoints over HTTPS: run reports, heartbeats with commands and their
// acknowledgements, the audit chain's acknowledged head, the PostHog batch endpoint, and the common fault
// plan on the backend's routes (including the lost answer that an idempotent retry recovers).

#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/gzip.h"
#include "tests/sim/common/test_pki.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::sim;
using namespace odis::sim::test;

namespace {
const QString kCode = QStringLiteral("TEST-CODE");
}

class TstBackendReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void runReports();
    void heartbeatDeliversCommandsUntilAcknowledged();
    void auditChainAcknowledgesItsHead();
    void posthogBatch();
    void lostAnswerIsRecoveredByRetryingTheSameKey();
    void faultsOnBackendRoutes();
    void resetWipesEverything();

private:
    int putFaults(const QJsonObject& plan)
    {
        return m_bed.client->sendJson("PUT", m_bed.adminUrl(QStringLiteral("/faults")), plan).status;
    }

    BackendTestBed m_bed{kCode};
};

void TstBackendReports::initTestCase()
{
    const odis::Status prepared = m_bed.prepare();
    QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
}

void TstBackendReports::init()
{
    const odis::Status started = m_bed.start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
}

void TstBackendReports::cleanup()
{
    m_bed.stop();
}

void TstBackendReports::runReports()
{
    const QString path = QStringLiteral("/v1/sync/runs/run-42");
    const HttpResult started =
        m_bed.agent->change("PUT", path, runReport(QStringLiteral("run-42"), QStringLiteral("running")));
    QCOMPARE(started.status, 200);
    QCOMPARE(started.json().value(QStringLiteral("reports")).toInt(), 1);
    const HttpResult ended =
        m_bed.agent->change("PUT", path, runReport(QStringLiteral("run-42"), QStringLiteral("completed")));
    QCOMPARE(ended.json().value(QStringLiteral("reports")).toInt(), 2);

    const HttpResult wrongId =
        m_bed.agent->change("PUT", path, runReport(QStringLiteral("run-43"), QStringLiteral("completed")));
    QCOMPARE(wrongId.status, 422);
    QCOMPARE(wrongId.json().value(QStringLiteral("error")).toString(), QStringLiteral("run_id_mismatch"));
    QJsonObject badStatus = runReport(QStringLiteral("run-42"), QStringLiteral("completed"));
    badStatus.insert(QStringLiteral("status"), QStringLiteral("done"));
    const HttpResult enumBroken = m_bed.agent->change("PUT", path, badStatus);
    QCOMPARE(enumBroken.status, 422);
    QCOMPARE(enumBroken.json()
                 .value(QStringLiteral("details"))
                 .toObject()
                 .value(QStringLiteral("field"))
                 .toString(),
             QStringLiteral("status"));
    QJsonObject noCounts = runReport(QStringLiteral("run-42"), QStringLiteral("completed"));
    noCounts.remove(QStringLiteral("counts"));
    QCOMPARE(m_bed.agent->change("PUT", path, noCounts).status, 400);
    QCOMPARE(m_bed.client
                 ->send("PUT", m_bed.agent->url(path), "{not json",
                        m_bed.agent->headers() +
                            QList<QPair<QByteArray, QByteArray>>{{"Idempotency-Key", newUuid().toUtf8()}})
                 .json()
                 .value(QStringLiteral("error"))
                 .toString(),
             QStringLiteral("invalid_json"));

    const QJsonArray runs =
        m_bed.agent->admin(QStringLiteral("/runs")).value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.at(0)[QStringLiteral("status")].toString(), QStringLiteral("completed"));
    QCOMPARE(runs.at(0)[QStringLiteral("reports")].toInt(), 2);
    QCOMPARE(runs.at(0)[QStringLiteral("report")][QStringLiteral("counts")][QStringLiteral("items_uploaded")]
                 .toInt(),
             75);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/run-reports?run_id=run-42"))
                 .value(QStringLiteral("run_reports"))
                 .toArray()
                 .size(),
             2);
}

void TstBackendReports::heartbeatDeliversCommandsUntilAcknowledged()
{
    const QString commandsPath =
        QStringLiteral("/agents/") + m_bed.agent->agentId + QStringLiteral("/commands");
    const HttpResult queued =
        m_bed.client->sendJson("POST", m_bed.adminUrl(commandsPath),
                               QJsonObject{{QStringLiteral("type"), QStringLiteral("sync_now")}});
    QCOMPARE(queued.status, 201);
    const QString id = queued.json().value(QStringLiteral("id")).toString();
    QCOMPARE(m_bed.client
                 ->sendJson("POST", m_bed.adminUrl(commandsPath),
                            QJsonObject{{QStringLiteral("type"), QStringLiteral("reboot")}})
                 .status,
             422);

    const auto commands = [this] {
        return m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody())
            .json()
            .value(QStringLiteral("commands"))
            .toArray();
    };
    for (int i = 0; i < 2; ++i) { // delivered again until acknowledged
        const QJsonArray delivered = commands();
        QCOMPARE(delivered.size(), 1);
        QCOMPARE(delivered.at(0)[QStringLiteral("id")].toString(), id);
        QCOMPARE(delivered.at(0)[QStringLiteral("type")].toString(), QStringLiteral("sync_now"));
        QVERIFY(delivered.at(0)[QStringLiteral("args")].isObject());
    }
    const QString ackPath = QStringLiteral("/v1/agents/commands/") + id + QStringLiteral("/ack");
    const QJsonObject result{
        {QStringLiteral("result"), QJsonObject{{QStringLiteral("outcome"), QStringLiteral("done")}}}};
    const HttpResult ack = m_bed.agent->change("POST", ackPath, result);
    QCOMPARE(ack.status, 200);
    const HttpResult ackAgain =
        m_bed.agent->change("POST", ackPath, result); // a new key: idempotent by state too
    QCOMPARE(ackAgain.status, 200);
    QCOMPARE(ackAgain.json().value(QStringLiteral("acked_at")), ack.json().value(QStringLiteral("acked_at")));
    QCOMPARE(commands().size(), 0);
    QCOMPARE(m_bed.agent->change("POST", QStringLiteral("/v1/agents/commands/nope/ack"), result).status, 404);
    QCOMPARE(m_bed.agent->change("POST", ackPath, QJsonObject{}).status, 400);

    const QJsonObject stored = m_bed.agent->admin(QStringLiteral("/commands"))
                                   .value(QStringLiteral("commands"))
                                   .toArray()
                                   .at(0)
                                   .toObject();
    QCOMPARE(stored.value(QStringLiteral("deliveries")).toInt(), 2);
    QCOMPARE(stored.value(QStringLiteral("result")).toObject(),
             result.value(QStringLiteral("result")).toObject());
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/heartbeats"))
                 .value(QStringLiteral("heartbeats"))
                 .toArray()
                 .size(),
             3);

    QJsonObject badState = heartbeatBody();
    badState.insert(QStringLiteral("credential_state"), QStringLiteral("expired"));
    QCOMPARE(m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), badState).status, 422);

    // The newest finished run with its warnings: optional (older agents), null, or checked like a run
    // report's warnings.
    const QJsonObject warning{{QStringLiteral("code"), QStringLiteral("neo_field_drift")},
                              {QStringLiteral("endpoint"), QStringLiteral("page-data")},
                              {QStringLiteral("field"), QStringLiteral("consultation.notes")},
                              {QStringLiteral("kind"), QJsonValue()},
                              {QStringLiteral("detail"), QStringLiteral("missing")},
                              {QStringLiteral("count"), 3}};
    const QJsonObject lastRun{
        {QStringLiteral("run_id"), QStringLiteral("7d1c2a9e-5b0f-4f7e-9d55-0c1f8f0e2a11")},
        {QStringLiteral("trigger"), QStringLiteral("schedule")},
        {QStringLiteral("status"), QStringLiteral("partial")},
        {QStringLiteral("finished_at"), QStringLiteral("2026-03-10T08:00:00Z")},
        {QStringLiteral("error_code"), QStringLiteral("neo_field_drift")},
        {QStringLiteral("warnings"), QJsonArray{warning}}};
    const auto beatWith = [this](const QJsonValue& run) {
        QJsonObject body = heartbeatBody();
        body.insert(QStringLiteral("last_run"), run);
        return m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), body).status;
    };
    QCOMPARE(beatWith(lastRun), 200);
    QCOMPARE(beatWith(QJsonValue()), 200);
    QJsonObject unknownCode = warning;
    unknownCode.insert(QStringLiteral("code"), QStringLiteral("something_else"));
    QJsonObject badWarning = lastRun;
    badWarning.insert(QStringLiteral("warnings"), QJsonArray{unknownCode});
    QCOMPARE(beatWith(badWarning), 422);
    QJsonObject noStatus = lastRun;
    noStatus.remove(QStringLiteral("status"));
    QCOMPARE(beatWith(noStatus), 400); // a required field missing
    const QJsonArray beats =
        m_bed.agent->admin(QStringLiteral("/heartbeats")).value(QStringLiteral("heartbeats")).toArray();
    QCOMPARE(beats.at(beats.size() - 2)
                 .toObject()
                 .value(QStringLiteral("heartbeat"))
                 .toObject()
                 .value(QStringLiteral("last_run"))
                 .toObject(),
             lastRun);
}

void TstBackendReports::auditChainAcknowledgesItsHead()
{
    const auto ship = [this](const QJsonArray& entries) {
        return m_bed.agent->change("POST", QStringLiteral("/v1/audit/batches"),
                                   QJsonObject{{QStringLiteral("entries"), entries}});
    };
    const auto head = [](const HttpResult& r) {
        return r.json().value(QStringLiteral("acked_through_seq")).toInt(-1);
    };
    QCOMPARE(head(ship(auditEntries(1, 3))), 3);
    QCOMPARE(head(ship(auditEntries(2, 4))), 4); // resent entries are accepted again
    QCOMPARE(head(ship(auditEntries(6, 7))), 4); // past a gap nothing is acknowledged
    QCOMPARE(head(ship({})), 4);

    QJsonArray wrongLink = auditEntries(5, 5);
    QJsonObject e5 = wrongLink.at(0).toObject();
    e5.insert(QStringLiteral("prev_hash"), auditHash(99));
    const HttpResult broken = ship({e5});
    QCOMPARE(broken.status, 422);
    QCOMPARE(broken.json().value(QStringLiteral("error")).toString(), QStringLiteral("audit_chain_broken"));
    QJsonObject rewritten = auditEntries(2, 2).at(0).toObject();
    rewritten.insert(QStringLiteral("hash"), auditHash(1234));
    const HttpResult conflict = ship(QJsonArray{rewritten, auditEntries(5, 5).at(0)});
    QCOMPARE(conflict.json().value(QStringLiteral("error")).toString(),
             QStringLiteral("audit_chain_conflict"));
    QCOMPARE(head(ship(auditEntries(5, 7))), 7); // the failed batches changed nothing

    const QJsonObject audit = m_bed.agent->admin(QStringLiteral("/audit"));
    QCOMPARE(
        audit.value(QStringLiteral("heads")).toArray().at(0)[QStringLiteral("acked_through_seq")].toInt(), 7);
    QCOMPARE(audit.value(QStringLiteral("entries")).toArray().size(), 7);
}

void TstBackendReports::posthogBatch()
{
    const QUrl batch = m_bed.agent->url(QStringLiteral("/batch/"));
    const HttpResult r = m_bed.client->sendJson("POST", batch, posthogBody(m_bed.agent->agentId, 3));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toInt(), 1);
    const QByteArray packed = gzip(QJsonDocument(posthogBody(m_bed.agent->agentId, 2)).toJson());
    QCOMPARE(m_bed.client
                 ->send("POST", batch, packed,
                        {{"Content-Encoding", "gzip"}, {"Content-Type", "application/json"}})
                 .status,
             200);

    QJsonObject noKey = posthogBody(m_bed.agent->agentId, 1);
    noKey.remove(QStringLiteral("api_key"));
    const HttpResult unauthorized = m_bed.client->sendJson("POST", batch, noKey);
    QCOMPARE(unauthorized.status, 401);
    QCOMPARE(unauthorized.json().value(QStringLiteral("code")).toString(), QStringLiteral("invalid_api_key"));
    QJsonObject noUuid = posthogBody(m_bed.agent->agentId, 1);
    QJsonArray events = noUuid.value(QStringLiteral("batch")).toArray();
    QJsonObject event = events.at(0).toObject();
    event.remove(QStringLiteral("uuid"));
    events.replace(0, event);
    noUuid.insert(QStringLiteral("batch"), events);
    QCOMPARE(m_bed.client->sendJson("POST", batch, noUuid).status, 400);

    QJsonObject personal = posthogBody(m_bed.agent->agentId, 1);
    events = personal.value(QStringLiteral("batch")).toArray();
    event = events.at(0).toObject();
    event.insert(QStringLiteral("properties"),
                 QJsonObject{{QStringLiteral("contact"), QStringLiteral("mara@example.com")},
                             {QStringLiteral("notes_found"), 3},
                             {QStringLiteral("started"), QStringLiteral("2026-03-10T16:03:10.000Z")}});
    events.replace(0, event);
    personal.insert(QStringLiteral("batch"), events);
    QCOMPARE(m_bed.client->sendJson("POST", batch, personal).status, 200);

    QCOMPARE(m_bed.client
                 ->sendJson("PUT", m_bed.adminUrl(QStringLiteral("/config")),
                            QJsonObject{{QStringLiteral("posthog_api_key"), QStringLiteral("phc_other")}})
                 .status,
             200);
    QCOMPARE(m_bed.client->sendJson("POST", batch, posthogBody(m_bed.agent->agentId, 1)).status, 401);

    const QJsonArray stored = m_bed.agent->admin(QStringLiteral("/posthog-events"))
                                  .value(QStringLiteral("posthog_events"))
                                  .toArray();
    QCOMPARE(stored.size(), 6);
    int flagged = 0;
    for (const QJsonValue e : stored) {
        QCOMPARE(e[QStringLiteral("distinct_id")].toString(), m_bed.agent->agentId);
        flagged += e[QStringLiteral("pii_suspect")].toInt();
    }
    QCOMPARE(flagged, 1);
}

void TstBackendReports::lostAnswerIsRecoveredByRetryingTheSameKey()
{
    QCOMPARE(putFaults(QJsonObject{
                 {QStringLiteral("batches"),
                  QJsonObject{{QStringLiteral("reset"), true}, {QStringLiteral("after_handler"), true}}}}),
             200);
    const QString batchId = newUuid();
    const QJsonObject body =
        batchBody(m_bed.agent->clinicId,
                  {item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("900")),
                        QStringLiteral("2026-03-10T16:00:00Z"))},
                  batchId);
    const HttpResult lost = m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"), body, batchId);
    QCOMPARE(lost.status, 0);
    QVERIFY(lost.error != QNetworkReply::NoError);
    QCOMPARE(m_bed.client->send("DELETE", m_bed.adminUrl(QStringLiteral("/faults"))).status, 204);

    const HttpResult retried = m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"), body, batchId);
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(
        retried.json().value(QStringLiteral("results")).toArray().at(0)[QStringLiteral("status")].toString(),
        QStringLiteral("stored"));
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/observations"))
                 .value(QStringLiteral("observations"))
                 .toArray()
                 .size(),
             1);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/duplicates")).value(QStringLiteral("duplicates")).toInt(),
             0);
}

void TstBackendReports::faultsOnBackendRoutes()
{
    QCOMPARE(
        putFaults(QJsonObject{
            {QStringLiteral("heartbeat"),
             QJsonObject{{QStringLiteral("rate_limit"), QJsonObject{{QStringLiteral("requests"), 1},
                                                                    {QStringLiteral("per_seconds"), 60},
                                                                    {QStringLiteral("retry_after"), 30}}}}},
            {QStringLiteral("clinic"),
             QJsonObject{{QStringLiteral("rename_fields"),
                          QJsonObject{{QStringLiteral("timezone"), QStringLiteral("time_zone")}}}}},
            {QStringLiteral("runs"),
             QJsonObject{{QStringLiteral("error_rate"), 1}, {QStringLiteral("error_status"), 503}}},
            {QStringLiteral("audit"), QJsonObject{{QStringLiteral("removed"), true}}},
            {QStringLiteral("posthog_batch"), QJsonObject{{QStringLiteral("html_instead"), true}}},
            {QStringLiteral("command_ack"), QJsonObject{{QStringLiteral("hang"), true}}}}),
        200);
    QCOMPARE(m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody()).status,
             200);
    const HttpResult limited =
        m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("Retry-After"), QByteArray("30"));
    const QJsonObject clinic = m_bed.agent->get(QStringLiteral("/v1/clinic")).json();
    QVERIFY(clinic.contains(QStringLiteral("time_zone")) && !clinic.contains(QStringLiteral("timezone")));
    QCOMPARE(m_bed.agent
                 ->change("PUT", QStringLiteral("/v1/sync/runs/r1"),
                          runReport(QStringLiteral("r1"), QStringLiteral("running")))
                 .status,
             503);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/runs")).value(QStringLiteral("runs")).toArray().size(), 0);
    QCOMPARE(m_bed.agent
                 ->change("POST", QStringLiteral("/v1/audit/batches"),
                          QJsonObject{{QStringLiteral("entries"), auditEntries(1, 1)}})
                 .status,
             404);
    const HttpResult html = m_bed.client->sendJson("POST", m_bed.agent->url(QStringLiteral("/batch/")),
                                                   posthogBody(m_bed.agent->agentId, 1));
    QVERIFY(html.header("Content-Type").startsWith("text/html"));
    auto headers = m_bed.agent->headers();
    headers.push_back({"Idempotency-Key", newUuid().toUtf8()});
    const HttpResult hung =
        m_bed.client->send("POST", m_bed.agent->url(QStringLiteral("/v1/agents/commands/x/ack")),
                           R"({"result":{}})", headers, 300);
    QCOMPARE(hung.status, 0);

    const QJsonObject counts = m_bed.client->get(m_bed.adminUrl(QStringLiteral("/requests")))
                                   .json()
                                   .value(QStringLiteral("counts"))
                                   .toObject();
    QCOMPARE(counts.value(QStringLiteral("heartbeat")).toInt(), 2);
    QCOMPARE(counts.value(QStringLiteral("enroll")).toInt(), 1);
}

void TstBackendReports::resetWipesEverything()
{
    QCOMPARE(m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody()).status,
             200);
    QCOMPARE(
        putFaults(QJsonObject{{QStringLiteral("clinic"), QJsonObject{{QStringLiteral("removed"), true}}}}),
        200);
    const HttpResult reset = m_bed.client->send("POST", m_bed.adminUrl(QStringLiteral("/reset")));
    QCOMPARE(reset.status, 200);
    QCOMPARE(reset.json().value(QStringLiteral("enrollment_code")).toString(), kCode);
    const QJsonObject summary = m_bed.agent->admin(QStringLiteral("/summary"));
    QCOMPARE(summary.value(QStringLiteral("agents")).toInt(), 0);
    QCOMPARE(summary.value(QStringLiteral("heartbeats")).toInt(), 0);
    QCOMPARE(m_bed.agent->get(QStringLiteral("/v1/clinic")).status, 401); // its token is gone with it
    AgentSession fresh(*m_bed.client, m_bed.server->baseUrl());
    QCOMPARE(fresh.enroll(kCode).status, 201);
    QCOMPARE(fresh.get(QStringLiteral("/v1/clinic")).status, 200); // the fault plan was cleared too
}

QTEST_GUILESS_MAIN(TstBackendReports)
#include "tst_backend_reports.moc"
