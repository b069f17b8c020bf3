// The backend double's batches over HTTPS with a real client: per-item results, one call per owner per day,
// item rejections, idempotent replays, 409 for a reused key, latest observation wins, duplicates, 413, gzip.

#include "tests/sim/backend/backend_server.h"
#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/gzip.h"

#include <QJsonDocument>
#include <QTest>

using namespace odis::sim;
using namespace odis::sim::test;

namespace {

const QString kCode = QStringLiteral("TEST-CODE");

QJsonObject merged(QJsonObject base, const QJsonObject& patch)
{
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it) {
        if (it.value() == QJsonValue(QStringLiteral("__remove__")))
            base.remove(it.key());
        else if (it.value().isObject() && base.value(it.key()).isObject())
            base.insert(it.key(), merged(base.value(it.key()).toObject(), it.value().toObject()));
        else
            base.insert(it.key(), it.value());
    }
    return base;
}

QJsonObject payloadFor(const QString& kind)
{
    if (kind == QStringLiteral("consultation"))
        return consultationPayload(QStringLiteral("9100"), QStringLiteral("100"));
    if (kind == QStringLiteral("discharge_call"))
        return dischargeCallPayload(QStringLiteral("100"));
    return appointmentPayload(QStringLiteral("100"));
}
} // namespace

class TstBackendBatches : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void batchAnswersPerItem();
    void oneCallPerOwnerPerDayIsAccepted();
    void itemRejections_data();
    void itemRejections();
    void replayedBatchGetsTheFirstAnswer();
    void reusedKeyWithAnotherBodyIs409();
    void latestObservationWins();
    void duplicatesAreCounted();
    void oversizedBatchesAre413();
    void gzipBatch();

private:
    HttpResult sendBatch(const QJsonArray& items, const QString& batchId = newUuid())
    {
        return m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"),
                                   batchBody(m_bed.agent->clinicId, items, batchId), batchId);
    }

    BackendTestBed m_bed{kCode};
};

void TstBackendBatches::initTestCase()
{
    const odis::Status prepared = m_bed.prepare();
    QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
}

void TstBackendBatches::init()
{
    const odis::Status started = m_bed.start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
}

void TstBackendBatches::cleanup()
{
    m_bed.stop();
}
void TstBackendBatches::batchAnswersPerItem()
{
    const QString at = QStringLiteral("2026-03-10T16:01:00.123Z");
    QJsonArray items{item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("100")), at),
                     item(QStringLiteral("consultation"),
                          consultationPayload(QStringLiteral("9100"), QStringLiteral("100")), at),
                     item(QStringLiteral("discharge_call"), dischargeCallPayload(QStringLiteral("100")), at),
                     item(QStringLiteral("discharge_call"),
                          dischargeCallPayload(QStringLiteral("101"), QStringLiteral("excluded")), at)};
    QJsonObject broken = item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("102")), at);
    broken.insert(QStringLiteral("kind"), QStringLiteral("invoice"));
    items.append(broken);
    const QString batchId = newUuid();
    const HttpResult r = sendBatch(items, batchId);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("batch_id")).toString(), batchId);
    const QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 5);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(results.at(i)[QStringLiteral("status")].toString(), QStringLiteral("stored"));
        QCOMPARE(results.at(i)[QStringLiteral("key")], items.at(i)[QStringLiteral("key")]);
        QCOMPARE(results.at(i)[QStringLiteral("version")], items.at(i)[QStringLiteral("version")]);
    }
    QCOMPARE(results.at(4)[QStringLiteral("status")].toString(), QStringLiteral("rejected"));
    QCOMPARE(results.at(4)[QStringLiteral("error")].toString(), QStringLiteral("invalid_item"));

    // The same content observed later is unchanged; the admin API shows what was received.
    QJsonArray later;
    for (int i = 0; i < 4; ++i) {
        QJsonObject again = items.at(i).toObject();
        again.insert(QStringLiteral("observed_at"), QStringLiteral("2026-03-10T20:00:00Z"));
        later.append(again);
    }
    const QJsonArray second = sendBatch(later).json().value(QStringLiteral("results")).toArray();
    for (const QJsonValue result : second)
        QCOMPARE(result[QStringLiteral("status")].toString(), QStringLiteral("unchanged"));
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/items")).value(QStringLiteral("items")).toArray().size(), 4);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/items?kind=discharge_call"))
                 .value(QStringLiteral("items"))
                 .toArray()
                 .size(),
             2);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/rejected-items"))
                 .value(QStringLiteral("rejected_items"))
                 .toArray()
                 .size(),
             1);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/batches")).value(QStringLiteral("batches")).toArray().size(),
             2);
}

