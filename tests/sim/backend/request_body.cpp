#include "tests/sim/backend/request_body.h"

namespace odis::sim::backend {

SimResponse violationResponse(const Violation& violation)
{
    return SimResponse::error(violation.shape ? 400 : 422,
                              violation.shape ? QStringLiteral("invalid_request")
                                              : QStringLiteral("invalid_value"),
                              violation.toJson());
}

SimResponse storeFailure(const Error& error)
{
    return SimResponse::error(500, QStringLiteral("backend_store_failed"),
                              QJsonObject{{QStringLiteral("code"), error.code}});
}

std::expected<QJsonObject, SimResponse> readBody(const SimRequest& request, const QList<Field>& rules)
{
    auto body = request.jsonObject();
    if (!body)
        return std::unexpected(
            SimResponse::error(400, QStringLiteral("invalid_json"),
                               QJsonObject{{QStringLiteral("problem"), body.error().message}}));
    if (auto bad = checkObject(*body, rules))
        return std::unexpected(violationResponse(*bad));
    return *body;
}

} // namespace odis::sim::backend
