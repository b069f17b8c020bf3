#pragma once

// Ships the local audit log to the backend (POST /v1/audit/batches, docs/backend-api.md) and records the
// head the backend acknowledged as the chain's anchor (storage/audit_log.h): from then on, a local log cut
// below the anchor or rewritten up to it fails `odis-agent verify-audit`. Sent after each run and whenever
// the heartbeat finds the backend behind (the local head past the anchor).
//
// Entries after the anchor go in batches of at most kBatchEntries, oldest first, until the backend holds
// them all. A 422 audit_chain_broken means the backend lacks the entries before the batch (it lost its
// copy): the whole log is sent again from entry 1, once.

#include "storage/result.h"

#include <QObject>

#include <functional>
#include <memory>

namespace odis::storage {
class AuditLog;
}
namespace odis::sync {
class BackendClient;
}

namespace odis::agent {

struct AuditShipResult
{
    qint64 ackedThroughSeq = 0; // the anchor after shipping
    int batches = 0;
    qint64 entriesSent = 0;
};

class AuditShipper
{
public:
    static constexpr int kBatchEntries = 200;

    AuditShipper(sync::BackendClient& client, storage::AuditLog& log);
    ~AuditShipper();
    AuditShipper(const AuditShipper&) = delete;
    AuditShipper& operator=(const AuditShipper&) = delete;

    // Whether the local log has entries past the anchor. Errors: the store's.
    [[nodiscard]] Result<bool> behind();

    // `done` once, later, unless this object is destroyed first. Errors: the backend's (backend_reply.h),
    // the audit log's (audit_anchor_mismatch when the backend acknowledged a different chain), the store's.
    // A ship while one is in flight joins it.
    void ship(std::function<void(Result<AuditShipResult>)> done);

private:
    struct Shipment;
    void sendNext(const std::shared_ptr<Shipment>& shipment);

    sync::BackendClient& m_client;
    storage::AuditLog& m_log;
    std::shared_ptr<Shipment> m_current;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace odis::agent
