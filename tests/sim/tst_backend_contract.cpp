// The contract as a file: docs/openapi/agent-api-v1.yaml against the running backend double. Every route
// of the double is documented and every documented operation is a route; real requests are checked
// against their request schemas and required headers before they are sent, and every answer against the
// documented response for its status (body schema, required headers). The YAML reader and the schema
// validator are tested too, so that a broken document or a blind validator fails here.

#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/contract/openapi_document.h"
#include "tests/sim/contract/yaml_subset.h"

#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::sim;
using namespace odis::sim::contract;
using namespace odis::sim::test;

namespace {

const QString kCode = QStringLiteral("CONTRACT-CODE");
using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray headerValue(const Headers& headers, const QString& name)
{
    for (const auto& [key, value] : headers) {
        if (QString::fromLatin1(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace

class TstBackendContract : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void yamlSubset_data();
    void yamlSubset();
    void validatorCatchesViolations_data();
    void validatorCatchesViolations();
    void documentCoversExactlyTheDoublesRoutes();
    void enrollment();
    void clinicProfile();
    void batches();
    void runReports();
    void heartbeatAndCommands();
    void auditBatches();
    void posthogBatches();
    void faultAndAuthAnswers();
    void everyOperationWasExercised();

private:
    // Sends one request and checks both sides against the document. `conforming` is false for requests
    // that break the contract on purpose (only the answer is checked then). Returns the problem, if any.
    QString exchange(const QByteArray& method, const QString& pathTemplate, const QString& path,
                     const QByteArray& body, const Headers& headers, bool conforming, HttpResult& result);
    QString exchangeJson(const QByteArray& method, const QString& pathTemplate, const QString& path,
                         const QJsonObject& body, bool conforming, HttpResult& result,
                         const QString& key = newUuid());

    std::optional<OpenApiDocument> m_doc;
    BackendTestBed m_bed{kCode};
    QSet<QString> m_succeeded; // "POST /v1/sync/batches" for every operation answered with 2xx
};

void TstBackendContract::initTestCase()
{
    const QString path =
        qEnvironmentVariable("ODIS_SOURCE_DIR") + QStringLiteral("/docs/openapi/agent-api-v1.yaml");
    auto doc = OpenApiDocument::load(path);
    QVERIFY2(doc.has_value(), qPrintable(doc ? QString() : doc.error().toString()));
    m_doc = *doc;
    const odis::Status prepared = m_bed.prepare();
    QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
}

void TstBackendContract::init()
{
    const odis::Status started = m_bed.start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
}

void TstBackendContract::cleanup()
{
    m_bed.stop();
}

QString TstBackendContract::exchange(const QByteArray& method, const QString& pathTemplate,
                                     const QString& path, const QByteArray& body, const Headers& headers,
                                     bool conforming, HttpResult& result)
{
    const auto operation = m_doc->operation(pathTemplate, method);
    if (!operation)
        return QStringLiteral("undocumented operation %1 %2").arg(QString::fromLatin1(method), pathTemplate);
    if (conforming) {
        for (const QString& name : m_doc->requiredRequestHeaders(*operation)) {
            if (headerValue(headers, name).isEmpty())
                return QStringLiteral("request: lacks the required header ") + name;
        }
        for (const QJsonValue p : operation->json.value(QStringLiteral("parameters")).toArray()) {
            const QJsonObject parameter = m_doc->resolve(p.toObject());
            const QByteArray value = headerValue(headers, parameter.value(QStringLiteral("name")).toString());
            if (parameter.value(QStringLiteral("in")).toString() != QStringLiteral("header") ||
                value.isEmpty())
                continue;
            if (auto bad = m_doc->validate(QString::fromUtf8(value),
                                           parameter.value(QStringLiteral("schema")).toObject()))
                return QStringLiteral("request header ") +
                       parameter.value(QStringLiteral("name")).toString() + u' ' + *bad;
        }
        const QJsonObject schema = m_doc->requestSchema(*operation);
        if (!schema.isEmpty()) {
            const QJsonDocument json = QJsonDocument::fromJson(body);
            if (auto bad =
                    m_doc->validate(json.isObject() ? QJsonValue(json.object()) : QJsonValue(), schema))
                return QStringLiteral("request ") + *bad;
        }
    }
    result = m_bed.client->send(method, m_bed.server->baseUrl().resolved(QUrl(path)), body, headers);
    if (result.status == 0)
        return QStringLiteral("no answer");
    auto response = m_doc->response(*operation, result.status);
    if (!response)
        return response.error().message;
    const QJsonObject responseSchema = m_doc->responseSchema(*response);
    if (responseSchema.isEmpty()) {
        if (!result.body.isEmpty())
            return QStringLiteral("answer %1 has a body the document does not describe").arg(result.status);
    } else {
        if (!result.header("Content-Type").startsWith("application/json"))
            return QStringLiteral("answer %1 is not application/json").arg(result.status);
        const QJsonDocument json = QJsonDocument::fromJson(result.body);
        const QJsonValue value = json.isArray()    ? QJsonValue(json.array())
                                 : json.isObject() ? QJsonValue(json.object())
                                                   : QJsonValue();
        if (auto bad = m_doc->validate(value, responseSchema))
            return QStringLiteral("answer %1 ").arg(result.status) + *bad;
    }
    const QJsonObject documented = response->value(QStringLiteral("headers")).toObject();
    for (auto it = documented.constBegin(); it != documented.constEnd(); ++it) {
        const QJsonObject header = m_doc->resolve(it.value().toObject());
        const QByteArray value = result.header(it.key().toLatin1());
        if (value.isEmpty()) {
            if (header.value(QStringLiteral("required")).toBool())
                return QStringLiteral("answer %1 lacks the header ").arg(result.status) + it.key();
            continue;
        }
        if (auto bad =
                m_doc->validate(QString::fromUtf8(value), header.value(QStringLiteral("schema")).toObject()))
            return QStringLiteral("answer header ") + it.key() + u' ' + *bad;
    }
    if (result.status >= 200 && result.status < 300)
        m_succeeded.insert(QString::fromLatin1(method) + u' ' + pathTemplate);
    return {};
}

QString TstBackendContract::exchangeJson(const QByteArray& method, const QString& pathTemplate,
                                         const QString& path, const QJsonObject& body, bool conforming,
                                         HttpResult& result, const QString& key)
{
    Headers headers = m_bed.agent->headers();
    headers.push_back({"Idempotency-Key", key.toUtf8()});
    return exchange(method, pathTemplate, path, QJsonDocument(body).toJson(QJsonDocument::Compact), headers,
                    conforming, result);
}

void TstBackendContract::yamlSubset_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("json"); // empty: the reader must refuse it
    QTest::newRow("mapping and scalars")
        << QByteArray("a: 1\nb: true\nc: null\nd: text here\ne: '3.0'\nf: \"x\\ny\"\n")
        << QByteArray(R"({"a":1,"b":true,"c":null,"d":"text here","e":"3.0","f":"x\ny"})");
    QTest::newRow("nesting") << QByteArray("a:\n  b:\n    c: 2\n  d: x\n")
                             << QByteArray(R"({"a":{"b":{"c":2},"d":"x"}})");
    QTest::newRow("sequences") << QByteArray("a:\n  - 1\n  - k: v\n    j: w\n  - [x, 'y, z']\nb:\n- s\n")
                               << QByteArray(R"({"a":[1,{"j":"w","k":"v"},["x","y, z"]],"b":["s"]})");
    QTest::newRow("comments and quotes")
        << QByteArray("# head\na: '#/x' # tail\nb: it''s ok\nc: 'it''s'\n'4': {}\n")
        << QByteArray(R"({"4":{},"a":"#/x","b":"it''s ok","c":"it's"})");
    QTest::newRow("pattern stays literal")
        << QByteArray("p: '^\\d+ \\(x\\)$'\n") << QByteArray(R"({"p":"^\\d+ \\(x\\)$"})");
    QTest::newRow("block scalar") << QByteArray("a: |\n  text\n") << QByteArray();
    QTest::newRow("anchor") << QByteArray("a: &x 1\n") << QByteArray();
    QTest::newRow("flow mapping") << QByteArray("a: {b: 1}\n") << QByteArray();
    QTest::newRow("duplicate key") << QByteArray("a: 1\na: 2\n") << QByteArray();
    QTest::newRow("tab") << QByteArray("a:\n\tb: 1\n") << QByteArray();
    QTest::newRow("bad indentation") << QByteArray("a:\n    b: 1\n  c: 2\n") << QByteArray();
}

void TstBackendContract::yamlSubset()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, json);
    const auto parsed = parseYamlSubset(yaml);
    if (json.isEmpty()) {
        QVERIFY2(!parsed.has_value(), parsed ? QJsonDocument(parsed->toObject()).toJson().constData() : "");
        QCOMPARE(parsed.error().code, QStringLiteral("yaml_unsupported"));
        return;
    }
    QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().toString()));
    QCOMPARE(QJsonDocument(parsed->toObject()).toJson(QJsonDocument::Compact),
             QJsonDocument::fromJson(json).toJson(QJsonDocument::Compact));
}

