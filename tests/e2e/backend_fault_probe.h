#pragma once

// What the backend-fault tests look at besides the backend's items: the agent's summary, the backend
// double's request log and batches, and the keychain as the Secret Service lists it.

#include "tests/e2e/sync_world.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QProcess;

namespace odis::test {

// The summary's "items  Q queued, U uploaded, P pending, F failed" line.
struct ItemCounts
{
    bool found = false;
    qint64 queued = 0;
    qint64 uploaded = 0;
    qint64 pending = 0;
    qint64 failed = 0;
};
[[nodiscard]] ItemCounts itemCounts(const QString& summary);

// The backend double's request log: the entries of one route, oldest first; how many of its requests
// were answered with `status`.
[[nodiscard]] QList<QJsonObject> requestsOf(const SyncWorld& w, const QString& route);
[[nodiscard]] qint64 answeredWith(const SyncWorld& w, const QString& route, int status);
[[nodiscard]] QDateTime receivedAt(const QJsonObject& request);
[[nodiscard]] qint64 backendRequestTotal(const SyncWorld& w);

// The batches the backend double recorded (one per batch id, with its replay count), and a column's sum.
[[nodiscard]] QJsonArray batches(const SyncWorld& w);
[[nodiscard]] qint64 sumOf(const QJsonArray& rows, const char* field);

// The whole file, or empty.
[[nodiscard]] QString readFile(const QString& path);

// This install's entries in the Secret Service, listed by secret-tool (independently of the agent's
// keychain code): keys are "<install id>/<name>" under the service odis-clinic-agent
// (storage/keychain_store.h), in QtKeychain's "user" attribute. Aborts when secret-tool cannot run.
[[nodiscard]] QStringList keychainKeys(const QString& installId);

// Verifies (QVERIFY: the current test fails and the call returns) that the run ended by itself with
// `exitCode`, and reads its summary's item counts.
void expectExit(const AgentRun& run, int exitCode, ItemCounts& counts);

// One test's install: its own simulators, store and keychain entries. Methods that verify fail the
// current test (check QTest::currentTestFailed() after them).
class BackendFaultWorld
{
public:
    // A fresh world on the small clinic (seed 7, two days, Monday evening), enrolled with a Neo login.
    // `transferTimeoutS`: the agent's backend.transfer_timeout_s (0: its default, 30 s).
    void install(int transferTimeoutS = 0);
    void reset() { m_world.reset(); }
    [[nodiscard]] SyncWorld* world() const { return m_world.get(); }

    // PUT /__admin/faults/{route}; DELETE /__admin/faults.
    void setFault(const QString& route, const QJsonObject& fault) const;
    void clearFaults() const;

    // A sync started with startSync(): waits until `until` holds (polled), clears the faults, then
    // waits for the end. Its output comes from the world's sync.out and sync.err; err starts with a
    // marker when `until` never held (the fault was never observed).
    AgentRun finishStarted(QProcess& process, const std::function<bool()>& until) const;

    // No key stored twice with the same version, nothing refused by the backend.
    void expectNothingDuplicated() const;
    // What the backend holds is the ground truth, each item observed once, in batches that hold each item
    // once (a resend was a replay under the same key, not a new batch with the same items).
    void expectDeliveredOnce() const;

    // A run that has read Neo and committed its items is killed right before uploading (the test seam
    // agent/run/step_hold.h): the next run takes it up at the upload, without reading Neo again.
    void syncUntilUpload() const;

    // The one agent the backend double knows; empty when it knows none or several.
    [[nodiscard]] QString agentId() const;

private:
    std::unique_ptr<SyncWorld> m_world;
};

} // namespace odis::test
