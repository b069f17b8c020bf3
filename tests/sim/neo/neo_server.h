#pragma once

#include "storage/result.h"
#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/neo_login.h"
#include "tests/sim/neo/neo_sessions.h"
#include "tests/sim/neo/neo_state.h"
#include "tests/sim/neo/neo_variants.h"

#include <QDateTime>
#include <QJsonObject>

#include <memory>

namespace odis::sim::neo {

struct NeoServerConfig
{
    ClinicModel clinic;
    QJsonObject clinicProfile; // what the ground truth and the calendar use; empty: the default profile
    QDateTime startUtc;        // the simulated now at start; invalid: noon of the clinic's first day
    double clockSpeed = 0.0;   // 0: the clock moves only when set or advanced
    quint64 faultSeed = 1;
    QString secondFactorCode; // empty: six digits derived from the clinic's seed
    NeoVariants variants;
    SessionTimeouts timeouts;
    LockoutPolicy lockout;
};

// The IDEXX Neo simulator: the common simulator server with Neo's pages, JSON endpoints and admin API
// mounted on a simulated clinic. Use it in-process from tests (create, optionally useTls, start) or through
// the odis-neo-sim executable.
class NeoServer final : public SimHttpServer
{
    Q_OBJECT

public:
    // Fails with "invalid_clinic_profile" on a malformed profile.
    static odis::Result<std::unique_ptr<NeoServer>> create(NeoServerConfig config, QObject* parent = nullptr);
    ~NeoServer() override;

    [[nodiscard]] NeoState& state() { return *m_state; }
    [[nodiscard]] const NeoState& state() const { return *m_state; }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    NeoServer(std::unique_ptr<NeoState> state, quint64 faultSeed, QObject* parent);
    odis::Status mountRoutes();

    std::unique_ptr<NeoState> m_state;
};

// The default second-factor code of a clinic: six digits, stable for a seed.
[[nodiscard]] QString secondFactorCodeFor(quint32 seed);

} // namespace odis::sim::neo
