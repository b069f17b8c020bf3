#pragma once

// When the resident agent runs a sync (docs/architecture.md, "Scheduler"): pure logic on the injected
// clock, fed by the wall-clock state kept in the store (ScheduleState, schedule_store.h) and driven by
// events (start, wake, network up, a run's start and end, sync now, pause, resume). The resident wires
// it to timers (resident_agent.h); nothing here waits, reads the store or knows a process.
//
// Modelled on ownCloud's SyncScheduler: one state, one current run, requests coalesced. Rules:
// - Interval: the clinic profile's sync.interval_minutes (240 by default) times (1 + jitter), where the
//   jitter is a per-install fraction in [0, 10 %) drawn once and kept in the store.
// - Due times are wall-clock instants in the state, never the age of an in-memory timer: a success makes
//   the next run due one interval after the run STARTED (the cadence does not drift by run durations);
//   a failure backs off 1, 5, 15, then 60 minutes after it ended, capped at the interval; a success
//   resets the ladder. "Another sync holds the lock" is no failure: it is tried again a minute later.
// - Delivery: a run (or a delivery) that leaves items waiting in the outbox (the backend was away, or
//   failed past the run's retry budget) makes a delivery-only attempt due on the same ladder (1, 5, 15, 60
//   minutes, capped at the interval), counted in deliveryFailures: the outbox is flushed to the backend
//   without reading Neo, so what a run read during a backend outage arrives soon after the backend is back
//   instead of with the next run hours later. A drained outbox ends the ladder. A run due first delivers
//   anyway (it uploads the whole outbox), so a delivery never starts while a run is due, running or
//   asked for, and no run starts while a delivery is in progress. It needs no Neo login: a credential stop
//   does not hold it back; a pause and a missing enrollment do.
// - Catch-up: at start, after a sleep and when the network comes back, a run that is overdue starts
//   soon (after a short settle delay that the resident measures on the monotonic clock), once: a 9-hour
//   sleep gives one catch-up run, not the two missed ones. A first start (never run) is a startup run. A
//   run an earlier process left unfinished (the agent was stopped or killed during it) is resumed by a
//   catch-up run soon after the next start; a run the agent itself stopped is no failure.
// - Gate: automatic runs (schedule, catch-up, startup, remote) need an enrolled install with usable
//   IDEXX credentials. Rejected credentials or a second factor stop them until a person fixes it.
// - Pause has an end time; while paused nothing automatic starts, and a run due during the pause starts
//   when it ends. A person's "sync now" (manual) is honoured while paused or stopped: they asked.
// - Sync now: starts within seconds, never overlaps the current run and never runs twice for two
//   requests: a request made before the current run read Neo's schedule is satisfied by that run; one
//   made later gets one follow-up run after it (any number of such requests share that one run).

#include "agent/run/run_record.h"
#include "storage/clock.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace odis::sync {
class RandomSource;
}

namespace odis::agent {

// What the store keeps for the scheduler (schedule_store.h). Instants are UTC.
struct ScheduleState
{
    std::optional<QDateTime> lastSuccessUtc;    // when the newest completed or partial run finished
    std::optional<QDateTime> lastRunStartedUtc; // when the newest run started (an interval counts from it)
    std::optional<QDateTime> nextDueUtc;        // when the next automatic run is due
    int consecutiveFailures = 0;
    std::optional<QDateTime> pausedUntilUtc;
    std::optional<double> jitter;             // [0, kMaxJitter): drawn once per install
    std::optional<QDateTime> nextDeliveryUtc; // when a delivery-only attempt is due (items wait)
    int deliveryFailures = 0;                 // runs and deliveries in a row that left items waiting

    friend bool operator==(const ScheduleState&, const ScheduleState&) = default;
};

// Whether automatic runs may start, from what the store says about the install (the resident computes it).
enum class RunGate
{
    Open,
    NotEnrolled,            // enroll first
    CredentialsMissing,     // no IDEXX login saved
    CredentialsUnvalidated, // saved but never proven: one manual sync validates them
    CredentialsRejected,    // Neo refused them: automatic runs stop until someone saves them again
    SecondFactorNeeded,     // Neo asked for a second factor: a person must log in once
    NeoOriginChanged,       // the clinic profile names another Neo origin: a person confirms it first
};

[[nodiscard]] QString runGateName(RunGate gate); // "open", "not_enrolled", ...
// Rejected credentials, a second factor and a Neo origin waiting for a person stop automatic runs (the
// credential stop); the other closed gates mean the setup is not finished.
[[nodiscard]] bool isCredentialStop(RunGate gate);

enum class SchedulerMode
{
    Waiting,         // the next run is due later
    Starting,        // a run is to start now (or soon: a catch-up's settle delay)
    Running,         // a run is in progress
    BackingOff,      // the last run failed; the next try is due later
    Paused,          // until pausedUntilUtc
    CredentialStop,  // rejected credentials or a second factor: nothing automatic until a person acts
    SetupIncomplete, // not enrolled, or no validated IDEXX login yet
    Delivering,      // a delivery-only attempt (the outbox to the backend, no Neo) is in progress
};

[[nodiscard]] QString schedulerModeName(SchedulerMode mode); // "waiting", "starting", ...

// What the resident should do now.
struct SchedulerDecision
{
    SchedulerMode mode = SchedulerMode::Waiting;
    std::optional<RunTrigger> start; // start a run with this trigger
    bool soon = false;               // ... after the settle delay (a catch-up), not at once
    // When to look again at the latest (a due time or the end of a pause); absent: only an event changes
    // anything.
    std::optional<QDateTime> wakeAtUtc;
    // When the next automatic run is expected (status and heartbeat): the due time, or the end of the
    // pause when it is later; absent while stopped or not set up.
    std::optional<QDateTime> nextRunUtc;
    bool deliver = false; // start a delivery-only attempt now (never together with `start`)
    // When the next delivery-only attempt is due (status); absent when nothing waits for one.
    std::optional<QDateTime> nextDeliveryUtc;
};

// How a run ended, as the scheduler needs it.
struct SchedulerRunEnd
{
    bool succeeded = false;   // completed or partial
    QString errorCode;        // of a failed run; "sync_already_running" when another sync held the lock
    bool stopped = false;     // the agent stopped it (quitting): no failure, the next start resumes it
    bool undelivered = false; // items still wait in the outbox after it
};

// What a sync-now request got.
enum class SyncNowAnswer
{
    Starting,          // a run starts for it now
    JoinedRun,         // satisfied by the run in progress (it reads Neo after the request) or one starting
    QueuedAfterRun,    // one follow-up run after the current one (shared with other such requests)
    RefusedPaused,     // remote requests wait for the pause to end
    RefusedGateClosed, // remote requests need the gate open (see gate())
};

[[nodiscard]] QString syncNowAnswerName(SyncNowAnswer answer);

class Scheduler
{
public:
    static constexpr double kMaxJitter = 0.10;
    static constexpr int kDefaultIntervalMinutes = 240;
    static constexpr std::chrono::minutes kLockRetry{1};

