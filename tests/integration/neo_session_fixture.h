#pragma once

// Shared by the Neo session tests: the simulated IDEXX Neo (in-process, real HTTPS on 127.0.0.1 with
// the test PKI, whose CA the test trusts through the NSS store), sessions with short time-outs, and
// waits for the session's asynchronous answers.

#include "storage/idexx_credentials.h"
#include "storage/result.h"
#include "sync/core/neo_json.h"
#include "sync/neo/neo_session.h"
#include "tests/sim/common/bad_certificates.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/neo/neo_server.h"

#include <QTemporaryDir>
#include <QVariant>

#include <memory>
#include <optional>

class QWebEnginePage;

namespace odis::test {

struct SimOptions
{
    sim::neo::NeoVariants variants;
    sim::neo::LockoutPolicy lockout;
    bool trusted = true; // false: a certificate from another CA that nothing trusts
    // A certificate of the trusted CA for another host, expired, or self-signed (test_pki.h).
    std::optional<sim::BadCertificate> badCertificate;
    QString username; // empty: the generated clinic's ("frontdesk")
};

class NeoSessionFixture
{
public:
    // Creates both PKIs and imports the trusted CA into $HOME/.pki/nssdb. Before any QtWebEngine use.
    Status init();

    [[nodiscard]] Result<std::unique_ptr<sim::neo::NeoServer>> startSim(const SimOptions& options = {}) const;

    // Short time-outs so that failing paths finish in seconds.
    [[nodiscard]] static sync::NeoSessionConfig config(const QUrl& baseUrl);
    [[nodiscard]] static std::unique_ptr<sync::NeoSession> session(const sync::NeoSessionConfig& config,
                                                                   storage::Redactor* redactor = nullptr);

    [[nodiscard]] static storage::IdexxLogin credentials(const sim::neo::NeoServer& sim);
    [[nodiscard]] static storage::IdexxLogin wrongPassword(const sim::neo::NeoServer& sim);
    // Password submissions the simulator received (every outcome).
    [[nodiscard]] static int loginAttempts(const sim::neo::NeoServer& sim);

    [[nodiscard]] const sim::TestPki& trustedPki() const { return *m_trusted; }

private:
    QTemporaryDir m_trustedDir;
    QTemporaryDir m_untrustedDir;
    std::optional<sim::TestPki> m_trusted;
    std::optional<sim::TestPki> m_untrusted;
};

// Waits (with the event loop running) for the session's answer; nullopt when none came in time.
std::optional<Status> waitLogin(sync::NeoSession& session, const storage::IdexxLogin& login,
                                int timeoutMs = 30000);
std::optional<Result<sync::NeoResponse>> waitGet(sync::NeoSession& session, const QString& path,
                                                 int timeoutMs = 30000);
// True when the login succeeded in time (the error, if any, is printed as a warning).
bool loginSucceeds(sync::NeoSession& session, const storage::IdexxLogin& login);
// Runs JavaScript in the page's main world, as Neo's own scripts would; nullopt on time-out.
std::optional<QVariant> runInMainWorld(QWebEnginePage& page, const QString& script, int timeoutMs = 10000);

// Whether a process runs (a reaped or zombie process does not).
bool processRuns(qint64 pid);

inline constexpr auto kConfigPath = "/schedule/getScheduleConfigs";

} // namespace odis::test