void TstBackendContract::validatorCatchesViolations_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QByteArray>("instance");
    QTest::addColumn<QString>("problem"); // empty: the instance conforms
    const auto item = [](const QJsonObject& payload) {
        return QJsonDocument(
                   test::item(QStringLiteral("appointment"), payload, QStringLiteral("2026-03-10T16:00:00Z")))
            .toJson(QJsonDocument::Compact);
    };
    QJsonObject badPhone = appointmentPayload(QStringLiteral("1"));
    badPhone.insert(QStringLiteral("client"),
                    QJsonObject{{QStringLiteral("id"), QJsonValue()},
                                {QStringLiteral("first_name"), QStringLiteral("A")},
                                {QStringLiteral("last_name"), QStringLiteral("B")},
                                {QStringLiteral("email"), QJsonValue()},
                                {QStringLiteral("phone_e164"), QStringLiteral("555-0123")},
                                {QStringLiteral("phone_raw"), QJsonValue()}});
    QTest::newRow("valid item") << "Item" << item(appointmentPayload(QStringLiteral("1"))) << "";
    QTest::newRow("phone pattern") << "Item" << item(badPhone) << "matches 0 of the oneOf";
    QTest::newRow("unknown kind")
        << "Item"
        << QByteArray(R"({"kind":"invoice","key":"x","version":"v","observed_at":"t","payload":{}})")
        << "matches 0 of the oneOf";
    QTest::newRow("missing token") << "EnrollResponse" << QByteArray(R"({"agent_id":"a","clinic_id":"c"})")
                                   << "agent_token: is required";
    QTest::newRow("wrong type") << "AuditBatchAnswer" << QByteArray(R"({"acked_through_seq":"3"})")
                                << "must be of type integer";
    QTest::newRow("fraction for integer")
        << "AuditBatchAnswer" << QByteArray(R"({"acked_through_seq":2.5})") << "must be of type integer";
    QTest::newRow("below minimum") << "AuditBatchAnswer" << QByteArray(R"({"acked_through_seq":-1})")
                                   << "out of range";
    QTest::newRow("enum") << "ItemResult" << QByteArray(R"({"key":"k","version":"v","status":"ok"})")
                          << "enum";
    QTest::newRow("null not allowed")
        << "Error" << QByteArray(R"({"error":"x","details":null})") << "must not be null";
    QTest::newRow("nullable allowed")
        << "HeartbeatAnswer" << QByteArray(R"({"commands":[],"clinic_etag":null})") << "";
    QTest::newRow("command type")
        << "HeartbeatAnswer"
        << QByteArray(
               R"({"commands":[{"id":"6f1c2b9e-1111-4222-8333-444455556666","type":"reboot","args":{}}],"clinic_etag":null})")
        << "commands[0].type";
    QTest::newRow("uuid format") << "Command" << QByteArray(R"({"id":"x","type":"pause","args":{}})")
                                 << "uuid";
    QTest::newRow("local time pattern")
        << "BusinessDay" << QByteArray(R"({"open":"8:00","close":"18:00"})") << "open";
    QTest::newRow("instant with offset")
        << "RunReportAnswer" << QByteArray(R"({"run_id":"r"})") << "reports: is required";
    QTest::newRow("Z required") << "CommandAckAnswer"
                                << QByteArray(R"({"command_id":"c","acked_at":"2026-03-10T16:00:00+01:00"})")
                                << "does not match";
    QTest::newRow("max items") << "BatchRequest" << QByteArray() << "wrong number of items";
}

