#include "tests/sim/backend/backend_server.h"

#include "tests/sim/backend/backend_admin_api.h"
#include "tests/sim/common/default_clinic_profile.h"

namespace odis::sim::backend {

BackendServer::BackendServer(BackendConfig config, std::unique_ptr<BackendStores> stores)
    : SimHttpServer(config.faultSeed)
    , m_config(std::move(config))
    , m_stores(std::move(stores))
    , m_limits(m_config.limits)
    , m_api(*m_stores, m_limits)
    , m_clinicId(m_config.clinicProfile.value(QStringLiteral("clinic_id")).toString())
{}

BackendServer::~BackendServer() = default;

Result<std::unique_ptr<BackendServer>> BackendServer::create(BackendConfig config)
{
    if (config.stateDirectory.isEmpty())
        return fail(QStringLiteral("backend_state_unusable"),
                    QStringLiteral("the backend double needs a state directory"));
    if (config.clinicProfile.isEmpty())
        config.clinicProfile = defaultClinicProfile();
    if (config.clinicProfile.value(QStringLiteral("clinic_id")).toString().isEmpty())
        return fail(QStringLiteral("invalid_profile"), QStringLiteral("the clinic profile has no clinic_id"));
    auto db = BackendDatabase::open(config.stateDirectory);
    if (!db)
        return std::unexpected(db.error());
    std::unique_ptr<BackendServer> server(
        new BackendServer(std::move(config), std::make_unique<BackendStores>(std::move(*db))));
    if (auto routes = server->m_api.registerRoutes(*server); !routes)
        return std::unexpected(routes.error());
    if (auto admin = registerBackendAdminRoutes(*server); !admin)
        return std::unexpected(admin.error());
    if (auto seeded = server->seed(); !seeded)
        return std::unexpected(seeded.error());
    return server;
}

Status BackendServer::seed()
{
    // A profile set through the admin API before a restart is kept: only a missing one is seeded.
    auto existing = m_stores->profiles.get(m_clinicId);
    if (!existing)
        return std::unexpected(existing.error());
    if (!*existing) {
        if (auto put = m_stores->profiles.put(m_config.clinicProfile); !put)
            return std::unexpected(put.error());
    }
    auto code = m_stores->agents.createEnrollmentCode(m_clinicId, m_config.enrollmentCode);
    if (code) {
        m_enrollmentCode = *code;
        return ok();
    }
    if (code.error().code != QStringLiteral("code_exists"))
        return std::unexpected(code.error());
    m_enrollmentCode = m_config.enrollmentCode; // issued by an earlier run over this state directory
    return ok();
}

Status BackendServer::reset()
{
    if (auto wiped = m_stores->db->wipe(); !wiped)
        return wiped;
    m_limits = m_config.limits;
    faults().clear();
    requestLog().clear();
    return seed();
}

} // namespace odis::sim::backend
