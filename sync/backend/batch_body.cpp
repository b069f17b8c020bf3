#include "sync/backend/batch_body.h"

#include "sync/core/canonical_json.h"

#include <QJsonValue>

namespace odis::sync {

namespace {

QByteArray jsonString(const QString& text)
{
    return canonicalJson(QJsonValue(text));
}

} // namespace

QByteArray batchItemJson(const QString& key, const QString& kind, const QString& observedAt,
                         const QByteArray& payload, const QString& version)
{
    QByteArray out;
    out.reserve(payload.size() + key.size() + version.size() + 96);
    out += "{\"key\":" + jsonString(key) + ",\"kind\":" + jsonString(kind) +
           ",\"observed_at\":" + jsonString(observedAt) + ",\"payload\":";
    out += payload;
    out += ",\"version\":" + jsonString(version) + '}';
    return out;
}

QByteArray batchJson(const BatchEnvelope& envelope, const QList<QByteArray>& items, qsizetype count)
{
    qsizetype size = 160;
    for (qsizetype i = 0; i < count; ++i)
        size += items.at(i).size() + 1;
    QByteArray out;
    out.reserve(size);
    out += "{\"batch_id\":" + jsonString(envelope.batchId) +
           ",\"clinic_id\":" + jsonString(envelope.clinicId) + ",\"items\":[";
    for (qsizetype i = 0; i < count; ++i) {
        if (i > 0)
            out += ',';
        out += items.at(i);
    }
    out += "],\"run_id\":" + jsonString(envelope.runId) + ",\"sent_at\":" + jsonString(envelope.sentAt) + '}';
    return out;
}

} // namespace odis::sync
