#pragma once

// The end-to-end world: the IDEXX Neo simulator and the backend double as processes over HTTPS (one test
// CA, trusted by the agent through the session's NSS store for QtWebEngine and through its configured CA
// file for the backend), and the real `odis-agent` executable run against them as a clinic would run it:
// enrolled with a code, the clinic's Neo login saved in the OS keychain (the private session's
// gnome-keyring), `sync --once --headless`. Each world is one install: its own store, configuration and
// logs under a temporary directory (XDG_* variables); HOME stays the session's so its NSS store is shared.
//
// The simulated clinic's clock stands still; the agent's starts at the same instant (ODIS_TEST_NOW,
// agent/run/clock_seam.h), so both agree on "now" for the ground truth.

#include "storage/result.h"
#include "tests/e2e/sim_process.h"
#include "tests/e2e/truth_compare.h"
#include "tests/sim/sim_test_client.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace odis::test {

struct WorldOptions
{
    quint32 seed = 7;
    int days = 7;
    QDateTime neoNow; // the clinic's clock; invalid: the simulator's default
    // The agent's backend.transfer_timeout_s; 0: the agent's default (30 s).
    int backendTransferTimeoutS = 0;
    // The clinic's country ("US", "CA", "GB"): both simulators get the default clinic profile moved there
    // (its `country` and a zone there). Empty: the default profile as it is (US, America/Los_Angeles).
    QString country;
    // Owners change their phone numbers now and then (odis-neo-sim --phone-changes).
    bool phoneChanges = false;
};

struct AgentRun
{
    bool finished = false; // false: it did not end in time (then killed)
    bool crashed = false;
    int exitCode = -1;
    QString out;
    QString err;

    [[nodiscard]] QByteArray describe() const; // for test failure messages
};

class SyncWorld
{
public:
    // Starts both simulators; error sim_not_ready or pki_*.
    static Result<std::unique_ptr<SyncWorld>> create(const WorldOptions& options = {});
    ~SyncWorld();
    SyncWorld(const SyncWorld&) = delete;
    SyncWorld& operator=(const SyncWorld&) = delete;

    // What a clinic's IT person does once: the agent's configuration (this backend, its CA, telemetry
    // to the double's PostHog endpoint), the clinic profile pointing at this Neo, enrollment with a
    // fresh code, the Neo login in the keychain.
    [[nodiscard]] Status install();
    // install() without enrolling or saving the login: the configuration (the managed file allowing this
    // Neo too) and the clinic profile only.
    [[nodiscard]] Status configure();
    // The per-user configuration file configure() writes.
    [[nodiscard]] QString userConfigFile() const
    {
        return path(QStringLiteral("config/Odis/odis-agent/config.json"));
    }

    // `odis-agent enroll <extra>` with a new code of the backend double on standard input; the code request's
    // body may name another clinic ({"clinic_id": ...}). Error e2e_admin_failed when no code was issued.
    Result<AgentRun> enrollWithNewCode(const QStringList& extra = {},
                                       const QJsonObject& codeRequest = {}) const;
    // The managed configuration (IT's file, ODIS_MANAGED_CONFIG in the agent's environment): these Neo
    // origins may receive the clinic's password. install() allows the world's Neo.
    [[nodiscard]] Status setAllowedNeoOrigins(const QList<QUrl>& origins) const;
    [[nodiscard]] QString managedConfigPath() const { return path(QStringLiteral("managed/config.json")); }
    // The clinic profile's idexx.base_url on the backend double.
    [[nodiscard]] Status setClinicNeoUrl(const QUrl& url) const;
    // Another Neo simulator of the same clinic (seed, days, test CA), on another port.
    [[nodiscard]] Result<std::unique_ptr<SimProcess>> startAnotherNeo(const QString& name) const;

    // `odis-agent credentials set` with the simulated clinic's Neo login, or another password.
    Result<AgentRun> saveNeoLogin(const std::optional<QString>& password = std::nullopt) const;

