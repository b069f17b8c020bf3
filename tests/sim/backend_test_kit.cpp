#include "tests/sim/backend_test_kit.h"

#include "tests/sim/backend/canonical_json.h"
#include "tests/sim/common/test_pki.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QUuid>

namespace odis::sim::test {

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

Result<std::unique_ptr<backend::BackendServer>>
startBackend(const QString& stateDirectory, const TestPki& pki, const QString& enrollmentCode)
{
    backend::BackendConfig config;
    config.stateDirectory = stateDirectory;
    config.enrollmentCode = enrollmentCode;
    auto server = backend::BackendServer::create(config);
    if (!server)
        return server;
    (*server)->useTls(pki);
    if (auto started = (*server)->start(); !started)
        return std::unexpected(started.error());
    return server;
}

QJsonObject appointmentPayload(const QString& appointmentId, const QString& status)
{
    return QJsonObject{
        {QStringLiteral("neo_appointment_id"), appointmentId},
        {QStringLiteral("neo_consultation_id"), QString(QStringLiteral("9") + appointmentId)},
        {QStringLiteral("date"), QStringLiteral("2026-03-10")},
        {QStringLiteral("start_time"), QStringLiteral("09:15")},
        {QStringLiteral("end_time"), QStringLiteral("09:45")},
        {QStringLiteral("timezone"), QStringLiteral("America/Los_Angeles")},
        {QStringLiteral("status"), status},
        {QStringLiteral("status_raw"), QStringLiteral("Finalized")},
        {QStringLiteral("appointment_type"), QStringLiteral("Exam")},
        {QStringLiteral("reason"), QStringLiteral("Vomiting")},
        {QStringLiteral("is_block"), false},
        {QStringLiteral("provider"), QJsonObject{{QStringLiteral("id"), QStringLiteral("31")},
                                                 {QStringLiteral("name"), QStringLiteral("Dr. Ada Reyes")}}},
        {QStringLiteral("room_id"), QStringLiteral("9")},
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), QStringLiteral("5501")},
                                                {QStringLiteral("name"), QStringLiteral("BISCUIT")},
                                                {QStringLiteral("species"), QStringLiteral("Canine")}}},
        {QStringLiteral("client"),
         QJsonObject{{QStringLiteral("id"), QStringLiteral("7702")},
                     {QStringLiteral("first_name"), QStringLiteral("Mara")},
                     {QStringLiteral("last_name"), QStringLiteral("Quist")},
                     {QStringLiteral("email"), QJsonValue::Null},
                     {QStringLiteral("phone_e164"), QStringLiteral("+14155550123")},
                     {QStringLiteral("phone_raw"), QStringLiteral("(415) 555-0123")}}},
        {QStringLiteral("removed"), false},
    };
}

QJsonObject consultationPayload(const QString& consultationId, const QString& appointmentId)
{
    const QJsonObject line{{QStringLiteral("name"), QStringLiteral("Maropitant 16mg")},
                           {QStringLiteral("quantity"), 2}};
    return QJsonObject{
        {QStringLiteral("neo_consultation_id"), consultationId},
        {QStringLiteral("neo_appointment_id"), appointmentId},
        {QStringLiteral("date"), QStringLiteral("2026-03-10")},
        {QStringLiteral("status"), QStringLiteral("Finalized")},
        {QStringLiteral("reason"), QStringLiteral("Vomiting")},
        {QStringLiteral("notes_html"), QStringLiteral("<p>Eating again.</p>")},
        {QStringLiteral("notes_text"), QStringLiteral("Eating again.")},
        {QStringLiteral("discharge_summary"), QString()},
        {QStringLiteral("has_notes"), true},
        {QStringLiteral("products_services"), QJsonArray{line}},
        {QStringLiteral("declined_products_services"), QJsonArray{}},
        {QStringLiteral("providers"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("31")},
                                {QStringLiteral("name"), QStringLiteral("Dr. Ada Reyes")},
                                {QStringLiteral("role"), QStringLiteral("Vet")}}}},
    };
}

QJsonObject dischargeCallPayload(const QString& appointmentId, const QString& decision)
{
    const bool planned = decision == QStringLiteral("planned");
    const QString reason = planned                                   ? decision
                           : decision == QStringLiteral("excluded")  ? QStringLiteral("excluded:type")
                           : decision == QStringLiteral("cancelled") ? QStringLiteral("cancelled:no_show")
                                                                     : decision;
    return QJsonObject{
        {QStringLiteral("neo_appointment_id"), appointmentId},
        {QStringLiteral("neo_consultation_id"), QString(QStringLiteral("9") + appointmentId)},
        {QStringLiteral("decision"), decision},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("scheduled_for"),
         planned ? QJsonValue(QStringLiteral("2026-03-12T23:00:00Z")) : QJsonValue()},
        {QStringLiteral("scheduled_for_local"),
         planned ? QJsonValue(QStringLiteral("2026-03-12T16:00:00-07:00")) : QJsonValue()},
        {QStringLiteral("customer_phone"),
         planned ? QJsonValue(QStringLiteral("+14155550123")) : QJsonValue()},
        {QStringLiteral("rule_trace"),
         QJsonArray{QStringLiteral("block:pass"), QStringLiteral("planned:hit")}},
    };
}

