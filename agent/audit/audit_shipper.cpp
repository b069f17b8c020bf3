#include "agent/audit/audit_shipper.h"

#include "storage/audit_log.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <spdlog/spdlog.h>

namespace odis::agent {

struct AuditShipper::Shipment
{
    qint64 after = 0; // the next batch starts after this seq
    bool resentFromStart = false;
    AuditShipResult result;
    std::vector<std::function<void(Result<AuditShipResult>)>> waiting;
};

AuditShipper::AuditShipper(sync::BackendClient& client, storage::AuditLog& log)
    : m_client(client)
    , m_log(log)
{}

AuditShipper::~AuditShipper() = default;

Result<bool> AuditShipper::behind()
{
    auto head = m_log.head();
    auto anchor = m_log.storedAnchor();
    if (!head || !anchor)
        return std::unexpected(!head ? head.error() : anchor.error());
    const qint64 headSeq = *head ? (*head)->seq : 0;
    const qint64 anchorSeq = *anchor ? (*anchor)->seq : 0;
    return headSeq > anchorSeq;
}

void AuditShipper::ship(std::function<void(Result<AuditShipResult>)> done)
{
    if (m_current) {
        m_current->waiting.push_back(std::move(done));
        return;
    }
    auto anchor = m_log.storedAnchor();
    if (!anchor) {
        done(propagate(anchor));
        return;
    }
    m_current = std::make_shared<Shipment>();
    m_current->after = *anchor ? (*anchor)->seq : 0;
    m_current->result.ackedThroughSeq = m_current->after;
    m_current->waiting.push_back(std::move(done));
    sendNext(m_current);
}

void AuditShipper::sendNext(const std::shared_ptr<Shipment>& shipment)
{
    auto finish = [this, shipment](Result<AuditShipResult> result) {
        if (m_current == shipment)
            m_current.reset();
        for (auto& done : shipment->waiting)
            done(result);
    };
    auto entries = m_log.entriesAfter(shipment->after, kBatchEntries);
    if (!entries) {
        finish(propagate(entries));
        return;
    }
    if (entries->isEmpty()) {
        finish(shipment->result);
        return;
    }
    QJsonArray list;
    for (const storage::AuditEntry& entry : std::as_const(*entries))
        list.append(entry.toJson());
    const qint64 lastSeq = entries->last().seq;
    sync::BackendRequest request;
    request.method = QByteArrayLiteral("POST");
    request.path = QStringLiteral("/v1/audit/batches");
    request.body =
        QJsonDocument(QJsonObject{{QStringLiteral("entries"), list}}).toJson(QJsonDocument::Compact);
    // Resending the same entries is harmless (the backend keeps a seq once, by its hash): a new key each
    // time.
    request.idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::weak_ptr<int> alive = m_alive;
    m_client.send(request, [this, alive, shipment, lastSeq, count = entries->size(),
                            finish](const sync::BackendReply& reply) {
        if (alive.expired())
            return;
        if (!reply.ok()) {
            if (reply.serverError == QLatin1String("audit_chain_broken") && !shipment->resentFromStart) {
                spdlog::warn("audit: the backend lacks earlier entries; sending the whole log again");
                shipment->resentFromStart = true;
                shipment->after = 0;
                sendNext(shipment);
                return;
            }
            finish(std::unexpected(reply.error));
            return;
        }
        const QJsonValue acked = reply.object().value(QStringLiteral("acked_through_seq"));
        if (!acked.isDouble() || acked.toInteger() < 0) {
            finish(fail(codes::kBackendBadResponse,
                        QStringLiteral("the audit answer has no acked_through_seq")));
            return;
        }
        const qint64 through = acked.toInteger();
        ++shipment->result.batches;
        shipment->result.entriesSent += count;
        if (through > 0) {
            if (auto recorded = m_log.recordAcknowledged(through); !recorded) {
                finish(propagate(recorded));
                return;
            }
        }
        shipment->result.ackedThroughSeq = std::max(shipment->result.ackedThroughSeq, through);
        if (through < lastSeq) {
            // The backend kept less than it was sent (a gap on its side): the anchor is where it is.
            finish(shipment->result);
            return;
        }
        shipment->after = std::max(lastSeq, through);
        sendNext(shipment);
    });
}

} // namespace odis::agent
