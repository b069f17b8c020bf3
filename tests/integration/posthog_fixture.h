#pragma once

// Telemetry against the backend double's PostHog endpoint (POST /batch/), in-process over HTTPS with the
// simulators' test PKI trusted through the configured CA file (never by ignoring errors); a fresh
// SQLCipher store per test; the double's admin API to read what PostHog received.

#include "agent/telemetry/telemetry.h"
#include "storage/database.h"
#include "tests/sim/backend/backend_server.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"
#include "tests/support/manual_clock.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace odis::test {

inline const QString kPostHogAgentId = QStringLiteral("agt_7f3e21c0");
inline const QString kPostHogApiKey = QStringLiteral("phc_test_project_key");
inline const QString kPostHogRunId = QStringLiteral("5f0c8a4e-2b1d-4c3e-9f6a-7d8e9f0a1b2c");

class PostHogFixture
{
public:
    // The test CA, shared by every test of the executable.
    explicit PostHogFixture(const sim::TestPki& pki);
    ~PostHogFixture();

    // A fresh backend double and a fresh store; the error says which part failed.
    Status start();

    // Short time-outs, the test CA as the configured CA file.
    [[nodiscard]] agent::TelemetrySettings
    settings(int capacity = agent::TelemetryQueue::kDefaultCapacity) const;
    // Telemetry on the store, enrolled as kPostHogAgentId; a configuration error is fatal.
    std::unique_ptr<agent::Telemetry> make(const agent::TelemetrySettings& settings);
    // flush() and wait for its `done`; nullopt when it did not come within the time.
    static std::optional<agent::TelemetryFlushResult> flushAndWait(agent::Telemetry& telemetry,
                                                                   int timeoutMs = 10'000);
    // A discharge.scheduled event with this count; the clock moves one second on.
    agent::TelemetryEvent discharge(qint64 count);
    static qint64 queued(agent::Telemetry& telemetry);

    // --- the double
    QJsonArray received();                  // every PostHog event it stored, oldest first
    QList<qint64> receivedCounts();         // their "count" properties
    int batchRequests();                    // POST /batch/ requests it counted (faulted ones too)
    int setFault(const QJsonObject& fault); // on the posthog_batch route; the admin status
    int clearFaults();
    int setConfig(const QJsonObject& config);

    std::unique_ptr<storage::Database> db;
    ManualClock clock;
    std::unique_ptr<sim::backend::BackendServer> server;

private:
    [[nodiscard]] QUrl admin(const QString& path) const;

    const sim::TestPki& m_pki;
    QTemporaryDir m_dir;
    std::unique_ptr<sim::test::SimTestClient> m_admin;
};

// What PostHog received, value by value: numbers, booleans, and strings that are codes, known words or
// UUIDs; fails the calling test otherwise. (The double's own pii_suspect flag is a heuristic for a person
// to look at: it flags the count named notes_found by its key, and a random UUID with a long run of
// decimal digits as a phone number, so it cannot be asserted on.)
void verifyOnlyCodesNumbersAndBooleans(const QJsonObject& properties);

} // namespace odis::test