QJsonObject item(const QString& kind, const QJsonObject& payload, const QString& observedAt)
{
    const QString id =
        payload
            .value(kind == QStringLiteral("consultation") ? QStringLiteral("neo_consultation_id")
                                                          : QStringLiteral("neo_appointment_id"))
            .toString();
    return QJsonObject{{QStringLiteral("kind"), kind},
                       {QStringLiteral("key"), QString(kind + u':' + id)},
                       {QStringLiteral("version"), backend::payloadVersion(payload)},
                       {QStringLiteral("observed_at"), observedAt},
                       {QStringLiteral("payload"), payload}};
}

QJsonObject batchBody(const QString& clinicId, const QJsonArray& items, const QString& batchId)
{
    return QJsonObject{{QStringLiteral("batch_id"), batchId},
                       {QStringLiteral("run_id"), QStringLiteral("run-1")},
                       {QStringLiteral("clinic_id"), clinicId},
                       {QStringLiteral("sent_at"), QStringLiteral("2026-03-10T17:00:00.250Z")},
                       {QStringLiteral("items"), items}};
}

QJsonObject runReport(const QString& runId, const QString& status)
{
    const bool running = status == QStringLiteral("running");
    return QJsonObject{
        {QStringLiteral("run_id"), runId},
        {QStringLiteral("trigger"), QStringLiteral("schedule")},
        {QStringLiteral("started_at"), QStringLiteral("2026-03-10T16:00:00Z")},
        {QStringLiteral("finished_at"),
         running ? QJsonValue() : QJsonValue(QStringLiteral("2026-03-10T16:03:10Z"))},
        {QStringLiteral("status"), status},
        {QStringLiteral("step"), running ? QJsonValue(QStringLiteral("schedule")) : QJsonValue()},
        {QStringLiteral("counts"), QJsonObject{{QStringLiteral("appointments_seen"), 40},
                                               {QStringLiteral("consultations_fetched"), 31},
                                               {QStringLiteral("notes_found"), 29},
                                               {QStringLiteral("items_queued"), 75},
                                               {QStringLiteral("items_uploaded"), running ? 0 : 75},
                                               {QStringLiteral("calls_planned"), 12},
                                               {QStringLiteral("calls_excluded"), 9},
                                               {QStringLiteral("failed"), 0}}},
        {QStringLiteral("error"), QJsonValue()},
        {QStringLiteral("duration_ms"), running ? 0 : 190000},
        {QStringLiteral("peak_rss_mb"), 212.5},
    };
}

QJsonObject heartbeatBody()
{
    return QJsonObject{{QStringLiteral("state"), QStringLiteral("idle")},
                       {QStringLiteral("version"), QStringLiteral("0.1.0")},
                       {QStringLiteral("last_success_at"), QStringLiteral("2026-03-10T16:03:10Z")},
                       {QStringLiteral("next_sync_at"), QStringLiteral("2026-03-10T20:00:00Z")},
                       {QStringLiteral("outbox_depth"), 0},
                       {QStringLiteral("failed_items"), 0},
                       {QStringLiteral("credential_state"), QStringLiteral("valid")},
                       {QStringLiteral("paused_until"), QJsonValue()},
                       {QStringLiteral("alerts"), QJsonArray{}}};
}

QString auditHash(int seq)
{
    if (seq <= 0)
        return QString(64, u'0');
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::number(seq), QCryptographicHash::Sha256).toHex());
}

QJsonArray auditEntries(int from, int to)
{
    QJsonArray entries;
    for (int seq = from; seq <= to; ++seq) {
        entries.append(
            QJsonObject{{QStringLiteral("seq"), seq},
                        {QStringLiteral("at"),
                         QStringLiteral("2026-03-10T16:00:%1.000Z").arg(seq % 60, 2, 10, QChar(u'0'))},
                        {QStringLiteral("actor"), QStringLiteral("agent")},
                        {QStringLiteral("action"), QStringLiteral("sync.run")},
                        {QStringLiteral("target"), QStringLiteral("run-%1").arg(seq)},
                        {QStringLiteral("outcome"), QStringLiteral("ok")},
                        {QStringLiteral("prev_hash"), auditHash(seq - 1)},
                        {QStringLiteral("hash"), auditHash(seq)}});
    }
    return entries;
}

