#pragma once

// The resident agent end to end: the real `odis-agent --headless` as a process in a SyncWorld (both
// simulators, the keychain, QtWebEngine in its sync runs), on the TEST CLOCK of agent/resident/time_source.h:
// a file that says what time it is for the agent, moved in step with the Neo simulator's clock (set through
// its admin API to the same instant), so that days of the 4-hour schedule play in minutes. Time stands still
// between steps; a run starts at the instant the test set, and the simulator's clock does not move while it
// runs (the run's own clock runs on from there at real speed, a few seconds: instants are picked at half past
// a minute, as agent/run/clock_seam.h asks).
//
// The agent is watched through its control socket (the same JSON status `odis-agent status --json` prints)
// and the processes under /proc.

#include "storage/result.h"
#include "tests/e2e/sync_world.h"

#include <QDateTime>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

#include <functional>
#include <memory>
#include <optional>

namespace odis::test {

class ResidentWorld
{
public:
    explicit ResidentWorld(SyncWorld& world);
    ~ResidentWorld();

    // The clock file at `nowUtc` (monotonic 0), and the simulator's clock at the same instant.
    [[nodiscard]] Status startClock(const QDateTime& nowUtc);
    // Both clocks to `nowUtc`. `awake`: the monotonic clock moves as much (time passed while the machine
    // ran); otherwise it stands still (the machine slept). Never backwards.
    [[nodiscard]] Status setNow(const QDateTime& nowUtc, bool awake = true);
    [[nodiscard]] QDateTime now() const { return m_now; }

    // Starts `odis-agent --headless` with the test seams (the clock file, a 100 ms tick, a 200 ms settle
    // delay, `heartbeatMs` between heartbeats) plus `extra`; waits for its control socket. Output goes to
    // resident-<n>.out / .err in the world's directory.
    [[nodiscard]] Status start(int heartbeatMs = 600'000, const QProcessEnvironment& extra = {});
    // `odis-agent quit`, then waits for the process to end; its exit code (-1: had to be killed).
    int quit();
    [[nodiscard]] bool running() const;
    [[nodiscard]] qint64 pid() const;
    [[nodiscard]] QProcess* process() { return m_process.get(); }
    // Waits for the process to end by itself (deprovisioning); its exit code, -1 when it did not.
    int waitForExit(int timeoutMs);

    // The agent's status over its control socket; an empty object when it does not answer.
    [[nodiscard]] QJsonObject status() const;
    // Waits until the agent has seen the current test instant and no run or delivery is running or about
    // to start;
    // its status then. Error e2e_agent_busy when that does not happen in `timeoutMs` (the status in the
    // message).
    [[nodiscard]] Result<QJsonObject> settle(int timeoutMs = 240'000);
    // Waits until `predicate` holds for the status.
    [[nodiscard]] Result<QJsonObject> waitFor(const std::function<bool(const QJsonObject&)>& predicate,
                                              const QString& what, int timeoutMs = 240'000);

    // Processes whose command line names QtWebEngineProcess and whose environment is this world's (its
    // XDG_DATA_HOME): orphaned ones included, other tests' excluded.
    [[nodiscard]] QList<qint64> webEngineProcesses() const;
    // The agent's log.
    [[nodiscard]] QString log() const { return m_world.agentLog(); }

private:
    [[nodiscard]] Status writeClock();

    SyncWorld& m_world;
    QString m_clockFile;
    QDateTime m_now;
    qint64 m_monotonicMs = 0;
    std::unique_ptr<QProcess> m_process;
    int m_starts = 0;
};

// "2026-03-09T17:00:30.000Z" -> QDateTime; invalid for anything else.
[[nodiscard]] QDateTime statusInstant(const QJsonObject& status, const char* key);

} // namespace odis::test
