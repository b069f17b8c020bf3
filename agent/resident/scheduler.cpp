#include "agent/resident/scheduler.h"

#include "storage/codes/agent_codes.h"
#include "sync/core/backoff.h"

#include <array>
#include <cmath>

namespace odis::agent {

namespace {

constexpr std::array kBackoffLadder{std::chrono::minutes(1), std::chrono::minutes(5),
                                    std::chrono::minutes(15), std::chrono::minutes(60)};
// The jitter in millionths: [0, 100000) of them is [0, 10 %), and its text in the store (6 decimals) reads
// back as exactly the same double.
constexpr quint64 kJitterSteps = 100'000;
constexpr double kJitterUnit = 1e6;

// A person's request outranks the backend's: a manual run may also use credentials not validated yet.
RunTrigger stronger(RunTrigger a, RunTrigger b)
{
    return a == RunTrigger::Manual || b == RunTrigger::Manual ? RunTrigger::Manual : a;
}

} // namespace

QString runGateName(RunGate gate)
{
    switch (gate) {
    case RunGate::Open:
        return QStringLiteral("open");
    case RunGate::NotEnrolled:
        return QStringLiteral("not_enrolled");
    case RunGate::CredentialsMissing:
        return QStringLiteral("credentials_missing");
    case RunGate::CredentialsUnvalidated:
        return QStringLiteral("credentials_unvalidated");
    case RunGate::CredentialsRejected:
        return codes::kCredentialsRejected;
    case RunGate::SecondFactorNeeded:
        return codes::kSecondFactorNeeded;
    case RunGate::NeoOriginChanged:
        return codes::kNeoOriginChanged;
    }
    Q_UNREACHABLE();
    return QString();
}

bool isCredentialStop(RunGate gate)
{
    return gate == RunGate::CredentialsRejected || gate == RunGate::SecondFactorNeeded ||
           gate == RunGate::NeoOriginChanged;
}

QString schedulerModeName(SchedulerMode mode)
{
    switch (mode) {
    case SchedulerMode::Waiting:
        return QStringLiteral("waiting");
    case SchedulerMode::Starting:
        return QStringLiteral("starting");
    case SchedulerMode::Running:
        return QStringLiteral("running");
    case SchedulerMode::BackingOff:
        return QStringLiteral("backing_off");
    case SchedulerMode::Paused:
        return QStringLiteral("paused");
    case SchedulerMode::CredentialStop:
        return QStringLiteral("credential_stop");
    case SchedulerMode::SetupIncomplete:
        return QStringLiteral("setup_incomplete");
    case SchedulerMode::Delivering:
        return QStringLiteral("delivering");
    }
    Q_UNREACHABLE();
    return QString();
}

QString syncNowAnswerName(SyncNowAnswer answer)
{
    switch (answer) {
    case SyncNowAnswer::Starting:
        return QStringLiteral("starting");
    case SyncNowAnswer::JoinedRun:
        return QStringLiteral("joined_run");
    case SyncNowAnswer::QueuedAfterRun:
        return QStringLiteral("queued_after_run");
    case SyncNowAnswer::RefusedPaused:
        return QStringLiteral("refused_paused");
    case SyncNowAnswer::RefusedGateClosed:
        return QStringLiteral("refused_gate_closed");
    }
    Q_UNREACHABLE();
    return QString();
}

Scheduler::Scheduler(const Clock& clock, ScheduleState state, sync::RandomSource& random)
    : m_clock(clock)
    , m_state(std::move(state))
{
    if (!m_state.jitter || !(*m_state.jitter >= 0.0 && *m_state.jitter < kMaxJitter))
        m_state.jitter = double(random.upTo(kJitterSteps - 1)) / kJitterUnit;
}

QDateTime Scheduler::now() const
{
    return m_clock.nowUtc();
}

std::chrono::seconds Scheduler::effectiveInterval() const
{
    return std::chrono::seconds(
        std::llround(double(m_intervalMinutes) * 60.0 * (1.0 + m_state.jitter.value_or(0.0))));
}

std::chrono::seconds Scheduler::backoffAfter(int failures) const
{
    if (failures < 1)
        return std::chrono::seconds(0);
    const std::chrono::seconds step =
        kBackoffLadder.at(std::min<std::size_t>(std::size_t(failures), kBackoffLadder.size()) - 1);
    return std::min(step, effectiveInterval());
}

bool Scheduler::overdue(const QDateTime& at) const
{
    return !m_state.nextDueUtc || *m_state.nextDueUtc <= at;
}

bool Scheduler::paused(const QDateTime& at) const
{
    return m_state.pausedUntilUtc && *m_state.pausedUntilUtc > at;
}

void Scheduler::setIntervalMinutes(int minutes)
{
    if (minutes < 1 || minutes == m_intervalMinutes)
        return;
    m_intervalMinutes = minutes;
    // A shorter interval applies to the wait in progress; a longer one from the next run on (a run that was
    // due stays due).
    if (m_state.consecutiveFailures == 0 && m_state.lastRunStartedUtc && m_state.nextDueUtc) {
        const QDateTime candidate = m_state.lastRunStartedUtc->addSecs(effectiveInterval().count());
        if (candidate < *m_state.nextDueUtc)
            m_state.nextDueUtc = candidate;
    }
}

void Scheduler::setGate(RunGate gate)
{
    m_gate = gate;
}

void Scheduler::markCatchUpIfOverdue()
{
    if (!m_running && overdue(now()))
        m_catchUp = true;
}

void Scheduler::started(bool unfinishedRun)
{
    markCatchUpIfOverdue();
    if (unfinishedRun && !m_running)
        m_resumeUnfinished = true;
}

void Scheduler::wokeUp()
{
    markCatchUpIfOverdue();
}

void Scheduler::networkUp()
{
    markCatchUpIfOverdue();
}

SyncNowAnswer Scheduler::requestSyncNow(RunTrigger trigger)
{
    const QDateTime at = now();
    if (trigger != RunTrigger::Manual) {
        if (paused(at))
            return SyncNowAnswer::RefusedPaused;
        if (m_gate != RunGate::Open)
            return SyncNowAnswer::RefusedGateClosed;
    }
    if (m_running) {
        if (!m_readStarted)
            return SyncNowAnswer::JoinedRun;
        m_followUp = m_followUp ? stronger(*m_followUp, trigger) : trigger;
        return SyncNowAnswer::QueuedAfterRun;
    }
    if (m_request) {
        m_request = stronger(*m_request, trigger);
        return SyncNowAnswer::JoinedRun;
    }
    m_request = trigger;
    return SyncNowAnswer::Starting;
}

bool Scheduler::pause(const QDateTime& untilUtc)
{
    if (!untilUtc.isValid() || untilUtc <= now())
        return false;
    m_state.pausedUntilUtc = untilUtc.toUTC();
    return true;
}

void Scheduler::resume()
{
    if (!m_state.pausedUntilUtc)
        return;
    m_state.pausedUntilUtc.reset();
    if (!m_running && overdue(now()))
        m_pauseEnded = true;
}

void Scheduler::runStarted(RunTrigger trigger)
{
    m_running = true;
    m_runningTrigger = trigger;
    m_readStarted = false;
    m_request.reset();
    m_catchUp = false;
    m_pauseEnded = false;
    m_resumeUnfinished = false;
    m_state.lastRunStartedUtc = now();
}

void Scheduler::runReadStarted()
{
    if (m_running)
        m_readStarted = true;
}

void Scheduler::runFinished(const SchedulerRunEnd& end)
{
    const QDateTime at = now();
    m_running = false;
    m_runningTrigger.reset();
    m_readStarted = false;
    if (end.stopped) {
        // The agent is stopping: the run is resumed by the next start (started(true)), nothing else changes.
    } else if (end.errorCode == codes::kSyncAlreadyRunning) {
        // Another process's sync (a manual `sync --once` started before this agent) holds the lock.
        m_state.nextDueUtc = at.addSecs(std::chrono::seconds(kLockRetry).count());
    } else if (end.succeeded) {
        noteOutbox(end.undelivered, at);
        m_state.lastSuccessUtc = at;
        m_state.consecutiveFailures = 0;
        const QDateTime start = m_state.lastRunStartedUtc.value_or(at);
        QDateTime next = start.addSecs(effectiveInterval().count());
        if (next <= at) // a run longer than the interval: the next waits a whole interval
            next = at.addSecs(effectiveInterval().count());
        m_state.nextDueUtc = next;
    } else {
        noteOutbox(end.undelivered, at);
        m_state.consecutiveFailures = std::max(0, m_state.consecutiveFailures) + 1;
        m_state.nextDueUtc = at.addSecs(backoffAfter(m_state.consecutiveFailures).count());
    }
    if (m_followUp) {
        m_request = m_followUp;
        m_followUp.reset();
    }
}

void Scheduler::noteOutbox(bool undelivered, const QDateTime& at)
{
    if (!undelivered) {
        m_state.deliveryFailures = 0;
        m_state.nextDeliveryUtc.reset();
        return;
    }
    m_state.deliveryFailures = std::max(0, m_state.deliveryFailures) + 1;
    m_state.nextDeliveryUtc = at.addSecs(backoffAfter(m_state.deliveryFailures).count());
}

void Scheduler::deliveryStarted()
{
    m_delivering = true;
}

void Scheduler::deliveryFinished(bool undelivered)
{
    if (!m_delivering)
        return;
    m_delivering = false;
    noteOutbox(undelivered, now());
}

void Scheduler::addDelivery(SchedulerDecision& d, const QDateTime& at) const
{
    if (!m_state.nextDeliveryUtc)
        return;
    d.nextDeliveryUtc = m_state.nextDeliveryUtc;
    if (*m_state.nextDeliveryUtc <= at) {
        d.deliver = true;
        return;
    }
    if (!d.wakeAtUtc || *m_state.nextDeliveryUtc < *d.wakeAtUtc)
        d.wakeAtUtc = m_state.nextDeliveryUtc;
}

void Scheduler::recordRunElsewhere(const QDateTime& startedUtc, const QDateTime& finishedUtc)
{
    if (m_running || !startedUtc.isValid() || !finishedUtc.isValid())
        return;
    if (m_state.lastSuccessUtc && *m_state.lastSuccessUtc >= finishedUtc)
        return;
    m_state.lastSuccessUtc = finishedUtc;
    m_state.lastRunStartedUtc = startedUtc;
    m_state.consecutiveFailures = 0;
    m_state.nextDueUtc = startedUtc.addSecs(effectiveInterval().count());
}

SchedulerDecision Scheduler::decide()
{
    const QDateTime at = now();
    if (m_state.pausedUntilUtc && *m_state.pausedUntilUtc <= at) {
        m_state.pausedUntilUtc.reset();
        if (overdue(at))
            m_pauseEnded = true;
    }
    if (!overdue(at)) {
        m_catchUp = false;
        m_pauseEnded = false;
    }

    SchedulerDecision d;
    if (m_running) {
        d.mode = SchedulerMode::Running;
        d.nextRunUtc = m_state.nextDueUtc;
        return d;
    }
    if (m_delivering) { // a run (due or asked for) starts when it ends: never two writers of the outbox
        d.mode = SchedulerMode::Delivering;
        d.nextRunUtc = m_state.nextDueUtc;
        return d;
    }
    if (m_request) {
        d.mode = SchedulerMode::Starting;
        d.start = m_request;
        return d;
    }
    if (paused(at)) {
        d.mode = SchedulerMode::Paused;
        d.wakeAtUtc = m_state.pausedUntilUtc;
        d.nextRunUtc = m_state.nextDueUtc && *m_state.nextDueUtc > *m_state.pausedUntilUtc
                           ? *m_state.nextDueUtc
                           : *m_state.pausedUntilUtc;
        return d;
    }
    if (m_gate != RunGate::Open) {
        d.mode = isCredentialStop(m_gate) ? SchedulerMode::CredentialStop : SchedulerMode::SetupIncomplete;
        // What was read before the stop may still go: a delivery uses the backend's token, not Neo's login.
        if (m_gate != RunGate::NotEnrolled)
            addDelivery(d, at);
        return d;
    }
    if (m_resumeUnfinished && !overdue(at)) {
        d.mode = SchedulerMode::Starting;
        d.start = RunTrigger::CatchUp;
        d.soon = true;
        d.nextRunUtc = at;
        return d;
    }
    if (overdue(at)) {
        d.mode = SchedulerMode::Starting;
        if (!m_state.nextDueUtc) {
            d.start = RunTrigger::Startup;
            d.soon = true;
        } else if (m_catchUp || m_pauseEnded) {
            d.start = RunTrigger::CatchUp;
            d.soon = m_catchUp;
        } else {
            d.start = RunTrigger::Schedule;
        }
        d.nextRunUtc = at;
        return d;
    }
    d.mode = m_state.consecutiveFailures > 0 ? SchedulerMode::BackingOff : SchedulerMode::Waiting;
    d.wakeAtUtc = m_state.nextDueUtc;
    d.nextRunUtc = m_state.nextDueUtc;
    addDelivery(d, at);
    return d;
}

SchedulerMode Scheduler::mode() const
{
    Scheduler copy = *this;
    return copy.decide().mode;
}

} // namespace odis::agent
