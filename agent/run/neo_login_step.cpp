#include "agent/run/neo_login_step.h"

#include "agent/telemetry/telemetry.h"
#include "storage/audit_log.h"
#include "storage/clock.h"
#include "storage/codes/storage_codes.h"
#include "storage/idexx_credentials.h"
#include "sync/neo/neo_session.h"
#include "sync/neo/neo_session_errors.h"

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

const QString kActor = QStringLiteral("agent");
const QString kTarget = QStringLiteral("idexx_credentials");

} // namespace

Status checkCredentialUse(storage::CredentialState state, RunTrigger trigger)
{
    if (trigger == RunTrigger::Manual && state == storage::CredentialState::Configured)
        return ok();
    return storage::checkAutomaticUse(state);
}

NeoLoginStep::NeoLoginStep(storage::IdexxCredentials& credentials, storage::AuditLog& audit,
                           Telemetry* telemetry, const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_credentials(credentials)
    , m_audit(audit)
    , m_telemetry(telemetry)
    , m_clock(clock)
{}

void NeoLoginStep::run(sync::NeoSession& session, RunTrigger trigger, std::function<void(Status)> done)
{
    std::weak_ptr<int> alive = m_alive;
    // The login is read from the keychain for each login the session makes (the first, and a new one after
    // Neo ended the session) and wiped by the attempt: no copy of the password lives between logins.
    auto source = [this, alive](std::function<void(Result<storage::IdexxLogin>)> give) {
        if (alive.expired())
            return give(fail(codes::kIdexxCredentialsMissing, QStringLiteral("the run ended")));
        m_credentials.load([give = std::move(give)](Result<std::optional<storage::IdexxLogin>> login) {
            if (!login)
                return give(propagate(login));
            if (!*login)
                return give(fail(codes::kIdexxCredentialsMissing,
                                 QStringLiteral("no IDEXX credentials are saved in the keychain")));
            give(std::move(**login));
        });
    };
    session.login(std::move(source), [this, alive, trigger, done = std::move(done)](Status verdict) {
        if (alive.expired())
            return;
        Status recorded = ok();
        if (verdict)
            recorded = recordSuccess(trigger);
        else if (verdict.error().code == sync::neo_session_error::kLoginRejected)
            recorded = recordRejection();
        else if (verdict.error().code == sync::neo_session_error::kSecondFactorRequired)
            recorded = recordSecondFactor();
        else if (verdict.error().code == sync::neo_session_error::kLoginUnknownOutcome)
            recorded = recordUnknownOutcome();
        done(!verdict ? verdict : recorded);
    });
}

Status NeoLoginStep::recordSuccess(RunTrigger trigger)
{
    auto before = m_credentials.status();
    if (!before)
        return propagate(before);
    const bool unattended = trigger != RunTrigger::Manual;
    auto after = m_credentials.record(
        unattended ? storage::CredentialEvent::UsedUnattended : storage::CredentialEvent::Validated,
        unattended ? QStringLiteral("logged in to IDEXX Neo in a scheduled sync")
                   : QStringLiteral("logged in to IDEXX Neo in a manual sync"));
    if (!after)
        return propagate(after);
    if (before->state == storage::CredentialState::Configured)
        audit(QStringLiteral("credentials.validated"), QStringLiteral("ok"));
    audit(QStringLiteral("credentials.used"),
          unattended ? QStringLiteral("unattended") : QStringLiteral("manual"));
    if (m_telemetry)
        (void)m_telemetry->record(credentialValidatedEvent(true, QString(), m_clock.nowUtc()));
    return ok();
}

Status NeoLoginStep::recordRejection()
{
    auto after = m_credentials.record(storage::CredentialEvent::Rejected,
                                      QStringLiteral("IDEXX Neo rejected the login; not retried"));
    audit(QStringLiteral("credentials.rejected"),
          after ? storage::credentialStateName(*after) : after.error().code);
    if (m_telemetry)
        (void)m_telemetry->record(credentialValidatedEvent(
            false, QString(sync::neo_session_error::kLoginRejected), m_clock.nowUtc()));
    return after ? ok() : Status(propagate(after));
}

// Not a rejection: the credentials stay usable for the next scheduled run, which may try once more; a
// second unknown outcome in a row suspends them (IdexxCredentials::recordUnknownOutcome).
Status NeoLoginStep::recordUnknownOutcome()
{
    auto after = m_credentials.recordUnknownOutcome();
    audit(QStringLiteral("credentials.unknown_outcome"),
          after ? storage::credentialStateName(*after) : after.error().code);
    if (after && *after == storage::CredentialState::Suspended)
        spdlog::warn("IDEXX Neo's answer to the login could not be read twice in a row: the credentials are "
                     "suspended until they are saved again");
    return after ? ok() : Status(propagate(after));
}

Status NeoLoginStep::recordSecondFactor()
{
    audit(QStringLiteral("credentials.second_factor_required"), QStringLiteral("needs_person"));
    return ok();
}

// The audit log is a record, not a gate: a failure to append is logged loudly and the run goes on with its
// verdict (which is already in the credential state).
void NeoLoginStep::audit(const QString& action, const QString& outcome)
{
    if (auto appended = m_audit.append(kActor, action, kTarget, outcome); !appended)
        spdlog::error("audit entry {} could not be written: {}", action.toStdString(),
                      appended.error().code.toStdString());
}

} // namespace odis::agent