void TstBackendContract::validatorCatchesViolations()
{
    QFETCH(QString, schema);
    QFETCH(QByteArray, instance);
    QFETCH(QString, problem);
    QJsonValue value = QJsonDocument::fromJson(instance).object();
    if (instance.isEmpty()) { // 501 valid items
        QJsonArray items;
        for (int i = 0; i < 501; ++i)
            items.append(item(QStringLiteral("appointment"), appointmentPayload(QString::number(i + 1)),
                              QStringLiteral("2026-03-10T16:00:00Z")));
        value = batchBody(QStringLiteral("c"), items);
    }
    QVERIFY2(!m_doc->schema(schema).isEmpty(), qPrintable(schema));
    const auto bad = m_doc->validate(value, m_doc->schema(schema));
    if (problem.isEmpty()) {
        QVERIFY2(!bad, qPrintable(bad.value_or(QString())));
    } else {
        QVERIFY2(bad.has_value(), "the validator accepted a broken instance");
        QVERIFY2(bad->contains(problem), qPrintable(*bad));
    }
}

void TstBackendContract::documentCoversExactlyTheDoublesRoutes()
{
    QSet<QString> routes;
    for (const SimRoute& route : m_bed.server->routes().routes())
        routes.insert(QString::fromLatin1(route.method) + u' ' + route.pattern);
    QSet<QString> documented;
    for (const auto& operation : m_doc->operations())
        documented.insert(operation.method.toUpper() + u' ' + operation.path);
    QCOMPARE(documented, routes);
}

