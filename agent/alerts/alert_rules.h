#pragma once

// The seed's alert rules (docs/architecture.md, "Alerts"), evaluated after every run. Pure: everything
// comes in through AlertInputs, so the rules are tested without a store, a clock or a keychain. The
// result goes to the tray (a notification for each newly raised alert: compareAlerts), the heartbeat's
// `alerts` and telemetry.
//
// Edge cases, decided here:
// - Failures are runs that ended failed or interrupted (a crash loop is something operations must see);
//   completed and partial runs are successes. Running runs in the input are ignored.
// - Failure rate: failures among the newest 20 finished runs, against a window of 20 whatever the history
//   holds, so it takes more than 2 failures (over 10 % of 20) to raise it. A young install with 1 failure
//   in 2 runs is not told "50 %": "3 in a row" and "no success for 24 h" speak for short histories.
// - A run too long: the newest finished run only (the alert clears when the next run is quick), by its
//   recorded duration, else finished_at - started_at. Strictly over 10 minutes.
// - No recent success: strictly over 24 h since the newest success; with no success ever, since the first
//   run started (a fresh install is not "54 years without a success"); with no run at all, no alert
//   (nothing has been tried yet: setup is not finished).
// - Outbox stale: strictly over 24 h since the oldest item still waiting was queued.
// - An instant in the future (the clock was set back) raises nothing.
// - Neo layout drift: the newest finished run saw drift warnings or failed with neo_layout_changed.
// - Re-enrollment needed: the newest finished run stopped because the backend refused this install's
//   token (401, backend_auth_revoked): nothing reaches Odis until someone enrolls it again.
// - Neo origin changed: while a changed origin waits for a person's confirmation (every sync stops).
// - Neo login unknown outcome: while the credentials are suspended because Neo's answer to two logins in
//   a row could not be read (instead of "credentials rejected": Neo did not say so).

#include "agent/run/run_record.h"
#include "storage/codes/backend_codes.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringView>

#include <array>
#include <chrono>
#include <optional>

namespace odis::agent {

// Stable codes (alertCodeName): they reach the heartbeat and telemetry. Evaluation order is this order.
enum class AlertCode
{
    SyncFailureRate,
    RunTooLong,
    ConsecutiveFailures,
    NoRecentSuccess,
    OutboxStale,
    CredentialsRejected,
    SecondFactorNeeded,
    NeoLayoutDrift,
    KeychainUnavailable,
    ReenrollmentNeeded,
    NeoOriginChanged,       // the clinic profile names another Neo origin than the login's: a person confirms
    NeoLoginUnknownOutcome, // Neo's answer to two logins in a row could not be read: credentials suspended
};

inline constexpr std::array kAllAlertCodes{
    AlertCode::SyncFailureRate,    AlertCode::RunTooLong,       AlertCode::ConsecutiveFailures,
    AlertCode::NoRecentSuccess,    AlertCode::OutboxStale,      AlertCode::CredentialsRejected,
    AlertCode::SecondFactorNeeded, AlertCode::NeoLayoutDrift,   AlertCode::KeychainUnavailable,
    AlertCode::ReenrollmentNeeded, AlertCode::NeoOriginChanged, AlertCode::NeoLoginUnknownOutcome,
};

[[nodiscard]] QString alertCodeName(AlertCode code); // "sync_failure_rate", ...
[[nodiscard]] std::optional<AlertCode> alertCodeFromName(QStringView name);

// The seed's thresholds.
namespace alert_threshold {
inline constexpr int kFailureWindowRuns = 20;
inline constexpr int kFailureRatePercent = 10; // raised when failures are over this share of the window
inline constexpr std::chrono::minutes kRunTooLong{10};
inline constexpr int kConsecutiveFailures = 3;
inline constexpr std::chrono::hours kNoSuccessFor{24};
inline constexpr std::chrono::hours kOutboxStaleAfter{24};
} // namespace alert_threshold

// The run error that means the backend no longer accepts this install's token (sync/backend/backend_reply.h).
inline constexpr QLatin1StringView kBackendAuthRevokedCode{codes::kBackendAuthRevoked};

// What the IDEXX login's state means for alerts (storage/credential_state.h and the Neo session's
// verdicts map onto it).
enum class CredentialCondition
{
    Usable,            // validated or active
    NotConfigured,     // setup not finished: no alert (the setup window says so)
    Rejected,          // Neo refused them: automatic runs stopped until someone saves them again
    NeedsSecondFactor, // Neo asked for a second factor: a person must log in once
    UnreadableLogin,   // suspended: Neo's answer to two logins in a row could not be read
};

struct AlertInputs
{
    QDateTime now;
    // The newest finished runs, newest first (RunLog::lastFinished(kFailureWindowRuns)); more are ignored.
    QList<RunRecord> recentRuns;
    std::optional<QDateTime> lastSuccessAt;     // RunLog::lastSuccessAt()
    std::optional<QDateTime> firstRunStartedAt; // RunLog::firstStartedAt()
    std::optional<QDateTime> outboxOldestSince; // sync::Outbox::oldestWaitingSince()
    CredentialCondition credentials = CredentialCondition::Usable;
    bool keychainAvailable = true;
    // The Neo origin the clinic profile names while the login is bound to another one (waiting for
    // `odis-agent credentials confirm-origin`); empty: none.
    QString neoOriginPending;
};

// An active alert. The message is for a person at the clinic or at Odis: counts, durations and codes,
// never clinic data.
struct Alert
{
    AlertCode code = AlertCode::SyncFailureRate;
    QString message;

    [[nodiscard]] QString name() const { return alertCodeName(code); }
};

// Every alert whose condition holds now, in kAllAlertCodes order.
[[nodiscard]] QList<Alert> evaluateAlerts(const AlertInputs& inputs);

// What changed since the previous evaluation: the tray notifies `raised` once, not after every run.
struct AlertChanges
{
    QList<Alert> raised;      // active now, not before
    QList<AlertCode> cleared; // active before, not now
    [[nodiscard]] bool empty() const { return raised.isEmpty() && cleared.isEmpty(); }
};

[[nodiscard]] AlertChanges compareAlerts(const QList<AlertCode>& previous, const QList<Alert>& current);

} // namespace odis::agent
