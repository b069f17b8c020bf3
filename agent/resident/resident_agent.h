#pragma once

// The resident agent: what `odis-agent` with no verb keeps running for the logged-in user (docs/
// architecture.md, "Scheduler", "Alerts"). It owns the scheduler (scheduler.h) and wires it to timers and
// events: a wake-up timer at the next due time, a slow tick that compares the wall and monotonic clocks
// (sleep_watch.h, with logind on Linux), network reachability, the control socket's requests and the
// backend's commands. Each run is a child process (run_supervisor.h), so between runs the agent holds no
// web engine at all. Every 2 minutes it sends the heartbeat and carries out what the answer asks
// (remote_commands.h), refreshes the clinic profile when its ETag changed, and ships the audit log when
// the backend is behind.
//
// Stopping (SIGTERM, SIGINT, the session ending, `odis-agent quit`): the run in progress, if any, is
// terminated (its steps are resumable: the next start takes it up under its own id), the scheduler's state
// is saved, and stopped() is emitted.

#include "agent/heartbeat/remote_commands.h"
#include "agent/resident/run_progress.h"
#include "agent/resident/run_supervisor.h"
#include "agent/resident/scheduler.h"
#include "storage/result.h"
#include "sync/core/backoff.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimeZone>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace odis::sync {
class BackendClient;
class ClinicProfileFetcher;
class DeprovisionHandler;
class Enrollment;
class InstallWipe;
struct UploadReport;
} // namespace odis::sync

