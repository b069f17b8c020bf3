#pragma once

// One SyncBench (sync_bench.h) standing at Thursday evening of the clinic week, as the in-process run tests
// share it between their test functions: the bench, the instants of the reads that count for the ground
// truth, the visits the tests have changed so far, and the checks they all make after a run. Its functions
// fail the current Qt test (QVERIFY, QTest::qFail), so they are called from test functions; a failure in
// start() or startWithAGoodSync() called from initTestCase() skips the rest of the test.

#include "agent/run/run_record.h"
#include "tests/e2e/clinic_week_times.h"
#include "tests/e2e/sync_bench.h"
#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/ground_truth.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace odis::test {

class ThursdayBench
{
public:
    // Creates the bench, its clocks at `options.now` (Thursday evening when not set).
    void start(BenchOptions options = {});
    // start(), then a first run that completes and leaves the backend double at the ground truth.
    void startWithAGoodSync(BenchOptions options = {});

    [[nodiscard]] SyncBench* operator->() const { return m_bench.get(); }

    // One run. Fails the test when it did not end (nullopt) or ended with another status than `status`
    // (the result is returned all the same, for the checks that follow).
    std::optional<agent::SyncRunResult> syncExpecting(agent::RunStatus status);

    // The ground truth counts a schedule read at `at` (a run that read Neo, or the run a resumed one
    // stands for); the simulator's own log would count failed reads too.
    void countRead(const QDateTime& at);
    void countReadNow() { countRead(m_bench->now()); }
    // A run that read the schedule now and only some consultations (answers failed, rows drifted): the
    // ground truth counts as read now only the consultations the agent's store says it read now
    // (neo_reads.fetched_at), so the next run reads the rest, with what Neo shows by then, as the agent does.
    void countSuccessfulReadsNow();
    // The backend double holds exactly the ground truth of the counted reads.
    void expectTruth(const char* when);
    // The backend double's latest payload of `key`; empty when it holds none.
    [[nodiscard]] QJsonObject backendPayload(const QString& key) const;

    // The clinic's visits as Neo shows them now that are finished and have a consultation with notes: those
    // whose notes a run reads again when they change.
    [[nodiscard]] QList<sim::neo::SimAppointment> finishedVisitsWithNotes() const;
    // The first of them on Thursday with a phone on its schedule row that no earlier call returned, so that
    // each test changes a visit of its own; nullopt when none is left.
    [[nodiscard]] std::optional<sim::neo::SimAppointment> takeThursdayVisit();
    // `change` happens to `visit` 30 s from now: the next read sees it.
    void change(const sim::neo::SimAppointment& visit, sim::neo::SimChange change);
    // A vet adds `paragraph` (HTML) to the notes of `visit`, 30 s from now.
    void addToNotes(const sim::neo::SimAppointment& visit, const QString& paragraph);

private:
    std::unique_ptr<SyncBench> m_bench;
    QList<sim::neo::TruthSync> m_reads;
    QSet<qint64> m_taken; // appointment ids takeThursdayVisit() returned
};

// A JSON value on one line, for failure messages.
[[nodiscard]] QByteArray compactJson(const QJsonValue& value);

} // namespace odis::test
