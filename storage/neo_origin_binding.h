#pragma once

// The origin where IDEXX Neo accepted the clinic's saved login (docs/architecture.md, "Secrets"). The
// login is bound to it at the first successful login; from then on the agent types the password nowhere
// else. A clinic profile that names another origin is noted as pending and stops every sync (alert
// neo_origin_changed) until a person at the clinic confirms it here (`odis-agent credentials
// confirm-origin <origin>`). Kept in the store's kv table; origins are written as "https://host[:port]".

#include "storage/result.h"

#include <QString>

namespace odis {
class Clock;
}

namespace odis::storage {

class Database;

class NeoOriginBinding
{
public:
    static inline const QString kBoundKey = QStringLiteral("neo_origin");
    static inline const QString kPendingKey = QStringLiteral("neo_origin_pending");

    NeoOriginBinding(Database& db, const Clock& clock);

    // Empty when nothing is bound yet (no login has succeeded since this was introduced).
    [[nodiscard]] Result<QString> bound() const;
    // Empty when no other origin waits for a person.
    [[nodiscard]] Result<QString> pending() const;

    // Binds the login to `origin` (after Neo accepted it there) and forgets any pending change.
    [[nodiscard]] Status bind(const QString& origin);
    // Notes that the clinic profile names `origin`, which is not the bound one.
    [[nodiscard]] Status setPending(const QString& origin);
    [[nodiscard]] Status clearPending();

private:
    [[nodiscard]] Result<QString> value(const QString& key) const;
    [[nodiscard]] Status write(const QString& key, const QString& value);

    Database& m_db;
    const Clock& m_clock;
};

} // namespace odis::storage
