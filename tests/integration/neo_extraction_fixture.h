#pragma once

// Shared by the Neo extraction tests: a generated clinic served by the in-process Neo simulator over
// HTTPS (its CA trusted through NSS, as in neo_session_fixture.h), a logged-in session, a read awaited
// in an event loop, the simulator's admin API (ground truth, request log) and the payloads of a read.

#include "storage/result.h"
#include "sync/neo/neo_extractor.h"
#include "sync/neo/neo_read.h"
#include "tests/integration/neo_session_fixture.h"
#include "tests/sim/neo/neo_server.h"
#include "tests/support/manual_clock.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <chrono>
#include <memory>
#include <optional>

namespace odis::test {

struct ClinicSetup
{
    quint32 seed = 11; // the clinic's and the fault plan's, as `odis-neo-sim --seed`
    int providers = 2;
    int days = 2;
    QDateTime nowUtc; // invalid: 17:00 clinic time on the clinic's first day
    sim::neo::NeoVariants variants;
    // The session's time-out for one data call; unset: NeoSessionFixture::config()'s.
    std::optional<std::chrono::milliseconds> callTimeout;
};

// A simulated clinic and a session logged into it.
struct NeoWorld
{
    std::unique_ptr<sim::neo::NeoServer> sim;
    std::unique_ptr<sync::NeoSession> session;
    ManualClock clock; // the agent's clock, set to the simulator's before each read
    sync::NeoSessionConfig sessionConfig;
    const sim::TestPki* pki = nullptr;

    // A call to the simulator's admin API (/__admin<path>); an empty object (with a warning) on a non-2xx.
    QJsonObject admin(const QByteArray& method, const QString& path, const QJsonObject& body = {}) const;
    // PUT /__admin/faults/<route>; false when the simulator refused it.
    bool setFault(const QString& route, const QJsonObject& faults) const;
    void clearFaults() const;
    // POST /__admin/clock/advance.
    bool advanceClock(qint64 seconds) const;

    // Requests the simulator received per route since the last clearRequests().
    [[nodiscard]] qint64 requests(const QString& route) const;
    // Requests to every route that serves clinic data (JSON endpoints and their pages).
    [[nodiscard]] qint64 dataRequests() const;
    // The record ids in the paths of the logged requests to `route` (`/consultations/{id}/...`,
    // `?id=`), each once.
    [[nodiscard]] QSet<QString> requestedIds(const QString& route) const;
    void clearRequests() const;

    // The extraction settings for this clinic: the test's fast pacing, with the clinic profile's zone,
    // country and sync window (GET /__admin/clinic-profile), as the agent takes them from the backend.
    [[nodiscard]] sync::NeoReadSettings readSettings() const;
    // Closes the session and logs in with a new one, as the next run would.
    bool newRun();
};

// The routes that serve clinic data, as the simulator names them.
[[nodiscard]] const QStringList& dataRoutes();

class NeoExtractionFixture
{
public:
    Status init() { return m_sessions.init(); }

    // Starts the clinic and logs in; nullopt (with a warning) when either failed.
    [[nodiscard]] std::optional<NeoWorld> start(const ClinicSetup& setup) const;

    // Fast pacing and short retries for tests: many in flight, a high rate, millisecond backoff.
    [[nodiscard]] static sync::NeoReadSettings settings();

private:
    NeoSessionFixture m_sessions;
};

// A read's outcome for a failure message: "no answer in time", "ok" or the error.
QString describe(const std::optional<Result<sync::NeoRead>>& read);

// Runs one read and waits for it; nullopt when it did not finish in time.
std::optional<Result<sync::NeoRead>> runRead(NeoWorld& world, const sync::NeoReadSettings& settings,
                                             const sync::NeoReadInput& input = {},
                                             sync::LayoutDiagnostics* diagnostics = nullptr,
                                             int timeoutMs = 120'000);

// The neo_reads rows a run would store after `read` (readStateAfter for every visit read), merged over
// `previous`.
QHash<QString, sync::NeoReadState> readStatesAfter(const sync::NeoRead& read,
                                                   const QHash<QString, sync::NeoReadState>& previous,
                                                   const QDateTime& nowUtc);

// The appointment and consultation payloads (sync/core/payloads.h) of a read, by Neo id, built as a
// run builds them: over the last stored appointment payloads (`previous`). A payload that cannot be
// built is reported through `errors`.
struct ReadPayloads
{
    QHash<QString, QJsonObject> appointments;
    QHash<QString, QJsonObject> consultations;
    QStringList errors;
};
ReadPayloads payloadsOf(const sync::NeoRead& read, const sync::NeoReadSettings& settings,
                        const QHash<QString, QJsonObject>& previous = {});

// What the backend holds after a series of reads: each read's payloads over the earlier ones, and the
// appointments that vanished from a window that was read marked removed (removedAppointmentPayload).
struct UploadedState
{
    QHash<QString, QJsonObject> appointments;
    QHash<QString, QJsonObject> consultations;

    // The payload errors of the read (see payloadsOf); empty when every payload was built.
    QStringList apply(const sync::NeoRead& read, const sync::NeoReadSettings& settings);
};

// `object` reduced to `fields` (dotted paths: "client.phone_e164"), for comparisons.
QJsonObject project(const QJsonObject& object, const QStringList& fields);
// `object` reduced to the keys `shape` has, at every depth of nested objects: a payload compared with
// the ground truth on exactly the fields the ground truth gives.
QJsonObject projectOnto(const QJsonObject& object, const QJsonObject& shape);

// A JSON array of objects by the string value of `idField`.
QHash<QString, QJsonObject> byId(const QJsonArray& items, const QString& idField);
// "extra: a,b; missing: c" between two id sets, for failure messages.
QByteArray idsDiff(const QSet<QString>& ours, const QSet<QString>& expected);

} // namespace odis::test
