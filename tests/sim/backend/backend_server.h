#pragma once

#include "storage/result.h"
#include "tests/sim/backend/agent_api.h"
#include "tests/sim/backend/backend_stores.h"
#include "tests/sim/common/sim_http_server.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace odis::sim::backend {

struct BackendConfig
{
    QString stateDirectory; // where backend-sim.sqlite lives; required
    quint64 faultSeed = 1;
    BackendLimits limits;
    QString enrollmentCode;    // issued at start and after a reset; random when empty
    QJsonObject clinicProfile; // served until replaced; empty: the common default profile
};

// The backend double: every endpoint of the agent API v1 with its status codes, the PostHog batch
// endpoint, its own SQLite store in the state directory (what it received survives a restart), the common
// fault plan, and an admin API to read everything back. Recreating it over the same state directory
// keeps everything.
class BackendServer : public SimHttpServer
{
    Q_OBJECT

public:
    static Result<std::unique_ptr<BackendServer>> create(BackendConfig config);
    ~BackendServer() override;

    [[nodiscard]] BackendStores& stores() { return *m_stores; }
    [[nodiscard]] BackendLimits& limits() { return m_limits; }
    [[nodiscard]] const QString& clinicId() const { return m_clinicId; }
    // The code issued at start (or after a reset), for a person enrolling by hand.
    [[nodiscard]] const QString& enrollmentCode() const { return m_enrollmentCode; }

    // Wipes the store and restores the start state (profile, enrollment code, limits, no faults, empty log).
    Status reset();

private:
    BackendServer(BackendConfig config, std::unique_ptr<BackendStores> stores);
    Status seed();

    BackendConfig m_config;
    std::unique_ptr<BackendStores> m_stores;
    BackendLimits m_limits;
    AgentApi m_api;
    QString m_clinicId;
    QString m_enrollmentCode;
};

} // namespace odis::sim::backend