void TstBackendContract::enrollment()
{
    HttpResult r;
    AgentSession second(*m_bed.client, m_bed.server->baseUrl());
    const QString code =
        m_bed.client->sendJson("POST", m_bed.adminUrl(QStringLiteral("/enrollment-codes")), QJsonObject{})
            .json()
            .value(QStringLiteral("code"))
            .toString();
    Headers headers = second.headers(false);
    headers.push_back({"Idempotency-Key", newUuid().toUtf8()});
    const QJsonObject body{{QStringLiteral("enrollment_code"), code},
                           {QStringLiteral("hostname"), QStringLiteral("desk")},
                           {QStringLiteral("os"), QStringLiteral("windows")},
                           {QStringLiteral("agent_version"), QStringLiteral("0.1.0")}};
    const QString path = QStringLiteral("/v1/agents/enroll");
    QString problem = exchange("POST", path, path, QJsonDocument(body).toJson(), headers, true, r);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 201);
    headers.last().second = newUuid().toUtf8();
    problem = exchange("POST", path, path, QJsonDocument(body).toJson(), headers, true, r);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 404);
    headers.last().second = newUuid().toUtf8();
    problem = exchange("POST", path, path, R"({"enrollment_code":"x"})", headers, false, r);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 400);
}

void TstBackendContract::clinicProfile()
{
    HttpResult r;
    const QString path = QStringLiteral("/v1/clinic");
    QString problem = exchange("GET", path, path, {}, m_bed.agent->headers(), true, r);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 200);
    problem = exchange("GET", path, path, {},
                       m_bed.agent->headers() + Headers{{"If-None-Match", r.header("ETag")}}, true, r);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 304);
    problem = exchange("GET", path, path, {}, m_bed.agent->headers(false), false, r);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 401);
}

