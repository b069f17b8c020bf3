#include "tests/sim/backend/posthog_endpoint.h"

#include "tests/sim/backend/backend_stores.h"
#include "tests/sim/backend/contract_rules.h"
#include "tests/sim/backend/json_rules.h"
#include "tests/sim/backend/request_body.h"

#include <QJsonArray>

namespace odis::sim::backend {

namespace {

SimResponse posthogError(int status, const QString& type, const QString& code, const QString& detail)
{
    return SimResponse::json(status, QJsonObject{{QStringLiteral("type"), type},
                                                 {QStringLiteral("code"), code},
                                                 {QStringLiteral("detail"), detail}});
}

} // namespace

SimResponse handlePosthogBatch(const SimRequest& request, PosthogStore& store, const BackendLimits& limits)
{
    auto body = request.jsonObject();
    if (!body)
        return posthogError(400, QStringLiteral("validation_error"), QStringLiteral("invalid_payload"),
                            body.error().message);
    const QString apiKey = body->value(QStringLiteral("api_key")).toString();
    if (apiKey.isEmpty() || (!limits.posthogApiKey.isEmpty() && apiKey != limits.posthogApiKey))
        return posthogError(401, QStringLiteral("authentication_error"), QStringLiteral("invalid_api_key"),
                            QStringLiteral("Project API key invalid."));
    if (auto bad = checkObject(*body, contract::posthogBatch()))
        return posthogError(400, QStringLiteral("validation_error"), QStringLiteral("invalid_payload"),
                            bad->field + u' ' + bad->problem);
    if (auto stored = store.add(body->value(QStringLiteral("batch")).toArray()); !stored)
        return storeFailure(stored.error());
    return SimResponse::json(200, QJsonObject{{QStringLiteral("status"), 1}});
}

} // namespace odis::sim::backend
