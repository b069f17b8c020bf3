#pragma once

#include "storage/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <optional>

namespace odis::sim::backend {

class BackendDatabase;

struct StoredAnswer
{
    QString route;
    QString fingerprint;
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

// The first answer to each Idempotency-Key, per scope (the agent, or "enroll" before an agent exists).
// A repeated key with the same request gets that answer again; with a different request, 409.
class IdempotencyStore
{
public:
    explicit IdempotencyStore(BackendDatabase& db);

    // What identifies "the same request": the route, the path and the body's canonical JSON (so key order
    // and white space do not matter), or the raw body when it is not JSON.
    [[nodiscard]] static QString fingerprint(const QString& route, const QString& path,
                                             const QByteArray& body);

    Result<std::optional<StoredAnswer>> find(const QString& scope, const QString& key);
    Status remember(const QString& scope, const QString& key, const StoredAnswer& answer);
    Status countReplay(const QString& scope, const QString& key);
    // Batches' first answers with their replay counts, for the admin API.
    Result<QJsonArray> answers(const QString& route);

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