void TstBackendContract::batches()
{
    HttpResult r;
    const QString path = QStringLiteral("/v1/sync/batches");
    const QString at = QStringLiteral("2026-03-10T16:00:00.100Z");
    QJsonArray items{item(QStringLiteral("appointment"), appointmentPayload(QStringLiteral("10")), at),
                     item(QStringLiteral("consultation"),
                          consultationPayload(QStringLiteral("910"), QStringLiteral("10")), at),
                     item(QStringLiteral("discharge_call"), dischargeCallPayload(QStringLiteral("10")), at),
                     item(QStringLiteral("discharge_call"),
                          dischargeCallPayload(QStringLiteral("11"), QStringLiteral("cancelled")), at),
                     item(QStringLiteral("discharge_call"),
                          dischargeCallPayload(QStringLiteral("12"), QStringLiteral("waiting_for_notes")),
                          at)};
    // One call per owner per day: a planned carrier with its group and a call grouped into it.
    QJsonObject carrier = dischargeCallPayload(QStringLiteral("13"));
    carrier.insert(QStringLiteral("group"), QJsonArray{QStringLiteral("13"), QStringLiteral("14")});
    QJsonObject member = dischargeCallPayload(QStringLiteral("14"));
    member.insert(QStringLiteral("decision"), QStringLiteral("grouped"));
    member.insert(QStringLiteral("reason"), QStringLiteral("grouped"));
    member.insert(QStringLiteral("grouped_into"), QStringLiteral("13"));
    member.insert(QStringLiteral("rule_trace"), QJsonArray{QStringLiteral("grouped:hit into 13")});
    items.append(item(QStringLiteral("discharge_call"), carrier, at));
    items.append(item(QStringLiteral("discharge_call"), member, at));
    const QString batchId = newUuid();
    const QJsonObject body = batchBody(m_bed.agent->clinicId, items, batchId);
    QString problem = exchangeJson("POST", path, path, body, true, r, batchId);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.status, 200);
    problem = exchangeJson("POST", path, path, body, true, r, batchId); // a replay
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(r.header("Idempotent-Replayed"), QByteArray("true"));

    QJsonObject broken = items.at(0).toObject();
    broken.insert(QStringLiteral("version"), QString(64, u'0'));
    const QString secondId = newUuid();
    problem =
        exchangeJson("POST", path, path, batchBody(m_bed.agent->clinicId, {items.at(0), broken}, secondId),
                     true, r, secondId);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.at(0)[QStringLiteral("status")].toString(), QStringLiteral("unchanged"));
    QCOMPARE(results.at(1)[QStringLiteral("status")].toString(), QStringLiteral("rejected"));

    problem =
        exchangeJson("POST", path, path, batchBody(m_bed.agent->clinicId, {}, batchId), true, r, batchId);
    QVERIFY2(problem.isEmpty() && r.status == 409, qPrintable(problem));
    const QString third = newUuid();
    problem = exchangeJson("POST", path, path, batchBody(QStringLiteral("other"), {}, third), true, r, third);
    QVERIFY2(problem.isEmpty() && r.status == 422, qPrintable(problem));
    QJsonArray many;
    for (int i = 0; i < 501; ++i)
        many.append(items.at(0));
    const QString fourth = newUuid();
    problem =
        exchangeJson("POST", path, path, batchBody(m_bed.agent->clinicId, many, fourth), false, r, fourth);
    QVERIFY2(problem.isEmpty() && r.status == 413, qPrintable(problem));
    problem = exchange("POST", path, path, "[1,2",
                       m_bed.agent->headers() + Headers{{"Idempotency-Key", newUuid().toUtf8()}}, false, r);
    QVERIFY2(problem.isEmpty() && r.status == 400, qPrintable(problem));
}

void TstBackendContract::runReports()
{
    HttpResult r;
    const QString tpl = QStringLiteral("/v1/sync/runs/{run_id}");
    const QString path = QStringLiteral("/v1/sync/runs/run-7");
    for (const QString& status : {QStringLiteral("running"), QStringLiteral("partial")}) {
        const QString problem =
            exchangeJson("PUT", tpl, path, runReport(QStringLiteral("run-7"), status), true, r);
        QVERIFY2(problem.isEmpty() && r.status == 200, qPrintable(problem));
    }
    const QString problem =
        exchangeJson("PUT", tpl, path, runReport(QStringLiteral("run-8"), QStringLiteral("failed")), true, r);
    QVERIFY2(problem.isEmpty() && r.status == 422, qPrintable(problem));
}

