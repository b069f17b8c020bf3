#include "agent/alerts/alert_inputs.h"

#include "agent/run/run_log.h"
#include "sync/backend/outbox.h"

namespace odis::agent {

CredentialCondition credentialConditionFor(storage::CredentialState state, bool secondFactorRequested,
                                           bool suspendedForUnknownOutcomes)
{
    switch (state) {
    case storage::CredentialState::Suspended:
        return suspendedForUnknownOutcomes ? CredentialCondition::UnreadableLogin
                                           : CredentialCondition::Rejected;
    case storage::CredentialState::Configured:
    case storage::CredentialState::Validated:
    case storage::CredentialState::Active:
        // A second factor can be asked of credentials Neo otherwise accepts.
        if (secondFactorRequested)
            return CredentialCondition::NeedsSecondFactor;
        return state == storage::CredentialState::Configured ? CredentialCondition::NotConfigured
                                                             : CredentialCondition::Usable;
    case storage::CredentialState::NotConfigured:
    case storage::CredentialState::Revoked:
        return CredentialCondition::NotConfigured;
    }
    Q_UNREACHABLE();
    return CredentialCondition::NotConfigured;
}

Result<AlertInputs> gatherAlertInputs(RunLog& runs, sync::Outbox& outbox, const QDateTime& now,
                                      CredentialCondition credentials, bool keychainAvailable)
{
    AlertInputs in;
    in.now = now;
    in.credentials = credentials;
    in.keychainAvailable = keychainAvailable;
    auto recent = runs.lastFinished(alert_threshold::kFailureWindowRuns);
    if (!recent)
        return propagate(recent);
    in.recentRuns = std::move(*recent);
    auto lastSuccess = runs.lastSuccessAt();
    if (!lastSuccess)
        return propagate(lastSuccess);
    in.lastSuccessAt = *lastSuccess;
    auto firstRun = runs.firstStartedAt();
    if (!firstRun)
        return propagate(firstRun);
    in.firstRunStartedAt = *firstRun;
    auto oldest = outbox.oldestWaitingSince();
    if (!oldest)
        return propagate(oldest);
    in.outboxOldestSince = *oldest;
    return in;
}

} // namespace odis::agent
