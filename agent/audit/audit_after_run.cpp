#include "agent/audit/audit_after_run.h"

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/audit/audit_shipper.h"
#include "agent/verbs/verb_support.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/enrollment.h"

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

// What one shipment needs, kept together until the process ends (verb_support.h keepUntilExit).
struct AfterRunShipment
{
    std::unique_ptr<sync::BackendClient> client;
    std::unique_ptr<sync::Enrollment> enrollment;
    std::unique_ptr<AuditShipper> shipper;
};

} // namespace

void shipAuditAfterRun(AgentContext& ctx, const AgentConfig& config, const Clock& clock,
                       std::function<void()> then)
{
    sync::BackendConfig backend = config.backend();
    backend.transferTimeout =
        std::min<std::chrono::milliseconds>(backend.transferTimeout, kShipTransferTimeout);
    backend.totalTimeout = std::min<std::chrono::milliseconds>(backend.totalTimeout, kShipTimeout);
    auto client = sync::BackendClient::create(backend, clock);
    if (!client) {
        spdlog::warn("audit: not shipped ({})", client.error().code.toStdString());
        then();
        return;
    }
    auto shipment = std::make_unique<AfterRunShipment>();
    shipment->client = std::move(*client);
    shipment->enrollment = std::make_unique<sync::Enrollment>(*shipment->client, ctx.db(), *ctx.secrets,
                                                              ctx.logging->redactor(), clock);
    shipment->shipper = std::make_unique<AuditShipper>(*shipment->client, *ctx.audit);
    AfterRunShipment& kept = keepUntilExit(std::move(shipment));
    kept.enrollment->load([&kept, then = std::move(then)](Result<sync::AgentIdentity> identity) {
        if (!identity) {
            spdlog::info("audit: not shipped ({})", identity.error().code.toStdString());
            then();
            return;
        }
        kept.shipper->ship([then](Result<AuditShipResult> shipped) {
            if (shipped)
                spdlog::info("audit: {} entries shipped, the backend holds the chain through {}",
                             shipped->entriesSent, shipped->ackedThroughSeq);
            else
                spdlog::warn("audit: not shipped ({}); the next run or heartbeat tries again",
                             shipped.error().code.toStdString());
            then();
        });
    });
}

} // namespace odis::agent
