#pragma once

// The agent's backend side against the real backend double, in-process over HTTPS with the simulators'
// test PKI (trusted through the client's configured-CA path, never by ignoring errors): a fresh
// SQLCipher store, a BackendClient with short time-outs, the double's admin API, and items that the
// double accepts. Enrollment uses the real keychain (run inside scripts/in-private-session.sh).

#include "storage/clock.h"
#include "storage/database.h"
#include "storage/keychain_store.h"
#include "storage/redactor.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/enrollment.h"
#include "sync/backend/outbox.h"
#include "tests/sim/backend/backend_server.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTestEventLoop>

#include <functional>
#include <memory>
#include <optional>

namespace odis::test {

inline constexpr int kAwaitMs = 20000;

// Starts an operation that reports through a callback and runs the event loop until it does.
template <typename R> std::optional<R> awaitCallback(const std::function<void(std::function<void(R)>)>& start)
{
    struct State
    {
        std::optional<R> result;
        QTestEventLoop loop;
    };
    const auto state = std::make_shared<State>();
    start([state](R r) {
        state->result = std::move(r);
        state->loop.exitLoop();
    });
    if (!state->result)
        state->loop.enterLoopMSecs(kAwaitMs);
    return std::move(state->result);
}

class BackendFixture
{
public:
    BackendFixture();
    ~BackendFixture();

    // Everything, started; the error says which part failed.
    Status start();
    // Closes the store and opens it again from its file (a restart of the agent); `enrollment` follows.
    Status reopenStore();

    // A client over the double with `tweak` applied to the default test configuration.
    Result<std::unique_ptr<sync::BackendClient>>
    makeClient(const std::function<void(sync::BackendConfig&)>& tweak = {});
    [[nodiscard]] sync::BackendConfig testConfig() const;

    // Enrolls the fixture's client with the double's code (token to the keychain, ids to kv).
    Result<sync::AgentIdentity> enroll();

    // --- the double's admin API (/__admin), over HTTPS like the agent
    QJsonObject adminGet(const QString& path);
    int adminSend(const QByteArray& method, const QString& path, const QJsonObject& body = {});
    void setFault(const QString& route, const QJsonObject& faults);
    void clearFaults();
    qint64 duplicates();                  // the double's duplicate count
    QJsonArray storedItems();             // latest per key
    QJsonArray receivedBatches();         // every batch the double processed
    int routeCount(const QString& route); // requests the double counted for a route

    // --- the agent's store
    qint64 outboxRows(const QString& where = QStringLiteral("1 = 1"));
    qint64 frozenBatches();

    QTemporaryDir dir;
    std::optional<sim::TestPki> pki;
    std::unique_ptr<sim::backend::BackendServer> server;
    std::unique_ptr<storage::Database> db;
    QByteArray dbKey;
    SystemClock clock;
    storage::Redactor redactor;
    std::unique_ptr<storage::KeychainStore> keychain;
    std::unique_ptr<sync::BackendClient> client;
    std::unique_ptr<sync::Enrollment> enrollment;
    std::unique_ptr<sim::test::SimTestClient> admin;
    QString enrollmentCode = QStringLiteral("ENROLL-TEST-0001");
};

// --- items the double accepts (docs/backend-api.md payloads; ids are decimal strings)

// An appointment with Neo id `appointmentId`, observed at `observedAt`. `variant` changes its content
// (and so its version) without changing its key.
sync::OutboxItem appointmentItem(int appointmentId, const QDateTime& observedAt, int variant = 0);
// The same, padded with `noteBytes` of random-looking text so that its body does not compress much.
sync::OutboxItem bulkyAppointmentItem(int appointmentId, const QDateTime& observedAt, int noteBytes);
// An appointment the double rejects (its date is not YYYY-MM-DD): version and key are right, the payload is
// not.
sync::OutboxItem invalidAppointmentItem(int appointmentId, const QDateTime& observedAt);
// Queues items in one transaction, as a run does.
Status enqueueAll(storage::Database& db, sync::Outbox& outbox, const QList<sync::OutboxItem>& items);

} // namespace odis::test
