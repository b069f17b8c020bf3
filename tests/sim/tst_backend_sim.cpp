// The backend double's API over HTTPS with a real client, the agent's identity: the contract's canonical
// JSON, enrollment, authentication, the clinic profile's ETag. Batches are tst_backend_batches.cpp; run
// reports, heartbeat commands, the audit chain, PostHog batches and faults on the backend's routes are
// tst_backend_reports.cpp.

#include "tests/sim/backend/backend_server.h"
#include "tests/sim/backend/canonical_json.h"
#include "tests/sim/backend_test_kit.h"

#include <QJsonDocument>
#include <QTest>

using namespace odis::sim;
using namespace odis::sim::test;

namespace {

const QString kCode = QStringLiteral("TEST-CODE");

} // namespace

class TstBackendSim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void canonicalJsonIsTheContractsForm();
    void enrollment();
    void authenticationFailures();
    void clinicProfileRevalidatesWithEtag();

private:
    BackendTestBed m_bed{kCode};
};

void TstBackendSim::initTestCase()
{
    const odis::Status prepared = m_bed.prepare();
    QVERIFY2(prepared, qPrintable(prepared ? QString() : prepared.error().toString()));
}

void TstBackendSim::init()
{
    const odis::Status started = m_bed.start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
}

void TstBackendSim::cleanup()
{
    m_bed.stop();
}
void TstBackendSim::canonicalJsonIsTheContractsForm()
{
    const QByteArray input =
        R"({"b":1,"a":[1.5,true,null,"é\n\u0001",2.0,-0.25,12345678901],"A":{"z":"\"q\\"},"é":"x","Z":[]})";
    const QByteArray expected =
        R"({"A":{"z":"\"q\\"},"Z":[],"a":[1.5,true,null,"é\n\u0001",2,-0.25,12345678901],"b":1,"é":"x"})";
    const QJsonObject object = QJsonDocument::fromJson(input).object();
    QCOMPARE(backend::canonicalJson(object), expected);
    // SHA-256 of the expected bytes, computed outside Qt.
    QCOMPARE(backend::payloadVersion(object),
             QStringLiteral("711aca9654615a9cd56ca71e24d65bbea2c650e9d13952f4e547b491cd5d7ee1"));
    // Lone surrogates (no UTF-8 form) escaped, and a key sorted by its code unit D83D, after U+00E9.
    const QJsonObject lone = QJsonDocument::fromJson(R"({"\ud83d":"a\ude00b","é":1})").object();
    QCOMPARE(backend::canonicalJson(lone), QByteArray(R"({"é":1,"\ud83d":"a\ude00b"})"));
    // Qt 6.4's QJsonObject::value() misses the U+1B600 key here (U+0000 in another key): iterated instead.
    const QByteArray missed = "{\"\xc3\xa9\":1,\"\xf0\x9b\x98\x80\":2,\"\xef\xbd\x9a\\u0000\":3}";
    QCOMPARE(backend::canonicalJson(QJsonDocument::fromJson(missed).object()), missed);
    QCOMPARE(backend::payloadVersion(lone),
             QStringLiteral("216a127c7581a1f489ea4ea682d1fe5e6c58c0384b2f6cf4bf6b82075452ee4d"));
}

void TstBackendSim::enrollment()
{
    QVERIFY(!m_bed.agent->agentId.isEmpty());
    QVERIFY(m_bed.agent->token.size() >= 40);
    QCOMPARE(m_bed.agent->clinicId, QStringLiteral("clinic-sim-0001"));

    AgentSession second(*m_bed.client, m_bed.server->baseUrl());
    const HttpResult used = second.enroll(kCode);
    QCOMPARE(used.status, 404);
    QCOMPARE(used.json().value(QStringLiteral("error")).toString(),
             QStringLiteral("enrollment_code_not_found"));
    QCOMPARE(second.enroll(QStringLiteral("NOPE-NOPE")).status, 404);

    // A retried enrollment whose answer was lost gets the same agent, not a 404 for its now-used code.
    const QString code =
        m_bed.client->sendJson("POST", m_bed.adminUrl(QStringLiteral("/enrollment-codes")), QJsonObject{})
            .json()
            .value(QStringLiteral("code"))
            .toString();
    QVERIFY(!code.isEmpty());
    const QString key = newUuid();
    const HttpResult first = second.enroll(code, key);
    QCOMPARE(first.status, 201);
    const HttpResult again = second.enroll(code, key);
    QCOMPARE(again.status, 201);
    QCOMPARE(again.body, first.body);
    QCOMPARE(again.header("Idempotent-Replayed"), QByteArray("true"));
    QCOMPARE(m_bed.agent->admin(QStringLiteral("/agents")).value(QStringLiteral("agents")).toArray().size(),
             2);

    auto headers = second.headers(false);
    headers.push_back({"Idempotency-Key", newUuid().toUtf8()});
    QCOMPARE(m_bed.client
                 ->send("POST", second.url(QStringLiteral("/v1/agents/enroll")),
                        "{\"enrollment_code\":\"X\"}", headers)
                 .json()
                 .value(QStringLiteral("error"))
                 .toString(),
             QStringLiteral("invalid_request"));
}

