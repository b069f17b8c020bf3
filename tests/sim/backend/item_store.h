#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace odis::sim::backend {

class BackendDatabase;
struct CheckedItem;
struct Rejection;

struct BatchRecord
{
    QString batchId;
    QString agentId;
    QString clinicId;
    QString runId;
    QString sentAt;
    qint64 itemCount = 0;
    qint64 wireBytes = 0;
    bool gzip = false;
    int stored = 0;
    int unchanged = 0;
    int rejected = 0;
};

// Uploaded items: every observation is kept (that is what duplicate counting reads), and per (clinic, key)
// the latest one wins: an older observed_at arriving later never replaces a newer one.
class ItemStore
{
public:
    explicit ItemStore(BackendDatabase& db);

    // Records one valid observation and answers "stored" (it is now the latest and differs from the
    // previous latest) or "unchanged" (same version as the latest, or older than it). Call inside a
    // transaction together with recordBatch().
    Result<QString> apply(const QString& clinicId, const QString& batchId, const CheckedItem& item);
    Status recordRejection(const QString& batchId, const CheckedItem& item, const Rejection& rejection);
    Status recordBatch(const BatchRecord& batch);

    // Admin reads. Empty filters match everything.
    Result<QJsonArray> latest(const QString& kind, const QString& key);
    Result<QJsonArray> observations(const QString& key);
    Result<QJsonArray> batches();
    Result<QJsonArray> rejected();
    // {"duplicates": n, "keys": [{clinic_id, key, version, count}]}: n = sum of (count - 1) over every
    // (clinic, key, version) stored more than once.
    Result<QJsonObject> duplicates();

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
