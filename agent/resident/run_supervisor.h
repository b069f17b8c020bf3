#pragma once

// Runs one sync in a child process: `odis-agent sync --once --headless --trigger <t> --progress-lines`.
// The web engine (its profile, page and Chromium processes) then exists only while a run does: when the
// child exits, all of it is gone and its memory with it, which an engine loaded into the resident process
// could not promise (Chromium's helper processes live as long as the process that started them). A crash
// in the page takes the child down, never the agent; the run is resumed by the next one (sync_run.h).
//
// Stopping: terminate() sends SIGTERM and, after a grace period, SIGKILL. A run stopped anywhere is safe:
// its steps are stored before they start and its data committed in one transaction, so the next run
// resumes it under its own id without loss or duplicates.

#include "agent/resident/run_progress.h"
#include "agent/run/run_record.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTimer>

#include <chrono>
#include <memory>

namespace odis::agent {

// How the child ended.
struct ChildRunEnd
{
    RunTrigger trigger = RunTrigger::Schedule;
    std::optional<RunResultLine> result; // absent: it died before saying (crash, signal)
    int exitCode = -1;
    bool crashed = false;
    bool terminated = false; // stopped by terminate()

    // completed or partial.
    [[nodiscard]] bool succeeded() const;
    // The run's error code, or run_crashed / run_stopped when the child could not say.
    [[nodiscard]] QString errorCode() const;
};

class RunSupervisor : public QObject
{
    Q_OBJECT

public:
    // `program`: the odis-agent executable; `environment`: the child's (the agent's own, plus test seams).
    RunSupervisor(QString program, const QProcessEnvironment& environment, QObject* parent = nullptr);
    ~RunSupervisor() override;

    // False when a run is in progress already or the process could not be started (finished() then follows
    // with run_crashed). `extraEnvironment` adds to the child's for this run only. `sessionHandover`, when
    // not empty, is the setup window's IDEXX Neo session (sync/neo/session_handover.h): written to the
    // child's standard input (--neo-session-stdin), never its arguments or environment, then wiped here.
    bool start(RunTrigger trigger, const QProcessEnvironment& extraEnvironment = {},
               QByteArray sessionHandover = {});
    void terminate(std::chrono::milliseconds grace);

    [[nodiscard]] bool running() const { return m_process != nullptr; }
    [[nodiscard]] const RunProgress& progress() const { return m_progress; }
    [[nodiscard]] qint64 childPid() const;

Q_SIGNALS:
    void progressChanged(const RunProgress& progress);
    // The child stored its step `schedule` (or later): it is reading Neo now.
    void readStarted();
    void finished(const ChildRunEnd& end);

private:
    void onOutput();
    void onErrorOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void handleEvent(const QJsonObject& event);

    QString m_program;
    QProcessEnvironment m_environment;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderrBuffer;
    RunProgress m_progress;
    ChildRunEnd m_end;
    QTimer m_killTimer;
    bool m_readSignalled = false;
};

} // namespace odis::agent
