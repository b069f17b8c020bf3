#include "tests/sim/backend/backend_admin_api.h"

#include "tests/sim/backend/backend_server.h"
#include "tests/sim/backend/contract_rules.h"
#include "tests/sim/backend/request_body.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace odis::sim::backend {

namespace {

QString query(const SimRequest& r, const char* name)
{
    return r.query.queryItemValue(QLatin1StringView(name), QUrl::FullyDecoded);
}

SimResponse listing(const QString& name, const Result<QJsonArray>& rows)
{
    if (!rows)
        return storeFailure(rows.error());
    return SimResponse::json(200, QJsonObject{{name, *rows}});
}

SimResponse badRequest(const QString& code, const QString& problem)
{
    return SimResponse::error(400, code, QJsonObject{{QStringLiteral("problem"), problem}});
}

SimResponse createCode(BackendServer& s, const SimRequest& r)
{
    auto body = r.body.isEmpty() ? Result<QJsonObject>(QJsonObject()) : r.jsonObject();
    if (!body)
        return badRequest(body.error().code, body.error().message);
    const QString clinicId = body->value(QStringLiteral("clinic_id")).toString(s.clinicId());
    auto code =
        s.stores().agents.createEnrollmentCode(clinicId, body->value(QStringLiteral("code")).toString());
    if (!code) {
        if (code.error().code == QStringLiteral("code_exists"))
            return SimResponse::error(409, code.error().code);
        return storeFailure(code.error());
    }
    return SimResponse::json(
        201, QJsonObject{{QStringLiteral("code"), *code}, {QStringLiteral("clinic_id"), clinicId}});
}

SimResponse agentChange(const Result<int>& changed, const Result<bool>& exists, const QString& field)
{
    if (!exists)
        return storeFailure(exists.error());
    if (!*exists)
        return SimResponse::error(404, QStringLiteral("agent_not_found"));
    if (!changed)
        return storeFailure(changed.error());
    return SimResponse::json(200, QJsonObject{{field, *changed}});
}

SimResponse enqueueCommand(BackendServer& s, const SimRequest& r)
{
    const QString agentId = r.param(QStringLiteral("agent_id"));
    auto exists = s.stores().agents.exists(agentId);
    if (!exists)
        return storeFailure(exists.error());
    if (!*exists)
        return SimResponse::error(404, QStringLiteral("agent_not_found"));
    // "unlisted_type": true queues a type the contract does not list, as a newer backend would send one.
    const bool unlisted =
        QJsonDocument::fromJson(r.body).object().value(QStringLiteral("unlisted_type")).toBool();
    auto body = readBody(r, {unlisted ? rules::string(QStringLiteral("type"), Format::NonEmpty)
                                      : rules::oneOf(QStringLiteral("type"), contract::commandTypes()),
                             rules::optional(rules::anyObject(QStringLiteral("args"))),
                             rules::optional(rules::boolean(QStringLiteral("unlisted_type")))});
    if (!body)
        return body.error();
    auto command = s.stores().commands.enqueue(agentId, body->value(QStringLiteral("type")).toString(),
                                               body->value(QStringLiteral("args")).toObject());
    if (!command)
        return storeFailure(command.error());
    return SimResponse::json(201, *command);
}

SimResponse readProfile(BackendServer& s, const SimRequest& r)
{
    const QString clinicId = query(r, "clinic_id").isEmpty() ? s.clinicId() : query(r, "clinic_id");
    auto profile = s.stores().profiles.get(clinicId);
    if (!profile)
        return storeFailure(profile.error());
    if (!*profile)
        return SimResponse::error(404, QStringLiteral("clinic_not_found"));
    return SimResponse::json(200, QJsonObject{{QStringLiteral("profile"), (*profile)->profile},
                                              {QStringLiteral("etag"), (*profile)->etag}});
}

SimResponse writeProfile(BackendServer& s, const SimRequest& r)
{
    auto body = r.jsonObject();
    if (!body)
        return badRequest(body.error().code, body.error().message);
    auto etag = s.stores().profiles.put(*body);
    if (!etag)
        return etag.error().code == QStringLiteral("invalid_profile")
                   ? badRequest(etag.error().code, etag.error().message)
                   : storeFailure(etag.error());
    return SimResponse::json(
        200, QJsonObject{{QStringLiteral("clinic_id"), body->value(QStringLiteral("clinic_id"))},
                         {QStringLiteral("etag"), *etag}});
}

SimResponse readAudit(BackendServer& s, const SimRequest& r)
{
    auto heads = s.stores().audit.heads();
    auto entries = s.stores().audit.entries(query(r, "agent_id"));
    if (!heads || !entries)
        return storeFailure(!heads ? heads.error() : entries.error());
    return SimResponse::json(
        200, QJsonObject{{QStringLiteral("heads"), *heads}, {QStringLiteral("entries"), *entries}});
}

SimResponse summary(BackendServer& s)
{
    QJsonObject counts;
    for (const QString& table :
         {QStringLiteral("agents"), QStringLiteral("enrollment_codes"), QStringLiteral("items"),
          QStringLiteral("observations"), QStringLiteral("rejected_items"), QStringLiteral("batches"),
          QStringLiteral("runs"), QStringLiteral("run_reports"), QStringLiteral("heartbeats"),
          QStringLiteral("commands"), QStringLiteral("audit_entries"), QStringLiteral("posthog_events")}) {
        auto n = s.stores().db->scalar(QStringLiteral("SELECT COUNT(*) FROM ") + table);
        if (!n)
            return storeFailure(n.error());
        counts.insert(table, n->toLongLong());
    }
    auto duplicates = s.stores().items.duplicates();
    if (!duplicates)
        return storeFailure(duplicates.error());
    counts.insert(QStringLiteral("duplicates"), duplicates->value(QStringLiteral("duplicates")));
    return SimResponse::json(200, counts);
}

QJsonObject configJson(const BackendLimits& limits)
{
    return QJsonObject{{QStringLiteral("max_batch_bytes"), limits.maxBatchBytes},
                       {QStringLiteral("max_batch_items"), limits.maxBatchItems},
                       {QStringLiteral("posthog_api_key"), limits.posthogApiKey}};
}

SimResponse writeConfig(BackendServer& s, const SimRequest& r)
{
    auto body = readBody(r, {rules::optional(rules::integer(QStringLiteral("max_batch_bytes"), 1)),
                             rules::optional(rules::integer(QStringLiteral("max_batch_items"), 1)),
                             rules::optional(rules::string(QStringLiteral("posthog_api_key")))});
    if (!body)
        return body.error();
    BackendLimits& limits = s.limits();
    limits.maxBatchBytes = body->value(QStringLiteral("max_batch_bytes")).toInteger(limits.maxBatchBytes);
    limits.maxBatchItems = body->value(QStringLiteral("max_batch_items")).toInt(limits.maxBatchItems);
    limits.posthogApiKey = body->value(QStringLiteral("posthog_api_key")).toString(limits.posthogApiKey);
    return SimResponse::json(200, configJson(limits));
}

} // namespace

