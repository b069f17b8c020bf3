#include "agent/alerts/alert_rules.h"

#include "storage/codes/agent_codes.h"
#include "storage/codes/neo_codes.h"
#include "storage/codes/storage_codes.h"
#include "sync/core/code_table.h"

#include <QRegularExpression>

#include <algorithm>
#include <utility>

namespace odis::agent {

namespace {

using namespace alert_threshold;

constexpr std::array kNames{
    std::pair{AlertCode::SyncFailureRate, codes::kSyncFailureRate},
    std::pair{AlertCode::RunTooLong, codes::kRunTooLong},
    std::pair{AlertCode::ConsecutiveFailures, codes::kConsecutiveFailures},
    std::pair{AlertCode::NoRecentSuccess, codes::kNoRecentSuccess},
    std::pair{AlertCode::OutboxStale, codes::kOutboxStale},
    std::pair{AlertCode::CredentialsRejected, codes::kCredentialsRejected},
    std::pair{AlertCode::SecondFactorNeeded, codes::kSecondFactorNeeded},
    std::pair{AlertCode::NeoLayoutDrift, codes::kNeoLayoutDrift},
    std::pair{AlertCode::KeychainUnavailable, codes::kKeychainUnavailable},
    std::pair{AlertCode::ReenrollmentNeeded, codes::kReenrollmentNeeded},
    std::pair{AlertCode::NeoOriginChanged, codes::kNeoOriginChanged},
    std::pair{AlertCode::NeoLoginUnknownOutcome, codes::kNeoLoginUnknownOutcome},
};
static_assert(kNames.size() == kAllAlertCodes.size());

constexpr qint64 kMsPerMinute = qint64{60} * 1000;
constexpr qint64 kMsPerHour = 60 * kMsPerMinute;

qint64 ms(std::chrono::milliseconds duration)
{
    return duration.count();
}

// Whole hours, rounded down: "for 25 hours" is true for 25 h 40 min.
QString hours(qint64 milliseconds)
{
    return QString::number(milliseconds / kMsPerHour);
}

// Error codes are machine words; anything else (a caller's mistake) is not repeated to a person.
QString codeForMessage(const QString& code)
{
    static const QRegularExpression word(QStringLiteral("^[a-z0-9_]{1,64}$"));
    return word.match(code).hasMatch() ? code : QStringLiteral("unreadable");
}

qint64 durationOf(const RunRecord& run)
{
    if (run.durationMs)
        return *run.durationMs;
    if (run.startedAt.isValid() && run.finishedAt.isValid())
        return run.startedAt.msecsTo(run.finishedAt);
    return 0;
}

// Finished runs only, newest first, at most the failure window.
QList<RunRecord> windowOf(const QList<RunRecord>& runs)
{
    QList<RunRecord> finished;
    for (const RunRecord& run : runs) {
        if (run.finished())
            finished.append(run);
    }
    std::stable_sort(finished.begin(), finished.end(),
                     [](const RunRecord& a, const RunRecord& b) { return a.startedAt > b.startedAt; });
    if (finished.size() > kFailureWindowRuns)
        finished.resize(kFailureWindowRuns);
    return finished;
}

std::optional<Alert> failureRate(const QList<RunRecord>& window)
{
    const auto failures = std::count_if(window.begin(), window.end(),
                                        [](const RunRecord& r) { return r.failedOrInterrupted(); });
    // failures / window > percent / 100, in integers so that exactly 10 % is not "over".
    if (failures * 100 <= qint64(kFailureRatePercent) * kFailureWindowRuns)
        return std::nullopt;
    return Alert{AlertCode::SyncFailureRate,
                 QStringLiteral("%1 of the last %2 sync runs failed (the limit is %3 %)")
                     .arg(failures)
                     .arg(kFailureWindowRuns)
                     .arg(kFailureRatePercent)};
}

std::optional<Alert> runTooLong(const QList<RunRecord>& window)
{
    if (window.isEmpty())
        return std::nullopt;
    const qint64 duration = durationOf(window.first());
    if (duration <= ms(kRunTooLong))
        return std::nullopt;
    return Alert{AlertCode::RunTooLong, QStringLiteral("The last sync run took %1 minutes (the limit is %2)")
                                            .arg(duration / kMsPerMinute)
                                            .arg(kRunTooLong.count())};
}

std::optional<Alert> consecutiveFailures(const QList<RunRecord>& window)
{
    const auto firstSuccess = std::find_if(window.begin(), window.end(),
                                           [](const RunRecord& r) { return !r.failedOrInterrupted(); });
    const auto inARow = std::distance(window.begin(), firstSuccess);
    if (inARow < kConsecutiveFailures)
        return std::nullopt;
    const QString code =
        window.first().error ? codeForMessage(window.first().error->code) : QStringLiteral("none");
    // The window holds 20 runs: a longer streak is "at least 20".
    const QString count = firstSuccess == window.end() && window.size() == kFailureWindowRuns
                              ? QStringLiteral("%1 or more").arg(inARow)
                              : QString::number(inARow);
    return Alert{AlertCode::ConsecutiveFailures,
                 QStringLiteral("The last %1 sync runs failed in a row (last error: %2)").arg(count, code)};
}

std::optional<Alert> noRecentSuccess(const AlertInputs& in, const QList<RunRecord>& window)
{
    std::optional<QDateTime> lastSuccess = in.lastSuccessAt;
    for (const RunRecord& run : window) {
        if (run.succeeded() && run.finishedAt.isValid() && (!lastSuccess || run.finishedAt > *lastSuccess))
            lastSuccess = run.finishedAt;
    }
    QDateTime since;
    bool never = false;
    if (lastSuccess) {
        since = *lastSuccess;
    } else {
        never = true;
        if (in.firstRunStartedAt)
            since = *in.firstRunStartedAt;
        for (const RunRecord& run : window) {
            if (!since.isValid() || run.startedAt < since)
                since = run.startedAt;
        }
    }
    if (!since.isValid())
        return std::nullopt; // no run yet: nothing has been tried
    const qint64 age = since.msecsTo(in.now);
    if (age <= ms(kNoSuccessFor))
        return std::nullopt;
    const QString text = never ? QStringLiteral("No sync has succeeded since the first run, %1 hours ago")
                               : QStringLiteral("No sync has succeeded for %1 hours");
    return Alert{AlertCode::NoRecentSuccess, text.arg(hours(age))};
}

std::optional<Alert> outboxStale(const AlertInputs& in)
{
    if (!in.outboxOldestSince || !in.outboxOldestSince->isValid())
        return std::nullopt;
    const qint64 age = in.outboxOldestSince->msecsTo(in.now);
    if (age <= ms(kOutboxStaleAfter))
        return std::nullopt;
    return Alert{AlertCode::OutboxStale,
                 QStringLiteral("Data has been waiting %1 hours to reach Odis (the limit is %2)")
                     .arg(hours(age))
                     .arg(kOutboxStaleAfter.count())};
}

std::optional<Alert> layoutDrift(const QList<RunRecord>& window)
{
    if (window.isEmpty() || !window.first().hadLayoutDrift())
        return std::nullopt;
    const RunRecord& last = window.first();
    const QString what = last.driftWarnings > 0
                             ? QStringLiteral("%1 unexpected shape(s) in its answers").arg(last.driftWarnings)
                             : QStringLiteral("pages it no longer recognises");
    return Alert{
        AlertCode::NeoLayoutDrift,
        QStringLiteral("IDEXX Neo changed: the last run found %1; some data may be missed").arg(what)};
}

std::optional<Alert> reenrollmentNeeded(const QList<RunRecord>& window)
{
    if (window.isEmpty() || !window.first().error || window.first().error->code != kBackendAuthRevokedCode)
        return std::nullopt;
    return Alert{
        AlertCode::ReenrollmentNeeded,
        QStringLiteral("Odis no longer accepts this agent's token: nothing is uploaded until it is "
                       "enrolled again (odis-agent enroll --code <code> --replace); its data waits")};
}

} // namespace

QString alertCodeName(AlertCode code)
{
    return QString(*sync::codeOf(kNames, code)); // kNames covers AlertCode (the static_assert above)
}

std::optional<AlertCode> alertCodeFromName(QStringView name)
{
    return sync::valueOfCode(kNames, name);
}

QList<Alert> evaluateAlerts(const AlertInputs& in)
{
    const QList<RunRecord> window = windowOf(in.recentRuns);
    QList<Alert> active;
    const auto add = [&active](std::optional<Alert> alert) {
        if (alert)
            active.append(std::move(*alert));
    };
    add(failureRate(window));
    add(runTooLong(window));
    add(consecutiveFailures(window));
    add(noRecentSuccess(in, window));
    add(outboxStale(in));
    if (in.credentials == CredentialCondition::Rejected)
        active.append(Alert{AlertCode::CredentialsRejected,
                            QStringLiteral("IDEXX Neo rejected the saved login: automatic syncs are stopped "
                                           "until it is entered again in the setup window")});
    if (in.credentials == CredentialCondition::NeedsSecondFactor)
        active.append(
            Alert{AlertCode::SecondFactorNeeded,
                  QStringLiteral("IDEXX Neo asks for a second factor: someone at the clinic must log "
                                 "in once in the setup window")});
    add(layoutDrift(window));
    if (!in.keychainAvailable)
        active.append(Alert{AlertCode::KeychainUnavailable,
                            QStringLiteral("The system keychain is not available: the agent cannot read its "
                                           "secrets and does not sync")});
    add(reenrollmentNeeded(window));
    if (!in.neoOriginPending.isEmpty())
        active.append(
            Alert{AlertCode::NeoOriginChanged,
                  QStringLiteral("The clinic profile names another IDEXX Neo address (%1) than the one "
                                 "the saved login was accepted at: syncs are stopped until someone at "
                                 "the clinic confirms it (odis-agent credentials confirm-origin)")
                      .arg(in.neoOriginPending.left(200))});
    if (in.credentials == CredentialCondition::UnreadableLogin)
        active.append(
            Alert{AlertCode::NeoLoginUnknownOutcome,
                  QStringLiteral("IDEXX Neo's answer to two logins in a row could not be read: automatic "
                                 "syncs are stopped, so that a wrong password is not tried again, until "
                                 "the login is checked and saved again")});
    return active;
}

AlertChanges compareAlerts(const QList<AlertCode>& previous, const QList<Alert>& current)
{
    AlertChanges changes;
    for (const Alert& alert : current) {
        if (!previous.contains(alert.code))
            changes.raised.append(alert);
    }
    for (const AlertCode code : previous) {
        const bool stillActive =
            std::any_of(current.begin(), current.end(), [code](const Alert& a) { return a.code == code; });
        if (!stillActive && !changes.cleared.contains(code))
            changes.cleared.append(code);
    }
    return changes;
}

} // namespace odis::agent