// A planned carrier with its group, a grouped call into it, and trace details are the contract's.
void TstBackendBatches::oneCallPerOwnerPerDayIsAccepted()
{
    const QString at = QStringLiteral("2026-03-10T16:01:00.123Z");
    QJsonObject carrier = dischargeCallPayload(QStringLiteral("100"));
    carrier.insert(QStringLiteral("group"), QJsonArray{QStringLiteral("100"), QStringLiteral("101")});
    QJsonObject member = dischargeCallPayload(QStringLiteral("101"));
    member.insert(QStringLiteral("decision"), QStringLiteral("grouped"));
    member.insert(QStringLiteral("reason"), QStringLiteral("grouped"));
    member.insert(QStringLiteral("grouped_into"), QStringLiteral("100"));
    member.insert(QStringLiteral("rule_trace"),
                  QJsonArray{QStringLiteral("block:pass"), QStringLiteral("grouped:hit into 100")});
    QJsonObject patient = dischargeCallPayload(QStringLiteral("102"), QStringLiteral("excluded"));
    patient.insert(QStringLiteral("reason"), QStringLiteral("excluded:end_of_life_patient"));
    patient.insert(
        QStringLiteral("rule_trace"),
        QJsonArray{QStringLiteral("end_of_life_patient:hit appointment 99 end_of_life notes: pts")});
    const QJsonArray items{item(QStringLiteral("discharge_call"), carrier, at),
                           item(QStringLiteral("discharge_call"), member, at),
                           item(QStringLiteral("discharge_call"), patient, at)};
    const HttpResult r = sendBatch(items);
    QCOMPARE(r.status, 200);
    for (const QJsonValue result : r.json().value(QStringLiteral("results")).toArray())
        QVERIFY2(result[QStringLiteral("status")].toString() == QLatin1String("stored"),
                 QJsonDocument(result.toObject()).toJson().constData());
}