    // Runs `odis-agent <arguments>` in this install and waits for it.
    AgentRun agent(const QStringList& arguments, const QByteArray& input = {},
                   const QProcessEnvironment& extra = {}, int timeoutMs = 240'000) const;
    // `sync --once --headless` at the clinic's current time.
    AgentRun sync(const QProcessEnvironment& extra = {}, int timeoutMs = 240'000);
    // The same, started and not awaited (for tests that kill it); `wrapper` runs it (e.g. setpriv ... --).
    [[nodiscard]] std::unique_ptr<QProcess> startSync(const QProcessEnvironment& extra = {},
                                                      const QStringList& wrapper = {});
    [[nodiscard]] QProcessEnvironment agentEnvironment(const QProcessEnvironment& extra = {}) const;

    sim::test::HttpResult neoAdmin(const QByteArray& method, const QString& path,
                                   const QJsonObject& body = {}) const;
    sim::test::HttpResult backendAdmin(const QByteArray& method, const QString& path,
                                       const QJsonObject& body = {}) const;
    // The admin API of any simulator of this world (e.g. one of startAnotherNeo()).
    sim::test::HttpResult adminAt(const QUrl& simulator, const QByteArray& method, const QString& path,
                                  const QJsonObject& body = {}) const;

    // The backend goes away (SIGTERM) and comes back on the same port over the same state directory, as
    // a real backend would after an outage.
    [[nodiscard]] bool stopBackend();
    [[nodiscard]] Status restartBackend();
    // SIGKILL instead of SIGTERM (restartBackend() brings it back over what it had committed).
    void killBackend();
    // The Neo simulator killed (SIGKILL) and started again on the same port with the same clinic, its clock
    // at `now` from its first answer on (a real Neo keeps its time across a restart); sessions, request
    // counts and recorded sync times start afresh.
    void killNeo();
    [[nodiscard]] Status restartNeo(const QDateTime& now);

    [[nodiscard]] QDateTime neoNow() const;
    [[nodiscard]] Status advanceNeo(qint64 seconds) const;
    // What a perfect agent would hold now, after the schedule reads the simulator has recorded.
    [[nodiscard]] Result<QJsonObject> groundTruth() const;
    // Every item the backend double holds (latest observation per key), and its counters.
    [[nodiscard]] Result<QJsonArray> backendItems() const;
    [[nodiscard]] Result<QJsonArray> backendObservations() const;
    [[nodiscard]] QJsonObject backendSummary() const;
    // The agent's log files (odis-agent.log and its rotations), oldest first, joined.
    [[nodiscard]] QString agentLog() const;
    [[nodiscard]] QHash<QString, qint64> neoRequestCounts() const;
    void clearNeoRequests() const;

    [[nodiscard]] QString path(const QString& name) const { return m_dir.filePath(name); }
    [[nodiscard]] const QUrl& neoUrl() const { return m_neoUrl; }
    [[nodiscard]] const QUrl& backendUrl() const { return m_backendUrl; }

private:
    SyncWorld() = default;
    [[nodiscard]] QStringList backendArguments(int port) const;

    QTemporaryDir m_dir;
    QString m_caFile;
    quint32 m_seed = 7;
    int m_days = 7;
    QJsonObject m_clinicProfile; // what both simulators serve; empty: the backend double's default
    bool m_installed = false;    // the backend double serves the world's profile from then on
    int m_backendTransferTimeoutS = 0;
    std::unique_ptr<sim::test::SimTestClient> m_http;
    std::unique_ptr<SimProcess> m_neo;
    QStringList m_neoArguments; // with --port 0
    QUrl m_neoUrl;              // kept while it is stopped
    std::unique_ptr<SimProcess> m_backend;
    QUrl m_backendUrl; // kept while it is stopped
};

} // namespace odis::test