void TstBackendContract::heartbeatAndCommands()
{
    HttpResult r;
    const QString commands = QStringLiteral("/agents/") + m_bed.agent->agentId + QStringLiteral("/commands");
    m_bed.client->sendJson("POST", m_bed.adminUrl(commands),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("sync_now")}});
    m_bed.client->sendJson(
        "POST", m_bed.adminUrl(commands),
        QJsonObject{{QStringLiteral("type"), QStringLiteral("pause")},
                    {QStringLiteral("args"),
                     QJsonObject{{QStringLiteral("until"), QStringLiteral("2026-03-11T00:00:00Z")}}}});
    const QString heartbeat = QStringLiteral("/v1/agents/heartbeat");
    QString problem = exchangeJson("POST", heartbeat, heartbeat, heartbeatBody(), true, r);
    QVERIFY2(problem.isEmpty() && r.status == 200, qPrintable(problem));
    const QJsonArray delivered = r.json().value(QStringLiteral("commands")).toArray();
    QCOMPARE(delivered.size(), 2);
    const QString tpl = QStringLiteral("/v1/agents/commands/{command_id}/ack");
    const QString ack = QStringLiteral("/v1/agents/commands/") +
                        delivered.at(0)[QStringLiteral("id")].toString() + QStringLiteral("/ack");
    const QJsonObject result{
        {QStringLiteral("result"), QJsonObject{{QStringLiteral("outcome"), QStringLiteral("done")}}}};
    problem = exchangeJson("POST", tpl, ack, result, true, r);
    QVERIFY2(problem.isEmpty() && r.status == 200, qPrintable(problem));
    problem = exchangeJson("POST", tpl, QStringLiteral("/v1/agents/commands/unknown/ack"), result, true, r);
    QVERIFY2(problem.isEmpty() && r.status == 404, qPrintable(problem));

    // With the newest finished run and its warnings: the document and the double agree on it.
    QJsonObject withRun = heartbeatBody();
    withRun.insert(
        QStringLiteral("last_run"),
        QJsonObject{
            {QStringLiteral("run_id"), QStringLiteral("5f0c8a52-3f7e-4b8e-a1d2-6c0e9b7d4f10")},
            {QStringLiteral("trigger"), QStringLiteral("schedule")},
            {QStringLiteral("status"), QStringLiteral("partial")},
            {QStringLiteral("finished_at"), QStringLiteral("2026-03-10T16:03:10Z")},
            {QStringLiteral("error_code"), QStringLiteral("held_back")},
            {QStringLiteral("warnings"),
             QJsonArray{QJsonObject{{QStringLiteral("code"), QStringLiteral("held_back")},
                                    {QStringLiteral("endpoint"), QStringLiteral("getCalendarEventData")},
                                    {QStringLiteral("field"), QJsonValue()},
                                    {QStringLiteral("kind"), QStringLiteral("removal")},
                                    {QStringLiteral("detail"), QJsonValue()},
                                    {QStringLiteral("count"), 2}}}}});
    problem = exchangeJson("POST", heartbeat, heartbeat, withRun, true, r);
    QVERIFY2(problem.isEmpty() && r.status == 200, qPrintable(problem));
}

void TstBackendContract::auditBatches()
{
    HttpResult r;
    const QString path = QStringLiteral("/v1/audit/batches");
    QString problem = exchangeJson("POST", path, path,
                                   QJsonObject{{QStringLiteral("entries"), auditEntries(1, 5)}}, true, r);
    QVERIFY2(problem.isEmpty() && r.status == 200, qPrintable(problem));
    QCOMPARE(r.json().value(QStringLiteral("acked_through_seq")).toInt(), 5);
    QJsonObject wrong = auditEntries(6, 6).at(0).toObject();
    wrong.insert(QStringLiteral("prev_hash"), auditHash(1));
    problem = exchangeJson("POST", path, path, QJsonObject{{QStringLiteral("entries"), QJsonArray{wrong}}},
                           true, r);
    QVERIFY2(problem.isEmpty() && r.status == 422, qPrintable(problem));
}