void TstBackendBatches::itemRejections_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("payloadPatch");
    QTest::addColumn<QByteArray>("envelopePatch");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("field");
    const QString a = QStringLiteral("appointment");
    const QString c = QStringLiteral("consultation");
    const QString d = QStringLiteral("discharge_call");
    QTest::newRow("status enum") << a << QByteArray(R"({"status":"done"})") << QByteArray("{}")
                                 << "invalid_payload"
                                 << "payload.status";
    QTest::newRow("id digits") << a << QByteArray(R"({"neo_appointment_id":"A100"})") << QByteArray("{}")
                               << "invalid_payload"
                               << "payload.neo_appointment_id";
    QTest::newRow("no such date") << a << QByteArray(R"({"date":"2026-02-30"})") << QByteArray("{}")
                                  << "invalid_payload"
                                  << "payload.date";
    QTest::newRow("time format") << a << QByteArray(R"({"start_time":"9:15"})") << QByteArray("{}")
                                 << "invalid_payload"
                                 << "payload.start_time";
    QTest::newRow("time zone") << a << QByteArray(R"({"timezone":"Mars/Base"})") << QByteArray("{}")
                               << "invalid_payload"
                               << "payload.timezone";
    QTest::newRow("phone not e164") << a << QByteArray(R"({"client":{"phone_e164":"4155550123"}})")
                                    << QByteArray("{}") << "invalid_payload"
                                    << "payload.client.phone_e164";
    QTest::newRow("missing field") << a << QByteArray(R"({"reason":"__remove__"})") << QByteArray("{}")
                                   << "invalid_payload"
                                   << "payload.reason";
    QTest::newRow("wrong type") << a << QByteArray(R"({"is_block":"no"})") << QByteArray("{}")
                                << "invalid_payload"
                                << "payload.is_block";
    QTest::newRow("null where not allowed")
        << a << QByteArray(R"({"patient":{"name":null}})") << QByteArray("{}") << "invalid_payload"
        << "payload.patient.name";
    QTest::newRow("removed without reason")
        << a << QByteArray(R"({"removed":true})") << QByteArray("{}") << "invalid_payload"
        << "payload.removed_reason";
    QTest::newRow("has_notes disagrees")
        << c << QByteArray(R"({"has_notes":false})") << QByteArray("{}") << "invalid_payload"
        << "payload.has_notes";
    QTest::newRow("notes_html with a script")
        << c << QByteArray(R"({"notes_html":"<p>Ate</p><script>alert(1)</script>"})") << QByteArray("{}")
        << "invalid_payload"
        << "payload.notes_html";
    QTest::newRow("notes_html with an event handler")
        << c << QByteArray(R"({"notes_html":"<p onclick=\"x()\">Ate</p>"})") << QByteArray("{}")
        << "invalid_payload"
        << "payload.notes_html";
    QTest::newRow("notes_html with an image")
        << c << QByteArray(R"({"notes_html":"<img src=x onerror=alert(1)>"})") << QByteArray("{}")
        << "invalid_payload"
        << "payload.notes_html";
    QTest::newRow("notes_html with a style attribute")
        << c << QByteArray(R"({"notes_html":"<td style=\"x\">1</td>"})") << QByteArray("{}")
        << "invalid_payload"
        << "payload.notes_html";
    QTest::newRow("quantity as text")
        << c << QByteArray(R"({"products_services":[{"name":"x","quantity":"2"}]})") << QByteArray("{}")
        << "invalid_payload"
        << "payload.products_services[0].quantity";
    QTest::newRow("planned without time")
        << d << QByteArray(R"({"scheduled_for":null})") << QByteArray("{}") << "invalid_payload"
        << "payload.scheduled_for";
    QTest::newRow("reason of another decision")
        << d << QByteArray(R"({"reason":"excluded:type"})") << QByteArray("{}") << "invalid_payload"
        << "payload.reason";
    QTest::newRow("rule trace step") << d << QByteArray(R"({"rule_trace":["ok"]})") << QByteArray("{}")
                                     << "invalid_payload"
                                     << "payload.rule_trace[0]";
    QTest::newRow("rule trace detail on a pass")
        << d << QByteArray(R"({"rule_trace":["type:pass Groomer"]})") << QByteArray("{}") << "invalid_payload"
        << "payload.rule_trace[0]";
    QTest::newRow("rule trace detail over two lines") << d << QByteArray(R"({"rule_trace":["type:hit a
b"]})") << QByteArray("{}") << "invalid_payload"
                                                      << "payload.rule_trace[0]";
    QTest::newRow("group of one") << d << QByteArray(R"({"group":["100"]})") << QByteArray("{}")
                                  << "invalid_payload"
                                  << "payload.group";
    QTest::newRow("group without the call's own id")
        << d << QByteArray(R"({"group":["101","102"]})") << QByteArray("{}") << "invalid_payload"
        << "payload.group";
    QTest::newRow("group with a repeated id")
        << d << QByteArray(R"({"group":["100","101","101"]})") << QByteArray("{}") << "invalid_payload"
        << "payload.group";
    QTest::newRow("group id not digits")
        << d << QByteArray(R"({"group":["100","A1"]})") << QByteArray("{}") << "invalid_payload"
        << "payload.group[1]";
    QTest::newRow("group on a grouped call")
        << d
        << QByteArray(
               R"({"decision":"grouped","reason":"grouped","group":["100","101"],"grouped_into":"101"})")
        << QByteArray("{}") << "invalid_payload"
        << "payload.group";
    QTest::newRow("grouped without grouped_into")
        << d << QByteArray(R"({"decision":"grouped","reason":"grouped"})") << QByteArray("{}")
        << "invalid_payload"
        << "payload.grouped_into";
    QTest::newRow("grouped into itself")
        << d << QByteArray(R"({"decision":"grouped","reason":"grouped","grouped_into":"100"})")
        << QByteArray("{}") << "invalid_payload"
        << "payload.grouped_into";
    QTest::newRow("grouped_into on a planned call")
        << d << QByteArray(R"({"grouped_into":"101"})") << QByteArray("{}") << "invalid_payload"
        << "payload.grouped_into";
    QTest::newRow("grouped without a time")
        << d
        << QByteArray(
               R"({"decision":"grouped","reason":"grouped","grouped_into":"101","scheduled_for":null})")
        << QByteArray("{}") << "invalid_payload"
        << "payload.scheduled_for";
    QTest::newRow("excluded with a time")
        << d << QByteArray(R"({"decision":"excluded","reason":"excluded:end_of_life_patient"})")
        << QByteArray("{}") << "invalid_payload"
        << "payload.scheduled_for";
    QTest::newRow("cancelled:type is not a reason")
        << d
        << QByteArray(
               R"({"decision":"cancelled","reason":"cancelled:type","scheduled_for":null,"scheduled_for_local":null})")
        << QByteArray("{}") << "invalid_payload"
        << "payload.reason";
    QTest::newRow("unknown kind") << a << QByteArray("{}") << QByteArray(R"({"kind":"invoice"})")
                                  << "invalid_item"
                                  << "kind";
    QTest::newRow("observed_at local")
        << a << QByteArray("{}") << QByteArray(R"({"observed_at":"2026-03-10T09:00:00"})") << "invalid_item"
        << "observed_at";
    QTest::newRow("version not hex") << a << QByteArray("{}") << QByteArray(R"({"version":"v1"})")
                                     << "invalid_item"
                                     << "version";
    QTest::newRow("version of other content")
        << a << QByteArray("{}")
        << QByteArray(R"({"version":"0000000000000000000000000000000000000000000000000000000000000000"})")
        << "version_mismatch"
        << "";
    QTest::newRow("key of another id")
        << a << QByteArray("{}") << QByteArray(R"({"key":"appointment:999"})") << "invalid_key"
        << "";
}

