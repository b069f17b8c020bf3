#include "tests/sim/backend/batch_endpoint.h"

#include "tests/sim/backend/backend_stores.h"
#include "tests/sim/backend/contract_rules.h"
#include "tests/sim/backend/item_validator.h"
#include "tests/sim/backend/request_body.h"

#include <QJsonArray>

namespace odis::sim::backend {

BatchEndpoint::BatchEndpoint(BackendStores& stores, BackendLimits& limits)
    : m_stores(stores)
    , m_limits(limits)
{}

SimResponse BatchEndpoint::handle(const SimRequest& request, const AgentContext& agent)
{
    if (request.wireBodySize > m_limits.maxBatchBytes)
        return SimResponse::error(413, QStringLiteral("batch_too_large"),
                                  QJsonObject{{QStringLiteral("max_bytes"), m_limits.maxBatchBytes},
                                              {QStringLiteral("bytes"), request.wireBodySize}});
    auto body = readBody(request, contract::batchEnvelope());
    if (!body)
        return body.error();
    const QJsonArray items = body->value(QStringLiteral("items")).toArray();
    if (items.size() > m_limits.maxBatchItems)
        return SimResponse::error(413, QStringLiteral("batch_too_large"),
                                  QJsonObject{{QStringLiteral("max_items"), m_limits.maxBatchItems},
                                              {QStringLiteral("items"), items.size()}});
    const QString batchId = body->value(QStringLiteral("batch_id")).toString();
    if (QString::fromUtf8(request.header("Idempotency-Key").trimmed())
            .compare(batchId, Qt::CaseInsensitive) != 0)
        return SimResponse::error(
            422, QStringLiteral("idempotency_key_mismatch"),
            QJsonObject{{QStringLiteral("field"), QStringLiteral("batch_id")},
                        {QStringLiteral("problem"), QStringLiteral("must equal Idempotency-Key")}});
    if (body->value(QStringLiteral("clinic_id")).toString() != agent.clinicId)
        return SimResponse::error(
            422, QStringLiteral("clinic_mismatch"),
            QJsonObject{{QStringLiteral("field"), QStringLiteral("clinic_id")},
                        {QStringLiteral("problem"), QStringLiteral("is not this agent's clinic")}});

    BatchRecord record{batchId,
                       agent.agentId,
                       agent.clinicId,
                       body->value(QStringLiteral("run_id")).toString(),
                       body->value(QStringLiteral("sent_at")).toString(),
                       items.size(),
                       request.wireBodySize,
                       request.gzipEncoded};
    Transaction tx(*m_stores.db);
    if (!tx.started())
        return storeFailure(tx.started().error());
    QJsonArray results;
    for (const QJsonValue value : items) {
        const CheckedItem item = checkItem(value);
        QJsonObject result{{QStringLiteral("key"), item.key}, {QStringLiteral("version"), item.version}};
        if (item.rejection) {
            if (auto kept = m_stores.items.recordRejection(batchId, item, *item.rejection); !kept)
                return storeFailure(kept.error());
            result.insert(QStringLiteral("status"), QStringLiteral("rejected"));
            result.insert(QStringLiteral("error"), item.rejection->code);
            result.insert(QStringLiteral("details"), item.rejection->details);
            ++record.rejected;
        } else {
            auto status = m_stores.items.apply(agent.clinicId, batchId, item);
            if (!status)
                return storeFailure(status.error());
            result.insert(QStringLiteral("status"), *status);
            ++(*status == QStringLiteral("stored") ? record.stored : record.unchanged);
        }
        results.append(result);
    }
    if (auto kept = m_stores.items.recordBatch(record); !kept)
        return storeFailure(kept.error());
    if (auto committed = tx.commit(); !committed)
        return storeFailure(committed.error());
    return SimResponse::json(
        200, QJsonObject{{QStringLiteral("batch_id"), batchId}, {QStringLiteral("results"), results}});
}

} // namespace odis::sim::backend
