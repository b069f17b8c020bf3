#pragma once

// One whole sync run, Neo to backend (docs/architecture.md, "One sync run"), as a resumable state
// machine:
//
//   preconditions -> clinic_profile -> neo_login -> schedule -> consultations -> validate -> reconcile
//   -> plan_calls -> store (ONE transaction, which also stores the step `upload`) -> upload -> close
//
// The run row and its current step are stored (RunLog::setStep) before each step starts. At start, a run
// found unfinished in the runs table (the process was killed) is resumed under its own run id: if it had
// reached `upload` its data is in the store and it goes on uploading; otherwise nothing of it was
// committed and it reads Neo again from the start. Whatever happened, the run ends with its report, the
// telemetry events, the alert rules and the Neo page freed (run_wrapup.h). One run at a time: a lock file
// next to the database. Everything is asynchronous on the calling (GUI) thread; no nested event loops.
//
// Status of a finished run: completed (everything read, decided and acknowledged); partial (finished,
// but an answer or item was refused, Neo drifted, a day collapsed, a change was held back,
// consultations could not be read, items were rejected, or items still wait in the outbox: the
// warnings say which); failed (stopped by an error: its code and the step it stopped in).

#include "agent/alerts/alert_rules.h"
#include "agent/run/clinic_reader.h"
#include "agent/run/run_plan.h"
#include "agent/run/run_record.h"
#include "agent/run/run_reporter.h"
#include "agent/run/step_hold.h"
#include "agent/run/sync_settings.h"
#include "storage/result.h"
#include "sync/backend/outbox_uploader.h"
#include "sync/core/clinic_policy.h"
#include "sync/neo/neo_session_config.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;

namespace odis::sync {
class BackendClient;
class ClinicProfileFetcher;
class Enrollment;
class InstallWipe;
class NeoSession;
class SystemRandom;
} // namespace odis::sync

namespace odis::agent {

struct AgentConfig;
struct AgentContext;
class NeoLoginStep;
class RunLog;
class RunWrapUp;
class Telemetry;

struct SyncRunOptions
{
    RunTrigger trigger = RunTrigger::Manual;
    StepHold hold;               // test seam (step_hold.h)
    sync::NeoSessionConfig neo;  // time-outs; the base URL comes from the profile or the configuration
    sync::UploadSettings upload; // batch limits and the per-run retry budget
    QString lockFile;            // empty: "sync.lock" next to the database
    // Called with each step as it is stored (the resident agent's progress, run_progress.h); may be empty.
    std::function<void(const QString& runId, const QString& step)> stepStored;
};

struct SyncRunResult
{
    std::optional<RunRecord> run;   // as finished; absent when no run could start (lock, store)
    std::optional<Error> error;     // why the run failed (or could not start)
    bool resumed = false;           // an unfinished run of an earlier process was taken up
    QString resumedAtStep;          // the step it had stored
    std::optional<PlanCounts> plan; // absent when the run did not plan in this process
    std::optional<sync::UploadReport> upload;
    qint64 outboxPending = 0; // at the end
    qint64 outboxFailed = 0;  // failed queue at the end (every run's)
    QList<Alert> alerts;      // active after the run
    AlertChanges alertChanges;
    int reportsSent = 0;
};

class SyncRun : public QObject
{
    Q_OBJECT

public:
    // `context`, `config` and `clock` outlive the run. `reader` reads the clinic once logged in. `clock` is
    // the run's "now" (the context's system clock, or a test seam's: clock_seam.h).
    SyncRun(AgentContext& context, const AgentConfig& config, const Clock& clock,
            std::unique_ptr<ClinicReader> reader, SyncRunOptions options, QObject* parent = nullptr);
    ~SyncRun() override;
    SyncRun(const SyncRun&) = delete;
    SyncRun& operator=(const SyncRun&) = delete;

    // Starts (or resumes) the run; `done` is called once, later, unless this object is destroyed first.
    // Errors that stop a run before it exists: sync_already_running, the store's.
    void start(std::function<void(SyncRunResult)> done);

private:
    // sync_run.cpp: the machine.
    void begin();
    void enterStep(QLatin1StringView step, void (SyncRun::*next)());
    [[nodiscard]] Status storeStep(QLatin1StringView step);
    void failRun(const Error& error);
    void finishRun(RunStatus status, std::optional<Error> error);
    void complete();
    void deliver();
    RunCounts counts() const;
    void audit(const QString& action, const QString& outcome);

    // sync_run_steps.cpp: the steps.
    void checkPreconditions();
    void fetchClinicProfile();
    void loginToNeo();
    void readClinic();
    void validateRead();
    void reconcile();
    void planDischargeCalls();
    void storeRun();
    void upload();
    void onUploaded(const sync::UploadReport& report);
    void closeRun();
    void sendStartReport();

    AgentContext& m_ctx;
    const AgentConfig& m_config;
    const Clock& m_clock;
    SyncRunOptions m_options;
    std::function<void(SyncRunResult)> m_done;
    SyncRunResult m_result;

    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<RunLog> m_log;
    std::unique_ptr<Telemetry> m_telemetry;
    std::unique_ptr<sync::BackendClient> m_backend;
    std::unique_ptr<sync::Enrollment> m_enrollment;
    std::unique_ptr<sync::ClinicProfileFetcher> m_profileFetcher;
    std::unique_ptr<RunReporter> m_reporter;
    std::unique_ptr<sync::NeoSession> m_session;
    std::unique_ptr<NeoLoginStep> m_login;  // after the session: destroyed before it
    std::unique_ptr<ClinicReader> m_reader; // after the session: destroyed before it
    std::unique_ptr<sync::SystemRandom> m_random;
    std::unique_ptr<sync::InstallWipe> m_wipe;
    std::unique_ptr<sync::OutboxUploader> m_uploader;
    std::unique_ptr<RunWrapUp> m_wrapUp;

    RunRecord m_run;
    bool m_resumeAtUpload = false;
    bool m_finishing = false;
    bool m_deprovisioned = false;
    bool m_startReportInFlight = false;
    bool m_finishWaitsForStartReport = false;
    QElapsedTimer m_elapsed;
    QString m_clinicId;
    QJsonObject m_profile;
    std::optional<sync::ClinicPolicy> m_policy;
    SyncSettings m_settings;
    std::optional<ClinicRead> m_read;
    std::optional<RunPlan> m_plan;
    std::optional<StoredState> m_stored;
    RunCounts m_counts;
    int m_driftWarnings = 0;
    QList<sync::RunWarning> m_warnings; // refusals, drift, collapses, held back (sync/core/run_warnings.h)
    std::optional<RunStatus> m_endStatus;
    std::optional<Error> m_endError;
};

} // namespace odis::agent
