#include "tests/sim/backend/agent_gate.h"

#include "tests/sim/backend/agent_registry.h"
#include "tests/sim/backend/idempotency_store.h"
#include "tests/sim/backend/json_rules.h"

#include <QRegularExpression>

namespace odis::sim::backend {

namespace {

const QString kEnrollScope = QStringLiteral("enroll");

SimResponse unauthorized(const QString& code)
{
    return SimResponse::error(401, code).setHeader(QByteArrayLiteral("WWW-Authenticate"),
                                                   QByteArrayLiteral("Bearer"));
}

SimResponse headerError(const QString& code, const QString& header)
{
    return SimResponse::error(400, code, QJsonObject{{QStringLiteral("header"), header}});
}

// X-Agent-Version and User-Agent, which every request carries.
std::optional<SimResponse> checkClientHeaders(const SimRequest& request)
{
    static const QRegularExpression userAgent(QStringLiteral("^odis-agent/\\S+ \\(.+\\)$"));
    if (request.header("X-Agent-Version").trimmed().isEmpty())
        return headerError(QStringLiteral("missing_header"), QStringLiteral("X-Agent-Version"));
    const QByteArray ua = request.header("User-Agent");
    if (ua.isEmpty())
        return headerError(QStringLiteral("missing_header"), QStringLiteral("User-Agent"));
    if (!userAgent.match(QString::fromUtf8(ua)).hasMatch())
        return headerError(QStringLiteral("invalid_header"), QStringLiteral("User-Agent"));
    if (!request.body.isEmpty() &&
        !request.header("Content-Type").trimmed().toLower().startsWith("application/json"))
        return SimResponse::error(415, QStringLiteral("unsupported_media_type"));
    return std::nullopt;
}

bool remembered(int status)
{
    return (status >= 200 && status < 300) || status == 400 || status == 422;
}

} // namespace

AgentGate::AgentGate(AgentRegistry& agents, IdempotencyStore& idempotency)
    : m_agents(agents)
    , m_idempotency(idempotency)
{}

SimHandler AgentGate::protect(AgentHandler handler, bool changesState)
{
    return [this, handler = std::move(handler), changesState](const SimRequest& request) -> SimReply {
        const QByteArray authorization = request.header("Authorization");
        if (!authorization.startsWith("Bearer ") || authorization.size() <= 7)
            return unauthorized(QStringLiteral("token_missing"));
        auto identity = m_agents.authenticate(QString::fromUtf8(authorization.mid(7).trimmed()));
        if (!identity) {
            if (identity.error().code == QStringLiteral("token_unknown"))
                return unauthorized(QStringLiteral("token_unknown"));
            return SimResponse::error(500, identity.error().code);
        }
        if (identity->deprovisioned)
            return SimResponse::error(403, QStringLiteral("agent_deprovisioned"));
        if (identity->tokenRevoked)
            return unauthorized(QStringLiteral("token_revoked"));
        const QByteArray agentId = request.header("X-Agent-Id").trimmed();
        if (agentId.isEmpty())
            return headerError(QStringLiteral("missing_header"), QStringLiteral("X-Agent-Id"));
        if (QString::fromUtf8(agentId) != identity->agentId)
            return unauthorized(QStringLiteral("token_agent_mismatch"));
        if (auto bad = checkClientHeaders(request))
            return *bad;
        const AgentContext context{identity->agentId, identity->clinicId};
        if (!changesState)
            return handler(request, context);
        return idempotent(context.agentId, request, [&] { return handler(request, context); });
    };
}

SimHandler AgentGate::enrollment(AnonymousHandler handler)
{
    return [this, handler = std::move(handler)](const SimRequest& request) -> SimReply {
        if (auto bad = checkClientHeaders(request))
            return *bad;
        return idempotent(kEnrollScope, request, [&] { return handler(request); });
    };
}

SimResponse AgentGate::idempotent(const QString& scope, const SimRequest& request,
                                  const std::function<SimResponse()>& run)
{
    const QString key = QString::fromUtf8(request.header("Idempotency-Key").trimmed());
    if (key.isEmpty())
        return SimResponse::error(400, QStringLiteral("missing_idempotency_key"));
    if (checkFormat(key, Format::Uuid, QStringLiteral("Idempotency-Key")))
        return SimResponse::error(400, QStringLiteral("invalid_idempotency_key"));
    const QString fingerprint = IdempotencyStore::fingerprint(request.routeName, request.path, request.body);
    auto found = m_idempotency.find(scope, key);
    if (!found)
        return SimResponse::error(500, found.error().code);
    if (*found) {
        const StoredAnswer& first = **found;
        if (first.fingerprint != fingerprint)
            return SimResponse::error(409, QStringLiteral("idempotency_key_reused"),
                                      QJsonObject{{QStringLiteral("route"), first.route}});
        if (auto counted = m_idempotency.countReplay(scope, key); !counted)
            return SimResponse::error(500, counted.error().code);
        SimResponse replay;
        replay.status = first.status;
        replay.body = first.body;
        replay.setHeader(QByteArrayLiteral("Content-Type"), first.contentType);
        replay.setHeader(QByteArrayLiteral("Idempotent-Replayed"), QByteArrayLiteral("true"));
        return replay;
    }
    SimResponse answer = run();
    if (remembered(answer.status)) {
        // The enrollment answer holds the agent's token; keeping it here is what lets a retried enrollment
        // whose answer was lost get the same agent back (the admin API never shows enrollment answers).
        if (auto kept = m_idempotency.remember(
                scope, key,
                {request.routeName, fingerprint, answer.status, answer.header("Content-Type"), answer.body});
            !kept)
            return SimResponse::error(500, kept.error().code);
    }
    return answer;
}

} // namespace odis::sim::backend
