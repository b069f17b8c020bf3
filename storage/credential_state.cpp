#include "storage/credential_state.h"

#include "storage/codes/storage_codes.h"

#include <array>

namespace odis::storage {

namespace {

using S = CredentialState;
using E = CredentialEvent;

struct Transition
{
    CredentialEvent event;
    CredentialState from;
    CredentialState to;
};

// Every allowed transition; anything not listed is refused.
constexpr std::array kTransitions{
    // Saving starts over from anything but revocation; it is the only way out of suspension.
    Transition{E::Saved, S::NotConfigured, S::Configured},
    Transition{E::Saved, S::Configured, S::Configured},
    Transition{E::Saved, S::Validated, S::Configured},
    Transition{E::Saved, S::Active, S::Configured},
    Transition{E::Saved, S::Suspended, S::Configured},
    // A successful login proves the saved triple; it does not demote credentials already in use.
    Transition{E::Validated, S::Configured, S::Validated},
    Transition{E::Validated, S::Validated, S::Validated},
    Transition{E::Validated, S::Active, S::Active},
    // Unattended use needs a validation first (the setup window does one with a person present).
    Transition{E::UsedUnattended, S::Validated, S::Active},
    Transition{E::UsedUnattended, S::Active, S::Active},
    Transition{E::Rejected, S::Configured, S::Suspended},
    Transition{E::Rejected, S::Validated, S::Suspended},
    Transition{E::Rejected, S::Active, S::Suspended},
    Transition{E::Rejected, S::Suspended, S::Suspended},
    Transition{E::Deprovisioned, S::NotConfigured, S::Revoked},
    Transition{E::Deprovisioned, S::Configured, S::Revoked},
    Transition{E::Deprovisioned, S::Validated, S::Revoked},
    Transition{E::Deprovisioned, S::Active, S::Revoked},
    Transition{E::Deprovisioned, S::Suspended, S::Revoked},
    Transition{E::Deprovisioned, S::Revoked, S::Revoked},
    Transition{E::Removed, S::NotConfigured, S::NotConfigured},
    Transition{E::Removed, S::Configured, S::NotConfigured},
    Transition{E::Removed, S::Validated, S::NotConfigured},
    Transition{E::Removed, S::Active, S::NotConfigured},
    Transition{E::Removed, S::Suspended, S::NotConfigured},
};

} // namespace

// Switches, so that -Wswitch (an error in CI) points at every place a new state or event needs.
QString credentialStateName(CredentialState state)
{
    switch (state) {
    case S::NotConfigured:
        return QStringLiteral("not_configured");
    case S::Configured:
        return QStringLiteral("configured");
    case S::Validated:
        return QStringLiteral("validated");
    case S::Active:
        return QStringLiteral("active");
    case S::Suspended:
        return QStringLiteral("suspended");
    case S::Revoked:
        return QStringLiteral("revoked");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<CredentialState> credentialStateFromName(QStringView name)
{
    for (const CredentialState state : kAllCredentialStates) {
        if (name == credentialStateName(state))
            return state;
    }
    return std::nullopt;
}

QString credentialEventName(CredentialEvent event)
{
    switch (event) {
    case E::Saved:
        return QStringLiteral("saved");
    case E::Validated:
        return QStringLiteral("validated");
    case E::UsedUnattended:
        return QStringLiteral("used_unattended");
    case E::Rejected:
        return QStringLiteral("rejected");
    case E::Deprovisioned:
        return QStringLiteral("deprovisioned");
    case E::Removed:
        return QStringLiteral("removed");
    }
    Q_UNREACHABLE();
    return {};
}

QString credentialStateOnWire(CredentialState state)
{
    switch (state) {
    case S::NotConfigured:
    case S::Configured:
    case S::Revoked:
        return QStringLiteral("not_configured");
    case S::Validated:
    case S::Active:
        return QStringLiteral("valid");
    case S::Suspended:
        return QStringLiteral("invalid");
    }
    Q_UNREACHABLE();
    return {};
}

Result<CredentialState> applyCredentialEvent(CredentialState from, CredentialEvent event)
{
    for (const Transition& t : kTransitions) {
        if (t.event == event && t.from == from)
            return t.to;
    }
    return fail(codes::kCredentialTransitionRefused,
                QStringLiteral("event %1 is not allowed while the IDEXX credentials are %2")
                    .arg(credentialEventName(event), credentialStateName(from)));
}

Status checkAutomaticUse(CredentialState state)
{
    switch (state) {
    case S::Validated:
    case S::Active:
        return ok();
    case S::NotConfigured:
        return fail(codes::kIdexxCredentialsMissing,
                    QStringLiteral("no IDEXX credentials are saved: enter them in the setup window"));
    case S::Configured:
        return fail(codes::kIdexxCredentialsUnvalidated,
                    QStringLiteral("the saved IDEXX credentials have not been validated yet: log in once "
                                   "from the setup window"));
    case S::Suspended:
        return fail(codes::kIdexxCredentialsRejected,
                    QStringLiteral("IDEXX rejected the saved credentials: automatic syncs are stopped until "
                                   "they are saved again"));
    case S::Revoked:
        return fail(codes::kAgentRevoked,
                    QStringLiteral("this install was deprovisioned: it no longer uses IDEXX credentials"));
    }
    Q_UNREACHABLE();
    return fail(codes::kCredentialStateUnknown, QString());
}

} // namespace odis::storage
