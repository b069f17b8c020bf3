#pragma once

// The last check before the clinic's IDEXX password is typed (docs/architecture.md, "Secrets"): the
// origin a run would log in at must be on the allow-list (IDEXX Neo's own origins and the managed
// configuration's) and, once the login is bound to an origin, be that origin. Whatever the clinic profile
// says (it comes from the backend) cannot move the password anywhere else.

#include "storage/codes/agent_codes.h"
#include "storage/result.h"

#include <QString>
#include <QUrl>

namespace odis::storage {
class AuditLog;
class NeoOriginBinding;
} // namespace odis::storage
namespace odis::sync {
class NeoOriginAllowList;
}

namespace odis::agent {

inline constexpr QLatin1StringView kNeoOriginChanged{codes::kNeoOriginChanged};

class NeoOriginGate
{
public:
    NeoOriginGate(storage::NeoOriginBinding& binding, const sync::NeoOriginAllowList& allowed,
                  storage::AuditLog& audit);

    // The origin to log in at ("https://host[:port]"), when `baseUrl` may receive the password. Errors:
    // neo_origin_not_allowed (not on the allow-list: nothing is noted, nothing can confirm it);
    // neo_origin_changed (the login is bound to another origin: the new one is noted as pending for
    // `odis-agent credentials confirm-origin`, and every sync stops until then); the store's.
    [[nodiscard]] Result<QString> check(const QUrl& baseUrl);

    // Neo accepted the login at `origin`: binds it there when it was not bound yet.
    [[nodiscard]] Status accepted(const QString& origin);

private:
    void audit(const QString& action, const QString& outcome);

    storage::NeoOriginBinding& m_binding;
    const sync::NeoOriginAllowList& m_allowed;
    storage::AuditLog& m_audit;
};

} // namespace odis::agent
