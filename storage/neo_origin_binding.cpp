#include "storage/neo_origin_binding.h"

#include "storage/clock.h"
#include "storage/codes/storage_codes.h"
#include "storage/database.h"

namespace odis::storage {

NeoOriginBinding::NeoOriginBinding(Database& db, const Clock& clock)
    : m_db(db)
    , m_clock(clock)
{}

Result<QString> NeoOriginBinding::value(const QString& key) const
{
    auto stored = m_db.scalar(QStringLiteral("SELECT value FROM kv WHERE key = ?"), {key});
    if (!stored)
        return propagate(stored);
    return stored->toString();
}

Status NeoOriginBinding::write(const QString& key, const QString& value)
{
    auto written =
        value.isEmpty()
            ? m_db.execute(QStringLiteral("DELETE FROM kv WHERE key = ?"), {key})
            : m_db.execute(
                  QStringLiteral("INSERT OR REPLACE INTO kv (key, value, updated_at) VALUES (?, ?, ?)"),
                  {key, value, m_clock.nowUtc().toUTC().toString(Qt::ISODateWithMs)});
    return written ? ok() : Status(propagate(written));
}

Result<QString> NeoOriginBinding::bound() const
{
    return value(kBoundKey);
}

Result<QString> NeoOriginBinding::pending() const
{
    return value(kPendingKey);
}

Status NeoOriginBinding::bind(const QString& origin)
{
    if (origin.isEmpty())
        return fail(codes::kNeoOriginInvalid, QStringLiteral("no origin to bind the login to"));
    const auto body = [&]() -> Status {
        if (auto written = write(kBoundKey, origin); !written)
            return written;
        return write(kPendingKey, QString());
    };
    return m_db.inTransaction() ? body() : m_db.transaction(body);
}

Status NeoOriginBinding::setPending(const QString& origin)
{
    return write(kPendingKey, origin);
}

Status NeoOriginBinding::clearPending()
{
    return write(kPendingKey, QString());
}

} // namespace odis::storage