QJsonObject posthogBody(const QString& distinctId, int events)
{
    QJsonArray batch;
    for (int i = 0; i < events; ++i) {
        batch.append(QJsonObject{
            {QStringLiteral("event"), QStringLiteral("sync.completed")},
            {QStringLiteral("distinct_id"), distinctId},
            {QStringLiteral("timestamp"), QStringLiteral("2026-03-10T16:03:10.000Z")},
            {QStringLiteral("uuid"), newUuid()},
            {QStringLiteral("properties"),
             // Not personal, though they look it: a count under a personal-sounding key, and an id
             // whose digits read like a phone number.
             QJsonObject{{QStringLiteral("items"), 75},
                         {QStringLiteral("notes_found"), 12},
                         {QStringLiteral("run_id"), QStringLiteral("a478e7c0-b701-4223-8be8-b4a025bb4204")},
                         {QStringLiteral("duration_ms"), 190000}}}});
    }
    return QJsonObject{{QStringLiteral("api_key"), QStringLiteral("phc_test")},
                       {QStringLiteral("batch"), batch}};
}

AgentSession::AgentSession(SimTestClient& client, QUrl base)
    : m_client(client)
    , m_base(std::move(base))
{}

QList<QPair<QByteArray, QByteArray>> AgentSession::headers(bool withToken) const
{
    QList<QPair<QByteArray, QByteArray>> h{{"User-Agent", "odis-agent/0.1.0 (linux)"},
                                           {"X-Agent-Version", "0.1.0"},
                                           {"Content-Type", "application/json"}};
    if (withToken && !token.isEmpty()) {
        h.append({"Authorization", "Bearer " + token.toUtf8()});
        h.append({"X-Agent-Id", agentId.toUtf8()});
    }
    return h;
}

HttpResult AgentSession::enroll(const QString& code, const QString& idempotencyKey)
{
    auto h = headers(false);
    h.append({"Idempotency-Key", idempotencyKey.toUtf8()});
    const QJsonObject body{{QStringLiteral("enrollment_code"), code},
                           {QStringLiteral("hostname"), QStringLiteral("front-desk-1")},
                           {QStringLiteral("os"), QStringLiteral("linux")},
                           {QStringLiteral("agent_version"), QStringLiteral("0.1.0")}};
    HttpResult r = m_client.send("POST", url(QStringLiteral("/v1/agents/enroll")),
                                 QJsonDocument(body).toJson(QJsonDocument::Compact), h);
    if (r.status == 201) {
        agentId = r.json().value(QStringLiteral("agent_id")).toString();
        token = r.json().value(QStringLiteral("agent_token")).toString();
        clinicId = r.json().value(QStringLiteral("clinic_id")).toString();
    }
    return r;
}

HttpResult AgentSession::change(const QByteArray& method, const QString& path, const QJsonObject& body,
                                const QString& idempotencyKey)
{
    auto h = headers();
    h.append({"Idempotency-Key", idempotencyKey.toUtf8()});
    return m_client.send(method, url(path), QJsonDocument(body).toJson(QJsonDocument::Compact), h);
}

HttpResult AgentSession::get(const QString& path, const QList<QPair<QByteArray, QByteArray>>& extra)
{
    return m_client.send("GET", url(path), {}, headers() + extra);
}

QJsonObject AgentSession::admin(const QString& path) const
{
    return m_client.get(url(QStringLiteral("/__admin") + path)).json();
}

Status BackendTestBed::prepare()
{
    auto made = TestPki::loadOrCreate(m_pkiDir.path());
    if (!made)
        return std::unexpected(made.error());
    pki = *made;
    client = std::make_unique<SimTestClient>(pki->clientConfiguration());
    return {};
}

Status BackendTestBed::start()
{
    m_state = std::make_unique<QTemporaryDir>();
    auto started = startBackend(m_state->path(), *pki, code);
    if (!started)
        return std::unexpected(started.error());
    server = std::move(*started);
    agent = std::make_unique<AgentSession>(*client, server->baseUrl());
    if (const HttpResult enrolled = agent->enroll(code); enrolled.status != 201)
        return std::unexpected(Error{QStringLiteral("enroll_failed"),
                                     QStringLiteral("enrollment answered %1").arg(enrolled.status)});
    return {};
}

void BackendTestBed::stop()
{
    agent.reset();
    server.reset();
    m_state.reset();
}

QUrl BackendTestBed::adminUrl(const QString& path) const
{
    return server->baseUrl().resolved(QUrl(QStringLiteral("/__admin") + path));
}

} // namespace odis::sim::test