namespace odis::agent {

struct AgentConfig;
struct AgentContext;
class AuditShipper;
class CommandJournal;
class HeartbeatClient;
class OutboxDelivery;
class SleepWatch;
class TimeSource;

struct ResidentOptions
{
    QString program;                          // the odis-agent executable each run starts
    std::chrono::milliseconds tick{60'000};   // how often the clocks are compared
    std::chrono::milliseconds settle{20'000}; // a catch-up's wait after start, wake or network up
    std::chrono::milliseconds heartbeatInterval{120'000};
    std::chrono::milliseconds stopGrace{15'000}; // a run's time to stop before it is killed
    bool passClockToRuns = false;                // test clock: each run starts at the agent's "now"

    // The defaults with the TEST SEAMS applied (not features; see docs/architecture.md):
    // ODIS_TEST_TICK_MS, ODIS_TEST_SETTLE_MS, ODIS_TEST_HEARTBEAT_MS (milliseconds, 10 to 3600000).
    // Error test_seam_invalid.
    [[nodiscard]] static Result<ResidentOptions> fromEnvironment(QString program);
};

class ResidentAgent : public QObject, private CommandActions
{
    Q_OBJECT

public:
    using RunWaiter = std::function<void(const RunResultLine& result)>;

    // `context`, `config` and `time` outlive the agent.
    ResidentAgent(AgentContext& context, const AgentConfig& config, TimeSource& time, ResidentOptions options,
                  QObject* parent = nullptr);
    ~ResidentAgent() override;

    // Loads the scheduler's state and starts timers, heartbeat and watches. Errors: the store's.
    [[nodiscard]] Status start();
    // Stops (asynchronously); stopped() follows. Further calls do nothing.
    void stop(const QString& why, int exitCode = 0);

    // A sync now (manual: a person; remote: the backend). `waiter`, when given, is called once with the
    // result of the run that satisfies the request (or an error result when none will).
    // `sessionHandover` (the setup window's IDEXX Neo session, sync/neo/session_handover.h; bytes this
    // agent does not read) goes to the next run that starts, over its standard input; a refused request
    // drops it.
    SyncNowAnswer syncNow(RunTrigger trigger, RunWaiter waiter = {}, QByteArray sessionHandover = {});
    // Pause for `spec` (pause_spec.h), in the clinic's zone. Errors: pause_invalid.
    [[nodiscard]] Result<QDateTime> pauseFor(const QString& spec);
    [[nodiscard]] Result<QDateTime> pauseUntil(const QDateTime& untilUtc);
    void resume();
    // A second start asked this one to show itself: showWanted() (the tray opens its dashboard).
    void showRequested();

    // What `odis-agent status --json` prints while the agent runs.
    [[nodiscard]] QJsonObject status();
    [[nodiscard]] QString stateName() const;

Q_SIGNALS:
    void stopped(int exitCode);
    // What status() shows may have changed: the scheduler's decision, a run starting, its progress or end.
    // For windows in the same process (ui/), which read status() again.
    void changed();
    void showWanted();

private:
    // resident_agent.cpp: scheduling and runs.
    void evaluate();
    void refreshFromStore();
    void save();
    void armWake(const std::optional<QDateTime>& atUtc);
    void startRun(RunTrigger trigger);
    void onRunFinished(const ChildRunEnd& end);
    void finishStop();
    void watchNetwork();
    static RunResultLine errorResult(const QString& code, const QString& message);

    // resident_delivery.cpp: delivery-only attempts (scheduler.h, "Delivery").
    [[nodiscard]] bool delivering() const;
    [[nodiscard]] bool outboxUndelivered();
    void startDelivery();
    void abortDelivery();
    void onDeliveryFinished(const sync::UploadReport& report, int reportsSent);
    [[nodiscard]] QJsonObject deliveryStatus() const;

    // resident_remote.cpp: heartbeat, commands, profile, audit.
    void startHeartbeat();
    void loadIdentity();
    void beat();
    [[nodiscard]] QJsonObject heartbeatBody();
    void refreshProfileIfChanged(const std::optional<QString>& etag);
    void shipAudit(const char* why);
    void wipeAndStop(const char* why, std::function<void(Status)> done);

    void commandSyncNow(Done done) override;
    QJsonObject commandPause(const QJsonObject& args) override;
    QJsonObject commandResume() override;
    void commandDeprovision(Done done) override;
    void commandCollectDiagnostics(Done done) override;

    AgentContext& m_ctx;
    const AgentConfig& m_config;
    TimeSource& m_time;
    ResidentOptions m_options;
    sync::SystemRandom m_random;
    std::unique_ptr<Scheduler> m_scheduler;
    RunSupervisor* m_supervisor = nullptr; // children
    SleepWatch* m_sleepWatch = nullptr;
    QTimer m_wakeTimer;
    QTimer m_settleTimer;
    QTimer m_heartbeatTimer;
    bool m_settled = false;
    // The store is read on every evaluation except a tick within kStoreReadOnTickMs of the last read.
    static constexpr qint64 kStoreReadOnTickMs = 1000;
    QElapsedTimer m_storeReadAt;
    bool m_storeReadDue = true;
    bool m_started = false;
    bool m_stopping = false;
    int m_exitCode = 0;
    std::optional<SchedulerDecision> m_decision;
    ScheduleState m_saved;
    QTimeZone m_zone;
    QSet<QString> m_ownRunIds; // runs this agent started (the store's newest success may be another's)
    std::optional<RunResultLine> m_lastResult;
    QByteArray m_sessionHandover; // for the next run only

    // Who waits for a run: the one starting next, the one in progress, the follow-up.
    QList<RunWaiter> m_waitNext;
    QList<RunWaiter> m_waitCurrent;
    QList<RunWaiter> m_waitFollowUp;

    std::unique_ptr<sync::BackendClient> m_backend;
    std::unique_ptr<sync::Enrollment> m_enrollment;
    std::unique_ptr<HeartbeatClient> m_heartbeat;
    std::unique_ptr<CommandJournal> m_journal;
    std::unique_ptr<RemoteCommands> m_commands;
    std::unique_ptr<AuditShipper> m_auditShipper;
    std::unique_ptr<sync::ClinicProfileFetcher> m_profileFetcher;
    std::unique_ptr<sync::InstallWipe> m_wipe;
    QString m_clinicId; // the enrolled clinic, once the identity is loaded
    std::unique_ptr<sync::DeprovisionHandler> m_deliveryWipe;
    std::unique_ptr<OutboxDelivery> m_delivery;
    bool m_deliveryWiping = false; // the delivery's own upload was answered agent_deprovisioned
    QJsonObject m_lastDelivery;    // how the last attempt ended (status)
    bool m_identityLoaded = false;
    bool m_identityLoading = false;
    bool m_beating = false;
    bool m_profileFetching = false;
    bool m_deprovisioning = false;
    QString m_stopAfterAck; // a deprovision command: stop once its acknowledgement went out
};

} // namespace odis::agent
