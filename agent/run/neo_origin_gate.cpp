#include "agent/run/neo_origin_gate.h"

#include "storage/audit_log.h"
#include "storage/neo_origin_binding.h"
#include "sync/core/neo_origin_allow_list.h"

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {
const QString kTarget = QStringLiteral("neo_origin");
}

NeoOriginGate::NeoOriginGate(storage::NeoOriginBinding& binding, const sync::NeoOriginAllowList& allowed,
                             storage::AuditLog& audit)
    : m_binding(binding)
    , m_allowed(allowed)
    , m_audit(audit)
{}

void NeoOriginGate::audit(const QString& action, const QString& outcome)
{
    if (auto appended = m_audit.append(QStringLiteral("agent"), action, kTarget, outcome); !appended)
        spdlog::error("audit entry {} could not be written: {}", action.toStdString(),
                      appended.error().code.toStdString());
}

Result<QString> NeoOriginGate::check(const QUrl& baseUrl)
{
    const QString origin = sync::originText(baseUrl);
    if (origin.isEmpty() || !m_allowed.allows(baseUrl)) {
        audit(QStringLiteral("neo_origin.refused"), origin.isEmpty() ? QStringLiteral("not https") : origin);
        return fail(
            QString(sync::kNeoOriginNotAllowed),
            QStringLiteral("the clinic's IDEXX Neo address %1 is not an IDEXX Neo origin (%2) nor one "
                           "the managed configuration allows (neo.allowed_origins): the clinic's "
                           "password is not sent there")
                .arg(origin.isEmpty() ? QStringLiteral("(not https)") : origin,
                     sync::NeoOriginAllowList::kBuiltIn.join(QStringLiteral(", "))));
    }
    auto bound = m_binding.bound();
    if (!bound)
        return propagate(bound);
    auto pending = m_binding.pending();
    if (!pending)
        return propagate(pending);
    if (bound->isEmpty() || *bound == origin) {
        // The profile is back where the login is bound (or nothing is bound yet): nothing waits any more.
        if (!pending->isEmpty())
            if (auto cleared = m_binding.clearPending(); !cleared)
                return propagate(cleared);
        return origin;
    }
    if (*pending != origin) {
        if (auto noted = m_binding.setPending(origin); !noted)
            return propagate(noted);
        audit(QStringLiteral("neo_origin.changed"), origin);
    }
    return fail(
        QString(kNeoOriginChanged),
        QStringLiteral("the clinic profile now names %1 for IDEXX Neo, but the saved login was accepted "
                       "at %2: syncs are stopped until someone at the clinic confirms the new address "
                       "(odis-agent credentials confirm-origin %1)")
            .arg(origin, *bound));
}

Status NeoOriginGate::accepted(const QString& origin)
{
    auto bound = m_binding.bound();
    if (!bound)
        return propagate(bound);
    if (!bound->isEmpty())
        return ok();
    if (auto bind = m_binding.bind(origin); !bind)
        return bind;
    audit(QStringLiteral("neo_origin.bound"), origin);
    spdlog::info("the IDEXX login is bound to {}", origin.toStdString());
    return ok();
}

} // namespace odis::agent
