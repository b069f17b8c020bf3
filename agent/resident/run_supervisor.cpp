#include "agent/resident/run_supervisor.h"

#include "agent/run/run_record.h"
#include "storage/codes/agent_codes.h"

#include <QMetaObject>

#include <spdlog/spdlog.h>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace odis::agent {

namespace {

// Steps from which on the run reads Neo's schedule (or has read it).
bool readsNeo(const QString& step)
{
    const QList<QLatin1StringView>& steps = knownRunSteps();
    const auto at = std::find(steps.begin(), steps.end(), step);
    const auto schedule = std::find(steps.begin(), steps.end(), run_step::kSchedule);
    return at != steps.end() && at >= schedule;
}

} // namespace

bool ChildRunEnd::succeeded() const
{
    return result &&
           (result->status == QLatin1String("completed") || result->status == QLatin1String("partial"));
}

QString ChildRunEnd::errorCode() const
{
    if (result && !result->errorCode.isEmpty())
        return result->errorCode;
    if (terminated)
        return codes::kRunStopped;
    if (!result)
        return codes::kRunCrashed;
    return {};
}

RunSupervisor::RunSupervisor(QString program, const QProcessEnvironment& environment, QObject* parent)
    : QObject(parent)
    , m_program(std::move(program))
    , m_environment(environment)
{
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process) {
            spdlog::warn("the sync process did not stop in time: killed");
            m_process->kill();
        }
    });
}

RunSupervisor::~RunSupervisor()
{
    // Only when the agent goes without stopping the run first (stop() terminates it and waits for the
    // finished signal): QProcess's destructor kills the child.
    if (m_process)
        m_process->disconnect(this);
}

qint64 RunSupervisor::childPid() const
{
    return m_process ? m_process->processId() : 0;
}

bool RunSupervisor::start(RunTrigger trigger, const QProcessEnvironment& extraEnvironment,
                          QByteArray sessionHandover)
{
    if (m_process) {
        sessionHandover.fill('\0');
        return false;
    }
    m_end = ChildRunEnd{};
    m_end.trigger = trigger;
    m_progress = RunProgress{};
    m_stdoutBuffer.clear();
    m_stderrBuffer.clear();
    m_readSignalled = false;

    QProcessEnvironment environment = m_environment;
    for (const QString& key : extraEnvironment.keys())
        environment.insert(key, extraEnvironment.value(key));
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(environment);
    m_process->setProgram(m_program);
    QStringList arguments{QStringLiteral("sync"),       QStringLiteral("--once"),
                          QStringLiteral("--headless"), QStringLiteral("--trigger"),
                          runTriggerName(trigger),      QStringLiteral("--progress-lines")};
    const bool handover = !sessionHandover.isEmpty();
    if (handover)
        arguments << QStringLiteral("--neo-session-stdin");
    else
        m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setArguments(arguments);
#ifdef Q_OS_LINUX
    // The run dies with the agent that started it. Killed (SIGKILL, the OOM killer), the agent cannot stop
    // its child, and an orphaned run would go on holding the sync lock while the restarted agent resumes
    // the same run: the restart's run fails with sync_already_running and the run it should report goes
    // on unwatched. A run killed anywhere is safe (the class comment), so it is killed with its parent.
    // Set in the child between fork and exec; the parent may already be gone by then (getppid changed).
    const pid_t agentPid = ::getpid();
    m_process->setChildProcessModifier([agentPid] {
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != agentPid)
            ::_exit(127);
    });
#endif
    connect(m_process.get(), &QProcess::readyReadStandardOutput, this, &RunSupervisor::onOutput);
    connect(m_process.get(), &QProcess::readyReadStandardError, this, &RunSupervisor::onErrorOutput);
    connect(m_process.get(), &QProcess::finished, this, &RunSupervisor::onFinished);
    connect(m_process.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || !m_process)
            return;
        spdlog::error("the sync process could not be started: {}", m_process->errorString().toStdString());
        // No finished() signal follows a failed start: end it here, from the event loop.
        QMetaObject::invokeMethod(
            this, [this] { onFinished(-1, QProcess::CrashExit); }, Qt::QueuedConnection);
    });
    m_process->start();
    if (handover) {
        // QProcess keeps what is written until the child reads it; closing the channel is the end of it.
        m_process->write(sessionHandover);
        m_process->closeWriteChannel();
        sessionHandover.fill('\0');
    }
    spdlog::info("sync started in a child process ({}{})", runTriggerName(trigger).toStdString(),
                 handover ? ", with the setup window's IDEXX Neo session" : "");
    return true;
}

void RunSupervisor::terminate(std::chrono::milliseconds grace)
{
    if (!m_process || m_end.terminated)
        return;
    m_end.terminated = true;
    spdlog::info("stopping the sync process (pid {})", m_process->processId());
    m_process->terminate();
    m_killTimer.start(grace);
}

void RunSupervisor::onOutput()
{
    if (!m_process)
        return;
    m_stdoutBuffer += m_process->readAllStandardOutput();
    qsizetype newline = 0;
    while ((newline = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray text = m_stdoutBuffer.left(newline);
        m_stdoutBuffer.remove(0, newline + 1);
        if (auto event = parseRunLine(text))
            handleEvent(*event);
    }
}

void RunSupervisor::onErrorOutput()
{
    if (!m_process)
        return;
    m_stderrBuffer += m_process->readAllStandardError();
    qsizetype newline = 0;
    while ((newline = m_stderrBuffer.indexOf('\n')) >= 0) {
        const QByteArray text = m_stderrBuffer.left(newline).trimmed();
        m_stderrBuffer.remove(0, newline + 1);
        // What the verb says on its standard error: codes and ids (the log's redactor runs over it too).
        if (!text.isEmpty())
            spdlog::info("sync process: {}", text.toStdString());
    }
}

void RunSupervisor::handleEvent(const QJsonObject& event)
{
    const QString kind = event.value(QStringLiteral("event")).toString();
    if (kind == QLatin1String("result")) {
        m_end.result = RunResultLine::fromJson(event);
        m_progress.runId = m_end.result->runId;
        return;
    }
    if (kind != QLatin1String("step") && kind != QLatin1String("progress"))
        return;
    m_progress.step = event.value(QStringLiteral("step")).toString();
    m_progress.done = event.value(QStringLiteral("done")).toInt();
    m_progress.total = event.value(QStringLiteral("total")).toInt();
    if (event.contains(QStringLiteral("run_id")))
        m_progress.runId = event.value(QStringLiteral("run_id")).toString();
    Q_EMIT progressChanged(m_progress);
    if (!m_readSignalled && readsNeo(m_progress.step)) {
        m_readSignalled = true;
        Q_EMIT readStarted();
    }
}

void RunSupervisor::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!m_process)
        return;
    onOutput();
    onErrorOutput();
    m_killTimer.stop();
    m_end.exitCode = exitCode;
    m_end.crashed = status == QProcess::CrashExit;
    // Deleted from the event loop: this may run inside one of its signals.
    m_process->disconnect(this);
    m_process.release()->deleteLater();
    spdlog::info("sync process ended: exit {}{}, {}", exitCode, m_end.crashed ? " (crashed or killed)" : "",
                 m_end.result ? m_end.result->status.toStdString() : std::string("no result"));
    const ChildRunEnd end = m_end;
    Q_EMIT finished(end);
}

} // namespace odis::agent