void TstBackendBatches::itemRejections()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, payloadPatch);
    QFETCH(QByteArray, envelopePatch);
    QFETCH(QString, error);
    QFETCH(QString, field);
    const QString at = QStringLiteral("2026-03-10T16:01:00Z");
    const QJsonObject payload = merged(payloadFor(kind), QJsonDocument::fromJson(payloadPatch).object());
    QJsonObject bad = merged(item(kind, payload, at), QJsonDocument::fromJson(envelopePatch).object());
    const QJsonObject good =
        item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("555")), at);
    const HttpResult r = sendBatch({good, bad});
    QCOMPARE(r.status, 200);
    const QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.at(0)[QStringLiteral("status")].toString(), QStringLiteral("stored"));
    const QJsonObject rejected = results.at(1).toObject();
    QCOMPARE(rejected.value(QStringLiteral("status")).toString(), QStringLiteral("rejected"));
    QCOMPARE(rejected.value(QStringLiteral("error")).toString(), error);
    const QJsonObject details = rejected.value(QStringLiteral("details")).toObject();
    if (field.isEmpty())
        QVERIFY(!details.value(QStringLiteral("expected")).toString().isEmpty());
    else
        QCOMPARE(details.value(QStringLiteral("field")).toString(), field);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/observations"))
                 .value(QStringLiteral("observations"))
                 .toArray()
                 .size(),
             1);
}

void TstBackendBatches::replayedBatchGetsTheFirstAnswer()
{
    const QJsonArray items{item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("200")),
                                QStringLiteral("2026-03-10T16:00:00Z"))};
    const QString batchId = newUuid();
    const QJsonObject body = batchBody(m_bed.agent->clinicId, items, batchId);
    const HttpResult first = m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"), body, batchId);
    QCOMPARE(first.status, 200);
    QVERIFY(first.header("Idempotent-Replayed").isEmpty());
    const HttpResult replay = m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"), body, batchId);
    QCOMPARE(replay.status, 200);
    QCOMPARE(replay.body, first.body);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
    // The same content with its keys in another order and white space is the same request.
    auto headers = m_bed.agent->headers();
    headers.push_back({"Idempotency-Key", batchId.toUtf8()});
    const QByteArray reordered = QJsonDocument(body).toJson(QJsonDocument::Indented);
    QCOMPARE(
        m_bed.client->send("POST", m_bed.agent->url(QStringLiteral("/v1/sync/batches")), reordered, headers)
            .body,
        first.body);

    const QJsonArray batches =
        m_bed.agent->admin(QStringLiteral("/batches")).value(QStringLiteral("batches")).toArray();
    QCOMPARE(batches.size(), 1);
    QCOMPARE(batches.at(0)[QStringLiteral("replays")].toInt(), 2);
    QCOMPARE(batches.at(0)[QStringLiteral("answer")].toObject(), first.json());
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/observations"))
                 .value(QStringLiteral("observations"))
                 .toArray()
                 .size(),
             1);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/duplicates")).value(QStringLiteral("duplicates")).toInt(),
             0);
}

