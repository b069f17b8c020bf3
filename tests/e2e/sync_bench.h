#pragma once

// Many sync runs in one process: the IDEXX Neo simulator and the backend double as in-process servers
// over HTTPS (one test CA, trusted through the session's NSS store and the agent's CA file), and the
// agent's own SyncRun (the real run machine, store, keychain, QtWebEngine login and upload) started again
// and again against them, at one frozen instant that the clinic's clock and the agent's share. Built for
// the generated contract tests, which need hundreds of runs: a run costs a login and the reads, not a
// process start.

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/run/sync_run.h"
#include "storage/result.h"
#include "tests/sim/backend/backend_server.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/neo/ground_truth.h"
#include "tests/sim/neo/neo_server.h"
#include "tests/sim/sim_test_client.h"
#include "tests/support/manual_clock.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace odis::test {

struct BenchOptions
{
    quint32 seed = 7;
    int providers = 3;
    int days = 7;
    QDateTime now; // the clinic's frozen clock and the agent's; invalid: noon of the third day
    sim::neo::NeoVariants variants;
    QJsonObject syncSettings; // merged into the clinic profile's `sync` object (lookback_hours, ...)
};

class SyncBench
{
public:
    // Starts both servers, installs and enrolls the agent, saves the clinic's Neo login in the keychain.
    static Result<std::unique_ptr<SyncBench>> create(const BenchOptions& options = {});
    ~SyncBench();
    SyncBench(const SyncBench&) = delete;
    SyncBench& operator=(const SyncBench&) = delete;

    // One run, as `odis-agent sync --once` makes it; nullopt when it did not end in time.
    std::optional<agent::SyncRunResult> sync(int timeoutMs = 180'000);
    // Starts a run and drops it, as a killed process would, right after it stored `step`: its row stays
    // unfinished at that step, nothing after it happens. The run's id; empty when it never got there or
    // went on to a later step before it could be dropped (a step that waits for no answer).
    QString abandonAfter(QLatin1StringView step, int timeoutMs = 180'000);

    [[nodiscard]] sim::neo::NeoServer& neo() { return *m_neo; }
    [[nodiscard]] storage::Database& db() { return m_context->db(); }
    [[nodiscard]] QDateTime now() const { return m_clock.nowUtc(); }
    // Moves the clinic's clock and the agent's together.
    void advance(qint64 seconds);
    // Short time-outs for the runs started from now on (a Neo data call 2 s instead of 20 s, a backend
    // transfer 2 s and request 10 s instead of 30 s and 120 s), or the usual ones again: a fault that hangs
    // an answer then costs a run its retries in seconds, not minutes.
    void setShortTimeouts(bool on);

    // The ground truth of a perfect agent that read at `syncTimes` (default: now).
    [[nodiscard]] Result<QJsonObject> truth(const QList<QDateTime>& syncTimes = {}) const;
    // The same, for syncs some of which read no consultation (ground_truth.h, TruthSync).
    [[nodiscard]] Result<QJsonObject> truthOfSyncs(const QList<sim::neo::TruthSync>& syncs) const;
    // Every item the backend double holds (latest per key).
    [[nodiscard]] Result<QJsonArray> backendItems() const;
    // How the backend double's items differ from `truth` (tests/e2e/truth_compare.h); empty: equal.
    [[nodiscard]] QStringList differences(const QJsonObject& truth) const;
    // The last report the backend double received for `runId` (the end report once the run is over).
    [[nodiscard]] QJsonObject runReport(const QString& runId) const;
    [[nodiscard]] QJsonObject backendSummary() const;

    // As if the last successful read of every visit were `seconds` earlier (recent visits are read
    // again), or had failed (every visit is read again, phones included).
    [[nodiscard]] Status ageReads(qint64 seconds);
    [[nodiscard]] Status failReads();

    // The simulator's fault plan for `route`, and how many values its mutations changed since cleared.
    [[nodiscard]] Status setFault(const QString& route, const QJsonObject& faults);
    void clearFaults();
    // The backend double's fault plan for `route` (tests/sim/common/fault_plan.h), and none at all.
    [[nodiscard]] Status setBackendFault(const QString& route, const QJsonObject& faults);
    void clearBackendFaults();
    [[nodiscard]] qint64 mutatedValues(const QString& route) const;

private:
    SyncBench() = default;
    [[nodiscard]] std::unique_ptr<agent::SyncRun> makeRun(agent::SyncRunOptions options);
    [[nodiscard]] Status install(const BenchOptions& options);
    sim::test::HttpResult backendAdmin(const QByteArray& method, const QString& path,
                                       const QJsonObject& body = {}) const;

    QTemporaryDir m_dir;
    std::optional<sim::TestPki> m_pki;
    std::unique_ptr<sim::neo::NeoServer> m_neo;
    std::unique_ptr<sim::backend::BackendServer> m_backend;
    std::unique_ptr<sim::test::SimTestClient> m_http;
    std::unique_ptr<agent::AgentContext> m_context;
    agent::AgentConfig m_config;
    ManualClock m_clock;
    static constexpr std::chrono::milliseconds kNeoCallTimeout{20'000}; // the bench's usual one
    std::chrono::milliseconds m_neoCallTimeout = kNeoCallTimeout;
};

// The run's warnings with this code and field (any endpoint when `endpoint` is empty), from the report.
[[nodiscard]] QJsonArray reportWarnings(const QJsonObject& report, const QString& code,
                                        const QString& field = {}, const QString& endpoint = {});

} // namespace odis::test
