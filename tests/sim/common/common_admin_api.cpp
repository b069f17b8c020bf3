#include "tests/sim/common/common_admin_api.h"

#include "tests/sim/common/sim_http_server.h"

#include <QJsonArray>

namespace odis::sim {

namespace {

bool knownRoute(const SimHttpServer& server, const QString& name)
{
    return name == FaultPlan::kAnyRoute || server.routes().find(name) != nullptr;
}

SimResponse badRequest(const Error& error)
{
    return SimResponse::error(400, error.code, QJsonObject{{QStringLiteral("message"), error.message}});
}

SimReply listRoutes(const SimHttpServer& server)
{
    QJsonArray routes;
    for (const SimRoute& route : server.routes().routes()) {
        routes.append(QJsonObject{{QStringLiteral("name"), route.name},
                                  {QStringLiteral("method"), QString::fromLatin1(route.method)},
                                  {QStringLiteral("pattern"), route.pattern}});
    }
    return SimResponse::json(200, QJsonObject{{QStringLiteral("routes"), routes}});
}

SimReply replaceFaults(SimHttpServer& server, const SimRequest& request)
{
    auto plan = request.jsonObject();
    if (!plan)
        return badRequest(plan.error());
    for (auto it = plan->constBegin(); it != plan->constEnd(); ++it) {
        if (!knownRoute(server, it.key()))
            return SimResponse::error(400, QStringLiteral("unknown_route"),
                                      QJsonObject{{QStringLiteral("route"), it.key()}});
    }
    if (request.query.hasQueryItem(QStringLiteral("seed"))) {
        bool ok = false;
        const quint64 seed = request.query.queryItemValue(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return SimResponse::error(400, QStringLiteral("invalid_seed"));
        server.faults().reseed(seed);
    }
    if (auto replaced = server.faults().replace(*plan); !replaced)
        return badRequest(replaced.error());
    return SimResponse::json(200, server.faults().toJson());
}

SimReply setRouteFaults(SimHttpServer& server, const SimRequest& request)
{
    const QString route = request.param(QStringLiteral("route"));
    if (!knownRoute(server, route))
        return SimResponse::error(404, QStringLiteral("unknown_route"),
                                  QJsonObject{{QStringLiteral("route"), route}});
    auto faults = request.jsonObject();
    if (!faults)
        return badRequest(faults.error());
    if (auto set = server.faults().setRoute(route, *faults); !set)
        return badRequest(set.error());
    return SimResponse::json(200, server.faults().toJson());
}

} // namespace

void registerCommonAdminRoutes(SimHttpServer& server)
{
    // The patterns are constants that cannot collide, so add() cannot fail here.
    SimHttpServer* s = &server;
    (void)server.addAdminRoute("GET", QStringLiteral("/routes"),
                               [s](const SimRequest&) { return listRoutes(*s); });
    (void)server.addAdminRoute("GET", QStringLiteral("/faults"), [s](const SimRequest&) {
        return SimResponse::json(200, s->faults().toJson());
    });
    (void)server.addAdminRoute("PUT", QStringLiteral("/faults"),
                               [s](const SimRequest& r) { return replaceFaults(*s, r); });
    (void)server.addAdminRoute("GET", QStringLiteral("/fault-effects"), [s](const SimRequest&) {
        return SimResponse::json(
            200, QJsonObject{{QStringLiteral("mutated_values"), s->faults().mutationCounts()}});
    });
    (void)server.addAdminRoute("DELETE", QStringLiteral("/fault-effects"), [s](const SimRequest&) {
        s->faults().clearMutationCounts();
        return SimResponse::json(200, QJsonObject{{QStringLiteral("mutated_values"), QJsonObject()}});
    });
    (void)server.addAdminRoute("DELETE", QStringLiteral("/faults"), [s](const SimRequest&) {
        s->faults().clear();
        return SimResponse::noBody(204);
    });
    (void)server.addAdminRoute("PUT", QStringLiteral("/faults/{route}"),
                               [s](const SimRequest& r) { return setRouteFaults(*s, r); });
    (void)server.addAdminRoute("DELETE", QStringLiteral("/faults/{route}"), [s](const SimRequest& r) {
        s->faults().clearRoute(r.param(QStringLiteral("route")));
        return SimResponse::noBody(204);
    });
    (void)server.addAdminRoute("GET", QStringLiteral("/requests"), [s](const SimRequest&) {
        return SimResponse::json(200, s->requestLog().toJson());
    });
    (void)server.addAdminRoute("DELETE", QStringLiteral("/requests"), [s](const SimRequest&) {
        s->requestLog().clear();
        return SimResponse::noBody(204);
    });
}

} // namespace odis::sim