void TstBackendSim::authenticationFailures()
{
    const auto errorOf = [](const HttpResult& r) {
        return r.json().value(QStringLiteral("error")).toString();
    };
    const QUrl clinic = m_bed.agent->url(QStringLiteral("/v1/clinic"));
    auto noToken = m_bed.agent->headers(false);
    QCOMPARE(m_bed.client->send("GET", clinic, {}, noToken).status, 401);
    QCOMPARE(errorOf(m_bed.client->send("GET", clinic, {}, noToken)), QStringLiteral("token_missing"));
    auto wrongToken = noToken;
    wrongToken.push_back({"Authorization", "Bearer not-a-token"});
    wrongToken.push_back({"X-Agent-Id", m_bed.agent->agentId.toUtf8()});
    QCOMPARE(errorOf(m_bed.client->send("GET", clinic, {}, wrongToken)), QStringLiteral("token_unknown"));
    QCOMPARE(m_bed.client->send("GET", clinic, {}, wrongToken).header("WWW-Authenticate"),
             QByteArray("Bearer"));

    auto otherAgent = m_bed.agent->headers();
    otherAgent.removeIf([](const auto& h) { return h.first == "X-Agent-Id"; });
    QCOMPARE(errorOf(m_bed.client->send("GET", clinic, {}, otherAgent)), QStringLiteral("missing_header"));
    otherAgent.push_back({"X-Agent-Id", "someone-else"});
    QCOMPARE(errorOf(m_bed.client->send("GET", clinic, {}, otherAgent)),
             QStringLiteral("token_agent_mismatch"));
    auto badAgent = m_bed.agent->headers();
    badAgent.removeIf([](const auto& h) { return h.first == "User-Agent"; });
    badAgent.push_back({"User-Agent", "curl/8"});
    QCOMPARE(errorOf(m_bed.client->send("GET", clinic, {}, badAgent)), QStringLiteral("invalid_header"));
    QCOMPARE(m_bed.agent
                 ->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody(),
                          QStringLiteral("not-a-uuid"))
                 .json()
                 .value(QStringLiteral("error"))
                 .toString(),
             QStringLiteral("invalid_idempotency_key"));
    QCOMPARE(m_bed.agent->get(QStringLiteral("/v1/clinic")).status, 200);

    const QString agentPath = QStringLiteral("/agents/") + m_bed.agent->agentId;
    QCOMPARE(m_bed.client->send("POST", m_bed.adminUrl(agentPath + QStringLiteral("/revoke-token"))).status,
             200);
    const HttpResult revoked = m_bed.agent->get(QStringLiteral("/v1/clinic"));
    QCOMPARE(revoked.status, 401);
    QCOMPARE(errorOf(revoked), QStringLiteral("token_revoked"));
    QCOMPARE(m_bed.client->send("POST", m_bed.adminUrl(agentPath + QStringLiteral("/deprovision"))).status,
             200);
    const HttpResult gone =
        m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody());
    QCOMPARE(gone.status, 403);
    QCOMPARE(errorOf(gone), QStringLiteral("agent_deprovisioned"));
    QCOMPARE(m_bed.client->send("POST", m_bed.adminUrl(QStringLiteral("/agents/nobody/deprovision"))).status,
             404);
}

void TstBackendSim::clinicProfileRevalidatesWithEtag()
{
    const HttpResult first = m_bed.agent->get(QStringLiteral("/v1/clinic"));
    QCOMPARE(first.status, 200);
    const QByteArray etag = first.header("ETag");
    QVERIFY(etag.startsWith('"') && etag.endsWith('"'));
    QCOMPARE(first.json().value(QStringLiteral("timezone")).toString(),
             QStringLiteral("America/Los_Angeles"));
    const HttpResult same = m_bed.agent->get(QStringLiteral("/v1/clinic"), {{"If-None-Match", etag}});
    QCOMPARE(same.status, 304);
    QVERIFY(same.body.isEmpty());
    QCOMPARE(same.header("ETag"), etag);
    QCOMPARE(m_bed.agent->get(QStringLiteral("/v1/clinic"), {{"If-None-Match", "W/" + etag}}).status, 304);
    QCOMPARE(m_bed.agent->change("POST", QStringLiteral("/v1/agents/heartbeat"), heartbeatBody())
                 .json()
                 .value(QStringLiteral("clinic_etag"))
                 .toString()
                 .toLatin1(),
             etag);

    QJsonObject profile = first.json();
    profile.insert(QStringLiteral("name"), QStringLiteral("Renamed Clinic"));
    const HttpResult put =
        m_bed.client->sendJson("PUT", m_bed.adminUrl(QStringLiteral("/clinic-profile")), profile);
    QCOMPARE(put.status, 200);
    const HttpResult changed = m_bed.agent->get(QStringLiteral("/v1/clinic"), {{"If-None-Match", etag}});
    QCOMPARE(changed.status, 200);
    QVERIFY(changed.header("ETag") != etag);
    QCOMPARE(changed.header("ETag"), put.json().value(QStringLiteral("etag")).toString().toLatin1());
    QCOMPARE(changed.json().value(QStringLiteral("name")).toString(), QStringLiteral("Renamed Clinic"));
}

QTEST_GUILESS_MAIN(TstBackendSim)
#include "tst_backend_sim.moc"