void TstBackendContract::posthogBatches()
{
    HttpResult r;
    const QString path = QStringLiteral("/batch/");
    const Headers json{{"Content-Type", "application/json"}};
    QString problem = exchange("POST", path, path,
                               QJsonDocument(posthogBody(m_bed.agent->agentId, 2)).toJson(), json, true, r);
    QVERIFY2(problem.isEmpty() && r.status == 200, qPrintable(problem));
    QJsonObject noKey = posthogBody(m_bed.agent->agentId, 1);
    noKey.remove(QStringLiteral("api_key"));
    problem = exchange("POST", path, path, QJsonDocument(noKey).toJson(), json, false, r);
    QVERIFY2(problem.isEmpty() && r.status == 401, qPrintable(problem));
    QJsonObject badEvent = posthogBody(m_bed.agent->agentId, 1);
    QJsonArray batch = badEvent.value(QStringLiteral("batch")).toArray();
    QJsonObject event = batch.at(0).toObject();
    event.insert(QStringLiteral("event"), QStringLiteral("client.called"));
    batch.replace(0, event);
    badEvent.insert(QStringLiteral("batch"), batch);
    problem = exchange("POST", path, path, QJsonDocument(badEvent).toJson(), json, false, r);
    QVERIFY2(problem.isEmpty() && r.status == 400, qPrintable(problem));
}

void TstBackendContract::faultAndAuthAnswers()
{
    HttpResult r;
    QCOMPARE(
        m_bed.client
            ->sendJson(
                "PUT", m_bed.adminUrl(QStringLiteral("/faults")),
                QJsonObject{{QStringLiteral("heartbeat"),
                             QJsonObject{{QStringLiteral("rate_limit"),
                                          QJsonObject{{QStringLiteral("requests"), 0},
                                                      {QStringLiteral("per_seconds"), 10}}}}},
                            {QStringLiteral("clinic"), QJsonObject{{QStringLiteral("error_rate"), 1}}},
                            {QStringLiteral("audit"), QJsonObject{{QStringLiteral("error_rate"), 1},
                                                                  {QStringLiteral("error_status"), 503}}}})
            .status,
        200);
    const QString heartbeat = QStringLiteral("/v1/agents/heartbeat");
    QString problem = exchangeJson("POST", heartbeat, heartbeat, heartbeatBody(), true, r);
    QVERIFY2(problem.isEmpty() && r.status == 429, qPrintable(problem));
    problem = exchange("GET", QStringLiteral("/v1/clinic"), QStringLiteral("/v1/clinic"), {},
                       m_bed.agent->headers(), true, r);
    QVERIFY2(problem.isEmpty() && r.status == 500, qPrintable(problem));
    const QString audit = QStringLiteral("/v1/audit/batches");
    problem = exchangeJson("POST", audit, audit, QJsonObject{{QStringLiteral("entries"), auditEntries(1, 1)}},
                           true, r);
    QVERIFY2(problem.isEmpty() && r.status == 503, qPrintable(problem));
    QCOMPARE(m_bed.client->send("DELETE", m_bed.adminUrl(QStringLiteral("/faults"))).status, 204);

    const QString agentPath = QStringLiteral("/agents/") + m_bed.agent->agentId;
    QCOMPARE(m_bed.client->send("POST", m_bed.adminUrl(agentPath + QStringLiteral("/revoke-token"))).status,
             200);
    const QString runs = QStringLiteral("/v1/sync/runs/{run_id}");
    problem = exchangeJson("PUT", runs, QStringLiteral("/v1/sync/runs/r"),
                           runReport(QStringLiteral("r"), QStringLiteral("running")), true, r);
    QVERIFY2(problem.isEmpty() && r.status == 401, qPrintable(problem));
    QCOMPARE(m_bed.client->send("POST", m_bed.adminUrl(agentPath + QStringLiteral("/deprovision"))).status,
             200);
    problem = exchangeJson("POST", QStringLiteral("/v1/sync/batches"), QStringLiteral("/v1/sync/batches"),
                           batchBody(m_bed.agent->clinicId, {}), false, r);
    QVERIFY2(problem.isEmpty() && r.status == 403, qPrintable(problem));
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("agent_deprovisioned"));
}

void TstBackendContract::everyOperationWasExercised()
{
    for (const auto& operation : m_doc->operations()) {
        const QString name = operation.method.toUpper() + u' ' + operation.path;
        QVERIFY2(m_succeeded.contains(name),
                 qPrintable(name + QStringLiteral(" was never answered with 2xx")));
    }
}

QTEST_GUILESS_MAIN(TstBackendContract)
#include "tst_backend_contract.moc"