Status registerBackendAdminRoutes(BackendServer& server)
{
    BackendServer* s = &server;
    BackendStores* st = &server.stores();
    using Handler = std::function<SimResponse(const SimRequest&)>;
    const QList<std::tuple<QByteArray, QString, Handler>> routes{
        {"POST", QStringLiteral("/enrollment-codes"), [s](const SimRequest& r) { return createCode(*s, r); }},
        {"GET", QStringLiteral("/enrollment-codes"),
         [st](const SimRequest&) {
             return listing(QStringLiteral("enrollment_codes"), st->agents.enrollmentCodes());
         }},
        {"GET", QStringLiteral("/agents"),
         [st](const SimRequest&) { return listing(QStringLiteral("agents"), st->agents.agents()); }},
        {"POST", QStringLiteral("/agents/{agent_id}/revoke-token"),
         [st](const SimRequest& r) {
             const QString id = r.param(QStringLiteral("agent_id"));
             return agentChange(st->agents.revokeTokens(id), st->agents.exists(id),
                                QStringLiteral("revoked_tokens"));
         }},
        {"POST", QStringLiteral("/agents/{agent_id}/deprovision"),
         [st](const SimRequest& r) {
             const QString id = r.param(QStringLiteral("agent_id"));
             return agentChange(st->agents.deprovision(id), st->agents.exists(id),
                                QStringLiteral("deprovisioned"));
         }},
        {"POST", QStringLiteral("/agents/{agent_id}/commands"),
         [s](const SimRequest& r) { return enqueueCommand(*s, r); }},
        {"GET", QStringLiteral("/commands"),
         [st](const SimRequest&) { return listing(QStringLiteral("commands"), st->commands.all()); }},
        {"GET", QStringLiteral("/clinic-profile"), [s](const SimRequest& r) { return readProfile(*s, r); }},
        {"PUT", QStringLiteral("/clinic-profile"), [s](const SimRequest& r) { return writeProfile(*s, r); }},
        {"GET", QStringLiteral("/items"),
         [st](const SimRequest& r) {
             return listing(QStringLiteral("items"), st->items.latest(query(r, "kind"), query(r, "key")));
         }},
        {"GET", QStringLiteral("/observations"),
         [st](const SimRequest& r) {
             return listing(QStringLiteral("observations"), st->items.observations(query(r, "key")));
         }},
        {"GET", QStringLiteral("/duplicates"),
         [st](const SimRequest&) {
             auto d = st->items.duplicates();
             return d ? SimResponse::json(200, *d) : storeFailure(d.error());
         }},
        {"GET", QStringLiteral("/batches"),
         [st](const SimRequest&) { return listing(QStringLiteral("batches"), st->items.batches()); }},
        {"GET", QStringLiteral("/rejected-items"),
         [st](const SimRequest&) { return listing(QStringLiteral("rejected_items"), st->items.rejected()); }},
        {"GET", QStringLiteral("/runs"),
         [st](const SimRequest&) { return listing(QStringLiteral("runs"), st->reports.runs()); }},
        {"GET", QStringLiteral("/run-reports"),
         [st](const SimRequest& r) {
             return listing(QStringLiteral("run_reports"), st->reports.runReports(query(r, "run_id")));
         }},
        {"GET", QStringLiteral("/heartbeats"),
         [st](const SimRequest&) { return listing(QStringLiteral("heartbeats"), st->reports.heartbeats()); }},
        {"GET", QStringLiteral("/audit"), [s](const SimRequest& r) { return readAudit(*s, r); }},
        {"GET", QStringLiteral("/posthog-events"),
         [st](const SimRequest&) { return listing(QStringLiteral("posthog_events"), st->posthog.events()); }},
        {"GET", QStringLiteral("/summary"), [s](const SimRequest&) { return summary(*s); }},
        {"GET", QStringLiteral("/config"),
         [s](const SimRequest&) { return SimResponse::json(200, configJson(s->limits())); }},
        {"PUT", QStringLiteral("/config"), [s](const SimRequest& r) { return writeConfig(*s, r); }},
        {"POST", QStringLiteral("/reset"),
         [s](const SimRequest&) {
             auto reset = s->reset();
             return reset ? SimResponse::json(
                                200, QJsonObject{{QStringLiteral("enrollment_code"), s->enrollmentCode()}})
                          : storeFailure(reset.error());
         }},
    };
    for (const auto& [method, pattern, handler] : routes) {
        if (auto added = server.addAdminRoute(
                method, pattern, [handler](const SimRequest& r) -> SimReply { return handler(r); });
            !added)
            return added;
    }
    return ok();
}

} // namespace odis::sim::backend
