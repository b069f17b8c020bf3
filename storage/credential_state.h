#pragma once

#include "storage/result.h"

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace odis::storage {

// Lifecycle of the IDEXX credential triple. The names (credentialStateName) are stable: they are
// stored in the database and reported in the heartbeat. To add a state: add it here and to
// kAllCredentialStates, then follow the compiler (-Wswitch) and add its rows to the transition table
// in credential_state.cpp.
enum class CredentialState
{
    NotConfigured, // nothing saved
    Configured,    // saved, not yet proven to work
    Validated,     // a login with them succeeded
    Active,        // used unattended at least once
    Suspended,     // IDEXX rejected them: no automatic use until they are saved again
    Revoked,       // the install was deprovisioned: terminal
};

inline constexpr std::array kAllCredentialStates{
    CredentialState::NotConfigured, CredentialState::Configured, CredentialState::Validated,
    CredentialState::Active,        CredentialState::Suspended,  CredentialState::Revoked,
};

// What happens to the credentials; applyCredentialEvent() says where each event leads.
enum class CredentialEvent
{
    Saved,          // the triple was (re)written to the keychain
    Validated,      // a login with them succeeded
    UsedUnattended, // a scheduled run logged in with them
    Rejected,       // IDEXX refused them (wrong password, account locked or disabled)
    Deprovisioned,  // the backend retired this install
    Removed,        // someone deleted them
};

inline constexpr std::array kAllCredentialEvents{
    CredentialEvent::Saved,    CredentialEvent::Validated,     CredentialEvent::UsedUnattended,
    CredentialEvent::Rejected, CredentialEvent::Deprovisioned, CredentialEvent::Removed,
};

[[nodiscard]] QString credentialStateName(CredentialState state);
[[nodiscard]] std::optional<CredentialState> credentialStateFromName(QStringView name);
[[nodiscard]] QString credentialEventName(CredentialEvent event);

// The state after `event`, or credential_transition_refused when the event is not allowed in `from`
// (e.g. unattended use of credentials that were never validated, anything after revocation).
// Repeating an event is allowed where it is harmless and leaves the state as it is.
[[nodiscard]] Result<CredentialState> applyCredentialEvent(CredentialState from, CredentialEvent event);

// The heartbeat's credential_state (backend-api.md): "not_configured" | "valid" | "invalid" |
// "needs_second_factor". The lifecycle is finer than the wire: saved-but-unproven credentials cannot
// run unattended, so they are reported as not_configured (someone must finish the setup), and so are
// revoked ones (they were wiped).
[[nodiscard]] QString credentialStateOnWire(CredentialState state);

// Whether a scheduled run may log in with the credentials: only validated or active ones. The error
// says why not: idexx_credentials_missing, idexx_credentials_unvalidated, idexx_credentials_rejected,
// agent_revoked.
[[nodiscard]] Status checkAutomaticUse(CredentialState state);

} // namespace odis::storage
