#pragma once

// The bytes of a `POST /v1/sync/batches` body, assembled from stored parts so that the payload goes
// exactly as it was stored (its version is the hash of those bytes) and every resend is identical.
// Object keys in canonical (sorted) order.

#include <QByteArray>
#include <QList>
#include <QString>

namespace odis::sync {

struct BatchEnvelope
{
    QString batchId;
    QString clinicId;
    QString runId;
    QString sentAt; // utcText
};

// {"key":..,"kind":..,"observed_at":..,"payload":<payload as is>,"version":..}
[[nodiscard]] QByteArray batchItemJson(const QString& key, const QString& kind, const QString& observedAt,
                                       const QByteArray& payload, const QString& version);

// {"batch_id":..,"clinic_id":..,"items":[the first `count` of `items`],"run_id":..,"sent_at":..}
[[nodiscard]] QByteArray batchJson(const BatchEnvelope& envelope, const QList<QByteArray>& items,
                                   qsizetype count);

} // namespace odis::sync