void TstBackendBatches::reusedKeyWithAnotherBodyIs409()
{
    const QString batchId = newUuid();
    const QString at = QStringLiteral("2026-03-10T16:00:00Z");
    QCOMPARE(sendBatch({item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("300")), at)},
                       batchId)
                 .status,
             200);
    const HttpResult conflict = sendBatch(
        {item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("301")), at)}, batchId);
    QCOMPARE(conflict.status, 409);
    QCOMPARE(conflict.json().value(QStringLiteral("error")).toString(),
             QStringLiteral("idempotency_key_reused"));
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/items")).value(QStringLiteral("items")).toArray().size(), 1);
    // A key reused on another endpoint is a different request too.
    QCOMPARE(
        m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody(), batchId).status,
        409);

    const QString otherBatch = newUuid();
    const HttpResult mismatch =
        m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"),
                            batchBody(m_bed.agent->clinicId, {}, otherBatch), newUuid());
    QCOMPARE(mismatch.status, 422);
    QCOMPARE(mismatch.json().value(QStringLiteral("error")).toString(),
             QStringLiteral("idempotency_key_mismatch"));
    const HttpResult otherClinic =
        m_bed.agent->change("POST", QStringLiteral("/v1/sync/batches"),
                            batchBody(QStringLiteral("clinic-x"), {}, otherBatch), otherBatch);
    QCOMPARE(otherClinic.json().value(QStringLiteral("error")).toString(), QStringLiteral("clinic_mismatch"));
}

void TstBackendBatches::latestObservationWins()
{
    const QJsonObject v1 = appointmentPayload(QStringLiteral("400"), QStringLiteral("in_progress"));
    const QJsonObject v2 = appointmentPayload(QStringLiteral("400"), QStringLiteral("completed"));
    const QJsonObject v3 = appointmentPayload(QStringLiteral("400"), QStringLiteral("cancelled"));
    const auto statusOf = [](const HttpResult& r) {
        return r.json().value(QStringLiteral("results")).toArray().at(0)[QStringLiteral("status")].toString();
    };
    const auto latestStatus = [this] {
        return m_bed.agent->admin(QStringLiteral("/items?key=appointment:400"))
            .value(QStringLiteral("items"))
            .toArray()
            .at(0)[QStringLiteral("payload")][QStringLiteral("status")]
            .toString();
    };
    QCOMPARE(statusOf(sendBatch(
                 {item(QStringLiteral("appointment"), v2, QStringLiteral("2026-03-10T18:00:00.500Z"))})),
             QStringLiteral("stored"));
    // Read earlier, arriving later: kept as an observation, never the latest.
    QCOMPARE(statusOf(sendBatch(
                 {item(QStringLiteral("appointment"), v1, QStringLiteral("2026-03-10T18:00:00.499Z"))})),
             QStringLiteral("unchanged"));
    QCOMPARE(latestStatus(), QStringLiteral("completed"));
    QCOMPARE(statusOf(sendBatch(
                 {item(QStringLiteral("appointment"), v3, QStringLiteral("2026-03-10T19:00:00Z"))})),
             QStringLiteral("stored"));
    QCOMPARE(latestStatus(), QStringLiteral("cancelled"));
    // The same version seen later moves the observation time: a late copy of v2 now stays stale.
    QCOMPARE(statusOf(sendBatch(
                 {item(QStringLiteral("appointment"), v3, QStringLiteral("2026-03-10T21:00:00Z"))})),
             QStringLiteral("unchanged"));
    QCOMPARE(statusOf(sendBatch(
                 {item(QStringLiteral("appointment"), v2, QStringLiteral("2026-03-10T20:00:00Z"))})),
             QStringLiteral("unchanged"));
    QCOMPARE(latestStatus(), QStringLiteral("cancelled"));
    const QJsonArray observations = m_bed.agent->admin(QStringLiteral("/observations?key=appointment:400"))
                                        .value(QStringLiteral("observations"))
                                        .toArray();
    QCOMPARE(observations.size(), 5);
    QCOMPARE(observations.at(1)[QStringLiteral("outcome")].toString(), QStringLiteral("superseded"));
}

void TstBackendBatches::duplicatesAreCounted()
{
    const QJsonObject a = item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("500")),
                               QStringLiteral("2026-03-10T16:00:00Z"));
    const QJsonObject b = item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("501")),
                               QStringLiteral("2026-03-10T16:00:00Z"));
    QCOMPARE(sendBatch({a, b}).status, 200);
    QCOMPARE(sendBatch({a}).status, 200); // the same key and version stored again: a duplicate
    QCOMPARE(sendBatch({a}).status, 200); // and again
    QJsonObject changed = item(QStringLiteral("appointment"),
                               appointmentPayload(QStringLiteral("501"), QStringLiteral("no_show")),
                               QStringLiteral("2026-03-10T17:00:00Z"));
    QCOMPARE(sendBatch({changed}).status, 200); // a new version is not a duplicate
    const QJsonObject duplicates = m_bed.agent->admin(QStringLiteral("/duplicates"));
    QCOMPARE(duplicates.value(QStringLiteral("duplicates")).toInt(), 2);
    const QJsonArray keys = duplicates.value(QStringLiteral("keys")).toArray();
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys.at(0)[QStringLiteral("key")].toString(), QStringLiteral("appointment:500"));
    QCOMPARE(keys.at(0)[QStringLiteral("count")].toInt(), 3);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/summary")).value(QStringLiteral("duplicates")).toInt(), 2);
}

