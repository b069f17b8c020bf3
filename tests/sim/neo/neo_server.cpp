#include "tests/sim/neo/neo_server.h"

#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/neo_admin.h"
#include "tests/sim/neo/neo_data_routes.h"
#include "tests/sim/neo/neo_login_routes.h"

#include <QRandomGenerator>

namespace odis::sim::neo {

QString secondFactorCodeFor(quint32 seed)
{
    // Its own stream, so that it does not shift any draw of the clinic generator.
    QRandomGenerator random(seed ^ 0x2fa2fa2fU);
    return QStringLiteral("%1").arg(random.bounded(1000000), 6, 10, QLatin1Char('0'));
}

odis::Result<std::unique_ptr<NeoServer>> NeoServer::create(NeoServerConfig config, QObject* parent)
{
    QJsonObject profileJson = config.clinicProfile.isEmpty() ? defaultClinicProfile() : config.clinicProfile;
    auto profile = parseClinicProfile(profileJson);
    if (!profile) {
        return std::unexpected(profile.error());
    }
    const ClinicOptions& options = config.clinic.options();
    const QDateTime start = config.startUtc.isValid()
                                ? config.startUtc.toUTC()
                                : localToUtc(options.firstDay, QTime(12, 0), options.zone);
    NeoAccount account{config.clinic.companyId(), config.clinic.username(), config.clinic.password(),
                       config.secondFactorCode.isEmpty() ? secondFactorCodeFor(options.seed)
                                                         : config.secondFactorCode};
    auto state =
        std::make_unique<NeoState>(std::move(config.clinic), std::move(profileJson), std::move(*profile),
                                   std::move(account), start, config.clockSpeed);
    state->variants = config.variants;
    useEmailUsernameWhenAsked(*state);
    state->sessions.setTimeouts(config.timeouts);
    state->login.setPolicy(config.lockout);

    std::unique_ptr<NeoServer> server(new NeoServer(std::move(state), config.faultSeed, parent));
    if (auto mounted = server->mountRoutes(); !mounted) {
        return std::unexpected(mounted.error());
    }
    return server;
}

NeoServer::NeoServer(std::unique_ptr<NeoState> state, quint64 faultSeed, QObject* parent)
    : SimHttpServer(faultSeed, parent)
    , m_state(std::move(state))
{}

NeoServer::~NeoServer() = default;

bool NeoServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    // useTls() is not virtual: the cookies' Secure flag follows the server at each request instead.
    m_state->tls = isTls();
    return SimHttpServer::handleRequest(request, socket);
}

odis::Status NeoServer::mountRoutes()
{
    if (auto s = addLoginRoutes(*this, *m_state); !s) {
        return s;
    }
    if (auto s = addDataRoutes(*this, *m_state); !s) {
        return s;
    }
    return addNeoAdminRoutes(*this, *m_state);
}

} // namespace odis::sim::neo
