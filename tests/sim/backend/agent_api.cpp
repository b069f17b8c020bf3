#include "tests/sim/backend/agent_api.h"

#include "tests/sim/backend/backend_stores.h"
#include "tests/sim/backend/contract_rules.h"
#include "tests/sim/backend/posthog_endpoint.h"
#include "tests/sim/backend/request_body.h"
#include "tests/sim/common/sim_http_server.h"

#include <QJsonArray>

namespace odis::sim::backend {

AgentApi::AgentApi(BackendStores& stores, BackendLimits& limits)
    : m_stores(stores)
    , m_limits(limits)
    , m_gate(stores.agents, stores.idempotency)
    , m_batches(stores, limits)
{}

Status AgentApi::registerRoutes(SimHttpServer& server)
{
    const auto bind = [this](SimResponse (AgentApi::*method)(const SimRequest&, const AgentContext&)) {
        return [this, method](const SimRequest& r, const AgentContext& a) { return (this->*method)(r, a); };
    };
    const QList<SimRoute> routes{
        {QStringLiteral("enroll"), "POST", QStringLiteral("/v1/agents/enroll"),
         m_gate.enrollment([this](const SimRequest& r) { return enroll(r); })},
        {QStringLiteral("clinic"), "GET", QStringLiteral("/v1/clinic"),
         m_gate.protect(bind(&AgentApi::clinic), false)},
        {QStringLiteral("batches"), "POST", QStringLiteral("/v1/sync/batches"),
         m_gate.protect([this](const SimRequest& r, const AgentContext& a) { return m_batches.handle(r, a); },
                        true)},
        {QStringLiteral("runs"), "PUT", QStringLiteral("/v1/sync/runs/{run_id}"),
         m_gate.protect(bind(&AgentApi::run), true)},
        {QStringLiteral("heartbeat"), "POST", QStringLiteral("/v1/agents/heartbeat"),
         m_gate.protect(bind(&AgentApi::heartbeat), true)},
        {QStringLiteral("command_ack"), "POST", QStringLiteral("/v1/agents/commands/{command_id}/ack"),
         m_gate.protect(bind(&AgentApi::acknowledge), true)},
        {QStringLiteral("audit"), "POST", QStringLiteral("/v1/audit/batches"),
         m_gate.protect(bind(&AgentApi::audit), true)},
        {QStringLiteral("posthog_batch"), "POST", QStringLiteral("/batch/"),
         [this](const SimRequest& r) -> SimReply {
             return handlePosthogBatch(r, m_stores.posthog, m_limits);
         }},
    };
    for (const SimRoute& route : routes) {
        if (auto added = server.addRoute(route.name, route.method, route.pattern, route.handler); !added)
            return added;
    }
    return ok();
}

SimResponse AgentApi::enroll(const SimRequest& request)
{
    auto body = readBody(request, contract::enrollRequest());
    if (!body)
        return body.error();
    auto enrolled = m_stores.agents.enroll({body->value(QStringLiteral("enrollment_code")).toString(),
                                            body->value(QStringLiteral("hostname")).toString(),
                                            body->value(QStringLiteral("os")).toString(),
                                            body->value(QStringLiteral("agent_version")).toString()});
    if (!enrolled) {
        if (enrolled.error().code == QStringLiteral("enrollment_code_not_found"))
            return SimResponse::error(404, enrolled.error().code);
        return storeFailure(enrolled.error());
    }
    return SimResponse::json(201, QJsonObject{{QStringLiteral("agent_id"), enrolled->agentId},
                                              {QStringLiteral("agent_token"), enrolled->agentToken},
                                              {QStringLiteral("clinic_id"), enrolled->clinicId}});
}

SimResponse AgentApi::clinic(const SimRequest& request, const AgentContext& agent)
{
    auto profile = m_stores.profiles.get(agent.clinicId);
    if (!profile)
        return storeFailure(profile.error());
    if (!*profile)
        return SimResponse::error(404, QStringLiteral("clinic_not_found"));
    const QByteArray etag = (*profile)->etag.toLatin1();
    if (ClinicProfiles::matchesIfNoneMatch(request.header("If-None-Match"), (*profile)->etag))
        return SimResponse::noBody(304).setHeader(QByteArrayLiteral("ETag"), etag);
    return SimResponse::json(200, (*profile)->profile).setHeader(QByteArrayLiteral("ETag"), etag);
}

SimResponse AgentApi::run(const SimRequest& request, const AgentContext& agent)
{
    auto body = readBody(request, contract::runReport());
    if (!body)
        return body.error();
    const QString runId = request.param(QStringLiteral("run_id"));
    if (body->value(QStringLiteral("run_id")).toString() != runId)
        return SimResponse::error(
            422, QStringLiteral("run_id_mismatch"),
            QJsonObject{{QStringLiteral("field"), QStringLiteral("run_id")},
                        {QStringLiteral("problem"), QStringLiteral("must equal the path's run id")}});
    auto reports = m_stores.reports.putRun(agent.agentId, runId, *body);
    if (!reports)
        return storeFailure(reports.error());
    return SimResponse::json(
        200, QJsonObject{{QStringLiteral("run_id"), runId}, {QStringLiteral("reports"), *reports}});
}

SimResponse AgentApi::heartbeat(const SimRequest& request, const AgentContext& agent)
{
    auto body = readBody(request, contract::heartbeat());
    if (!body)
        return body.error();
    if (auto stored = m_stores.reports.addHeartbeat(agent.agentId, *body); !stored)
        return storeFailure(stored.error());
    auto commands = m_stores.commands.deliver(agent.agentId);
    if (!commands)
        return storeFailure(commands.error());
    auto profile = m_stores.profiles.get(agent.clinicId);
    if (!profile)
        return storeFailure(profile.error());
    return SimResponse::json(
        200, QJsonObject{{QStringLiteral("commands"), *commands},
                         {QStringLiteral("clinic_etag"),
                          *profile ? QJsonValue((*profile)->etag) : QJsonValue(QJsonValue::Null)}});
}

SimResponse AgentApi::acknowledge(const SimRequest& request, const AgentContext& agent)
{
    auto body = readBody(request, contract::commandAck());
    if (!body)
        return body.error();
    auto acked = m_stores.commands.acknowledge(agent.agentId, request.param(QStringLiteral("command_id")),
                                               body->value(QStringLiteral("result")).toObject());
    if (!acked) {
        if (acked.error().code == QStringLiteral("command_not_found"))
            return SimResponse::error(404, acked.error().code);
        return storeFailure(acked.error());
    }
    return SimResponse::json(200, QJsonObject{{QStringLiteral("command_id"), acked->commandId},
                                              {QStringLiteral("acked_at"), acked->ackedAt}});
}

SimResponse AgentApi::audit(const SimRequest& request, const AgentContext& agent)
{
    auto body = readBody(request, contract::auditBatch());
    if (!body)
        return body.error();
    auto head = m_stores.audit.append(agent.agentId, body->value(QStringLiteral("entries")).toArray());
    if (!head) {
        if (head.error().code.startsWith(QStringLiteral("audit_chain_")))
            return SimResponse::error(422, head.error().code,
                                      QJsonObject{{QStringLiteral("problem"), head.error().message}});
        return storeFailure(head.error());
    }
    return SimResponse::json(200, QJsonObject{{QStringLiteral("acked_through_seq"), *head}});
}

} // namespace odis::sim::backend