void TstBackendBatches::oversizedBatchesAre413()
{
    QJsonArray many;
    for (int i = 0; i < 501; ++i)
        many.append(item(QStringLiteral("appointment"), appointmentPayload(QString::number(1000 + i)),
                         QStringLiteral("2026-03-10T16:00:00Z")));
    const HttpResult tooMany = sendBatch(many);
    QCOMPARE(tooMany.status, 413);
    QCOMPARE(
        tooMany.json().value(QStringLiteral("details")).toObject().value(QStringLiteral("max_items")).toInt(),
        500);
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/items")).value(QStringLiteral("items")).toArray().size(), 0);
    many.removeLast();
    QCOMPARE(sendBatch(many).status, 200);

    const QJsonArray four{item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("1")),
                               QStringLiteral("2026-03-10T16:00:00Z")),
                          item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("2")),
                               QStringLiteral("2026-03-10T16:00:00Z")),
                          item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("3")),
                               QStringLiteral("2026-03-10T16:00:00Z")),
                          item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("4")),
                               QStringLiteral("2026-03-10T16:00:00Z"))};
    // A limit that two of these items fit under and four do not.
    const qint64 limit = QJsonDocument(batchBody(m_bed.agent->clinicId, {four.at(0), four.at(1)}, newUuid()))
                             .toJson(QJsonDocument::Compact)
                             .size() +
                         64;
    QCOMPARE(m_bed.client
                 ->sendJson("PUT", m_bed.adminUrl(QStringLiteral("/config")),
                            QJsonObject{{QStringLiteral("max_batch_bytes"), limit}})
                 .json()
                 .value(QStringLiteral("max_batch_bytes"))
                 .toInteger(),
             limit);
    const HttpResult tooBig = sendBatch(four);
    QCOMPARE(tooBig.status, 413);
    QCOMPARE(tooBig.json()
                 .value(QStringLiteral("details"))
                 .toObject()
                 .value(QStringLiteral("max_bytes"))
                 .toInteger(),
             limit);
    // What the agent does: split and resend.
    QCOMPARE(sendBatch({four.at(0), four.at(1)}).status, 200);
    QCOMPARE(sendBatch({four.at(2), four.at(3)}).status, 200);
}

void TstBackendBatches::gzipBatch()
{
    QJsonArray items;
    for (int i = 0; i < 20; ++i)
        items.append(item(QStringLiteral("appointment"), appointmentPayload(QString::number(700 + i)),
                          QStringLiteral("2026-03-10T16:00:00Z")));
    const QString batchId = newUuid();
    const QByteArray plain =
        QJsonDocument(batchBody(m_bed.agent->clinicId, items, batchId)).toJson(QJsonDocument::Compact);
    QVERIFY(plain.size() > 8 * 1024); // the contract gzips bodies over 8 KiB
    const QByteArray packed = gzip(plain);
    auto headers = m_bed.agent->headers();
    headers.push_back({"Idempotency-Key", batchId.toUtf8()});
    headers.push_back({"Content-Encoding", "gzip"});
    const HttpResult r =
        m_bed.client->send("POST", m_bed.agent->url(QStringLiteral("/v1/sync/batches")), packed, headers);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("results")).toArray().size(), 20);
    const QJsonObject batch = m_bed.agent->admin(QStringLiteral("/batches"))
                                  .value(QStringLiteral("batches"))
                                  .toArray()
                                  .at(0)
                                  .toObject();
    QCOMPARE(batch.value(QStringLiteral("gzip")).toInt(), 1);
    QCOMPARE(batch.value(QStringLiteral("wire_bytes")).toInteger(), packed.size());
    // The same batch replayed uncompressed is the same request.
    headers.removeLast();
    QCOMPARE(m_bed.client->send("POST", m_bed.agent->url(QStringLiteral("/v1/sync/batches")), plain, headers)
                 .header("Idempotent-Replayed"),
             QByteArray("true"));
}

QTEST_GUILESS_MAIN(TstBackendBatches)
#include "tst_backend_batches.moc"