    // `state` as loaded from the store; a missing jitter is drawn now from `random` (and must then be
    // saved: state()). The clock outlives the scheduler.
    Scheduler(const Clock& clock, ScheduleState state, sync::RandomSource& random);

    [[nodiscard]] const ScheduleState& state() const { return m_state; }
    [[nodiscard]] RunGate gate() const { return m_gate; }
    [[nodiscard]] bool running() const { return m_running; }
    [[nodiscard]] std::optional<RunTrigger> runningTrigger() const { return m_runningTrigger; }
    [[nodiscard]] bool delivering() const { return m_delivering; }
    [[nodiscard]] int intervalMinutes() const { return m_intervalMinutes; }
    // The interval with this install's jitter.
    [[nodiscard]] std::chrono::seconds effectiveInterval() const;
    // The wait after the n-th consecutive failure: 1, 5, 15, 60 minutes, capped at the interval.
    [[nodiscard]] std::chrono::seconds backoffAfter(int failures) const;

    // Inputs.
    void setIntervalMinutes(int minutes); // the profile's; a shorter one brings the next run forward
    void setGate(RunGate gate);

    // Events.
    // The process started; `unfinishedRun`: the store holds a run an earlier process did not finish, which a
    // run soon resumes (whatever the due time says).
    void started(bool unfinishedRun = false);
    void wokeUp();    // the machine resumed from sleep (or the wall clock jumped)
    void networkUp(); // connectivity came back
    SyncNowAnswer requestSyncNow(RunTrigger trigger); // Manual (a person here) or Remote (the backend)
    // False (nothing changes) when `untilUtc` is not in the future.
    [[nodiscard]] bool pause(const QDateTime& untilUtc);
    void resume();

    // The run the resident started (with the trigger decide() gave, or a request's).
    void runStarted(RunTrigger trigger);
    // The run has read (or is reading) Neo's schedule: a sync-now request made from now on needs one more.
    void runReadStarted();
    void runFinished(const SchedulerRunEnd& end);
    // A run this agent did not start succeeded (`sync --once` while no agent ran): when it is newer than
    // the last success known, the cadence counts from it.
    void recordRunElsewhere(const QDateTime& startedUtc, const QDateTime& finishedUtc);
    // The delivery-only attempt the resident started (decide() said `deliver`), and how it ended:
    // `undelivered` when items still wait in the outbox (the ladder goes on), otherwise the ladder ends.
    void deliveryStarted();
    void deliveryFinished(bool undelivered);

    // What to do now. Also ends a pause whose time has come (the state changes: save it).
    [[nodiscard]] SchedulerDecision decide();
    [[nodiscard]] SchedulerMode mode() const;

private:
    [[nodiscard]] QDateTime now() const;
    [[nodiscard]] bool overdue(const QDateTime& now) const;
    [[nodiscard]] bool paused(const QDateTime& now) const;
    void markCatchUpIfOverdue();
    void noteOutbox(bool undelivered, const QDateTime& at);
    void addDelivery(SchedulerDecision& d, const QDateTime& at) const;

    const Clock& m_clock;
    ScheduleState m_state;
    int m_intervalMinutes = kDefaultIntervalMinutes;
    RunGate m_gate = RunGate::Open;
    bool m_running = false;
    std::optional<RunTrigger> m_runningTrigger;
    bool m_readStarted = false;
    bool m_delivering = false;
    std::optional<RunTrigger> m_request;  // a sync now waiting to start
    std::optional<RunTrigger> m_followUp; // a sync now for after the current run
    bool m_catchUp = false;               // an overdue run found at start, wake or network up
    bool m_firstStart = false;            // started() found no run ever scheduled
    bool m_pauseEnded = false;            // a pause ended while a run was overdue
    bool m_resumeUnfinished = false;      // a run of an earlier process waits to be resumed
};

} // namespace odis::agent
