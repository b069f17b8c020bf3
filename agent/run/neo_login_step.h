#pragma once

// The run's Neo login with the clinic's saved credentials, and what each verdict means for them
// (docs/architecture.md, "Secrets"): a success validates configured credentials (a manual run, a person
// present) or marks them used unattended (scheduled runs); Neo's known rejection suspends them at once, so
// nothing submits the same password again until someone saves new credentials (repeated failures can lock
// the clinic's shared account); an answer the agent cannot read (neo_login_unknown_outcome) is not a
// rejection, but a second one in a row suspends them as well; a second factor waits for a person. Every
// verdict goes to the audit log, and the success or rejection to telemetry (credential.validated).

#include "agent/run/run_record.h"
#include "storage/credential_state.h"
#include "storage/result.h"

#include <QObject>

#include <functional>
#include <memory>

namespace odis {
class Clock;
}
namespace odis::storage {
class AuditLog;
class IdexxCredentials;
} // namespace odis::storage
namespace odis::sync {
class NeoSession;
}

namespace odis::agent {

class Telemetry;

// Whether a run of this trigger may use credentials in `state`: a manual run may also use configured
// credentials (and validates them); every other trigger needs validated or active ones
// (storage::checkAutomaticUse). Suspended ones are never used: someone must save them again.
[[nodiscard]] Status checkCredentialUse(storage::CredentialState state, RunTrigger trigger);

class NeoLoginStep : public QObject
{
    Q_OBJECT

public:
    // `telemetry` may be null (switched off or not configured).
    NeoLoginStep(storage::IdexxCredentials& credentials, storage::AuditLog& audit, Telemetry* telemetry,
                 const Clock& clock, QObject* parent = nullptr);

    // Logs in with the login from the keychain (read for each login the session makes). `done` is called
    // once, later, unless this object is destroyed first. Errors: idexx_credentials_missing, the
    // keychain's, the session's (neo_login_rejected, neo_login_unknown_outcome,
    // neo_second_factor_required, ...), and the store's when a verdict could not be recorded.
    void run(sync::NeoSession& session, RunTrigger trigger, std::function<void(Status)> done);

private:
    [[nodiscard]] Status recordSuccess(RunTrigger trigger);
    [[nodiscard]] Status recordRejection();
    [[nodiscard]] Status recordSecondFactor();
    [[nodiscard]] Status recordUnknownOutcome();
    void audit(const QString& action, const QString& outcome);

    storage::IdexxCredentials& m_credentials;
    storage::AuditLog& m_audit;
    Telemetry* m_telemetry;
    const Clock& m_clock;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace odis::agent
