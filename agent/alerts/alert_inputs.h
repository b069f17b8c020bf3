#pragma once

// What the alert rules read, gathered from where the agent keeps it: the runs table, the outbox, the IDEXX
// credential state and the keychain probe. Kept apart from alert_rules.h so that the rules stay pure.

#include "agent/alerts/alert_rules.h"
#include "storage/credential_state.h"
#include "storage/result.h"

#include <QDateTime>

namespace odis::sync {
class Outbox;
}

namespace odis::agent {

class RunLog;

// The credential lifecycle seen by the alerts: suspended credentials were rejected by Neo; a second factor
// Neo asked for at the last login (the run failed with neo_second_factor_required) waits for a person;
// validated or active ones are usable; anything else means setup is not finished.
[[nodiscard]] CredentialCondition credentialConditionFor(storage::CredentialState state,
                                                         bool secondFactorRequested,
                                                         bool suspendedForUnknownOutcomes = false);

// The newest finished runs (the failure window), the last success, the first run, and the outbox's oldest
// waiting item, at `now`. Errors: the store's.
[[nodiscard]] Result<AlertInputs> gatherAlertInputs(RunLog& runs, sync::Outbox& outbox, const QDateTime& now,
                                                    CredentialCondition credentials, bool keychainAvailable);

} // namespace odis::agent
