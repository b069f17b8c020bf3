#pragma once

#include "storage/result.h"
#include "sync/core/backoff.h"
#include "sync/core/selector_profile.h"
#include "sync/neo/neo_read.h"
#include "sync/neo/neo_read_step.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

namespace odis {
class Clock;
}

namespace odis::sync {

class LayoutDiagnostics;
class NeoRequestRunner;
class NeoSession;
class RemovalChecks;
class ScheduleRead;
class VisitReads;
struct RemovalChecksOutcome;
struct ScheduleReadOutcome;
struct VisitReadsOutcome;

// Reads one run's data from IDEXX Neo through a logged-in NeoSession (docs/idexx-neo.md, "Settled in
// this project"): the schedule of the window in one call; getAppointment for each appointment the store
// holds that the schedule no longer shows on a day that can be trusted (the proof a removal needs,
// sync/core/removal_proof.h); then, per planNeoReads(), page-data for the finished visits that are new,
// changed, recent or have a change held back, and getAppointment where a row shows no usable phone;
// paced and retried by NeoRequestRunner. JSON endpoints that are gone (404/410) are read through their
// HTML pages and the selector profile (NeoRead::domFallbackEndpoints says which). Every JSON answer is
// checked against the contract (sync/core/neo_contract.h).
//
// Outcomes:
// - a NeoRead: the schedule step was read or refused. An answer that broke the contract ends its step
//   without handing anything of it on (NeoRead::refusals; scheduleRefused: nothing was read at all;
//   visitsRefused: no consultation or detail, every planned visit read again next run). Failed visit
//   reads are in NeoRead::visits (fewer than half of them); refused items, drift of optional fields,
//   collapsed days and held-back removals are in the NeoRead for the run to report;
// - neo_layout_changed: the DOM fallback's page could not be read. Nothing read is handed on; the
//   page's diagnostics are kept sealed (when a LayoutDiagnostics was given) before the callback runs;
// - neo_reads_failed: most visit reads failed;
// - the schedule's own failure (neo_rate_limited, neo_server_error, neo_http_error, ...) or the
//   session's (neo_session_lost, ...).
// One read at a time per extractor; the callback runs once, later from the event loop. Destroying the
// extractor drops a read in progress without a callback.
class NeoExtractor final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(Result<NeoRead>)>;

    // `diagnostics` may be null (no diagnostics are kept); it must outlive the extractor.
    NeoExtractor(NeoSession& session, const Clock& clock, SelectorProfile profile, NeoReadSettings settings,
                 LayoutDiagnostics* diagnostics = nullptr, QObject* parent = nullptr);
    ~NeoExtractor() override;

    void read(NeoReadInput input, Callback done);

    // Replaces the jitter source of backoff waits (tests).
    void setRandomSource(RandomSource& random) { m_random = &random; }

Q_SIGNALS:
    // The schedule was read and the visit reads (page-data, phones) start now, `reads` of them: the sync
    // run records this second part of a read as a step of its own (agent/run/sync_run.h).
    void visitReadsStarting(int reads);
    // Names, phones and e-mails this read has just taken in (sync/core/personal_values.h), for the run to
    // register with the log redactor before anything else could print them.
    void personalDataSeen(const QStringList& values);
    // A planned visit read finished (or failed): `done` of `total` (the run's "consultations 34/120").
    void visitReadProgress(int done, int total);

private:
    void onSchedule(NeoStepResult<ScheduleReadOutcome> result);
    void onRemovals(NeoStepResult<RemovalChecksOutcome> result);
    void startVisitReads();
    void onVisits(NeoStepResult<VisitReadsOutcome> result);
    // A step whose answer broke the contract: recorded; the read goes on without that step's data.
    void refuse(NeoRefusal refusal);
    void finishRead();
    // Ends the read with the step's error, its message prefixed with `step` ("the schedule read").
    void failStep(NeoStepFailure failure, const QString& step);
    void finish(Result<NeoRead> result);

    NeoSession& m_session;
    const Clock& m_clock;
    SelectorProfile m_profile;
    NeoReadSettings m_settings;
    LayoutDiagnostics* m_diagnostics;
    SystemRandom m_systemRandom;
    RandomSource* m_random = &m_systemRandom;

    NeoReadInput m_input;
    Callback m_done;
    NeoRead m_read;
    QDateTime m_now;
    std::unique_ptr<NeoRequestRunner> m_runner;
    QPointer<ScheduleRead> m_schedule;
    QPointer<RemovalChecks> m_removals;
    QPointer<VisitReads> m_visits;
    QList<HeldRemoval> m_removalCandidates;
    QList<PlannedRead> m_plannedReads;
    quint64 m_generation = 0;
};

} // namespace odis::sync
