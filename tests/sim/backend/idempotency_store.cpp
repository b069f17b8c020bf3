#include "tests/sim/backend/idempotency_store.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace odis::sim::backend {

IdempotencyStore::IdempotencyStore(BackendDatabase& db)
    : m_db(db)
{}

QString IdempotencyStore::fingerprint(const QString& route, const QString& path, const QByteArray& body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    const QByteArray content =
        error.error == QJsonParseError::NoError
            ? canonicalJson(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()))
            : body;
    return sha256Hex(QByteArray(route.toUtf8() + '\n' + path.toUtf8() + '\n' + content));
}

Result<std::optional<StoredAnswer>> IdempotencyStore::find(const QString& scope, const QString& key)
{
    auto rows =
        m_db.rows(QStringLiteral("SELECT route, fingerprint, status, content_type, body FROM idempotency "
                                 "WHERE scope = ? AND key = ?"),
                  {scope, key});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return std::optional<StoredAnswer>();
    const QJsonObject row = rows->first().toObject();
    return std::optional<StoredAnswer>(StoredAnswer{
        row.value(QStringLiteral("route")).toString(), row.value(QStringLiteral("fingerprint")).toString(),
        row.value(QStringLiteral("status")).toInt(),
        row.value(QStringLiteral("content_type")).toString().toLatin1(),
        row.value(QStringLiteral("body")).toString().toUtf8()});
}

Status IdempotencyStore::remember(const QString& scope, const QString& key, const StoredAnswer& answer)
{
    return m_db.exec(
        QStringLiteral("INSERT INTO idempotency(scope, key, route, fingerprint, status, content_type, body, "
                       "created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"),
        {scope, key, answer.route, answer.fingerprint, answer.status, QString::fromLatin1(answer.contentType),
         answer.body, BackendDatabase::nowText()});
}

Status IdempotencyStore::countReplay(const QString& scope, const QString& key)
{
    return m_db.exec(
        QStringLiteral("UPDATE idempotency SET replays = replays + 1 WHERE scope = ? AND key = ?"),
        {scope, key});
}

Result<QJsonArray> IdempotencyStore::answers(const QString& route)
{
    return m_db.rows(
        QStringLiteral("SELECT scope, key, status, body AS answer_json, replays, created_at FROM idempotency "
                       "WHERE route = ? ORDER BY created_at, key"),
        {route});
}

} // namespace odis::sim::backend
