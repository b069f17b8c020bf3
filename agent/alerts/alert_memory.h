#pragma once

// Which alerts were active after the previous evaluation, kept in the store's kv table so that a restart
// does not notify again about an alert the clinic has already been told about.

#include "agent/alerts/alert_rules.h"
#include "storage/result.h"

#include <QList>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::agent {

class AlertMemory
{
public:
    AlertMemory(storage::Database& db, const Clock& clock);

    // The codes active after the last update(); none before the first. Codes this version does not know
    // (written by a newer one) are skipped.
    [[nodiscard]] Result<QList<AlertCode>> previous();
    // Remembers `current` as the active set and returns what changed since the previous one.
    [[nodiscard]] Result<AlertChanges> update(const QList<Alert>& current);

    static constexpr const char* kKvKey = "alerts_active";

private:
    storage::Database& m_db;
    const Clock& m_clock;
};

} // namespace odis::agent
