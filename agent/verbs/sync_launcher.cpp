#include "agent/verbs/sync_launcher.h"

#include "agent/control/control_client.h"
#include "agent/resident/run_progress.h"
#include "agent/verbs/verb_support.h"
#include "storage/codes/agent_codes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>

#include <cerrno>
#include <vector>

#ifndef Q_OS_WIN
#include <unistd.h>
#endif

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("sync");

// Arguments a delegated run can honour: --once, --headless, --trigger <t>. Anything else is for the sync
// program to judge (and to refuse with its usage text).
struct Delegation
{
    bool possible = false;
    QString trigger = QStringLiteral("manual");
};

Delegation delegationFor(const QStringList& arguments)
{
    Delegation d;
    bool once = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments.at(i);
        if (a == QLatin1String("--once"))
            once = true;
        else if (a == QLatin1String("--headless"))
            continue;
        else if (a == QLatin1String("--trigger") && i + 1 < arguments.size())
            d.trigger = arguments.at(++i);
        else
            return Delegation{};
    }
    // The agent takes a person's request or the backend's; the scheduler's own triggers are its business.
    d.possible = once && (d.trigger == QLatin1String("manual") || d.trigger == QLatin1String("remote"));
    return d;
}

void handOver(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString program = syncProgramPath();
    if (!QFileInfo(program).isExecutable()) {
        printVerbError(kVerb, QStringLiteral("cannot run a sync"),
                       Error{codes::kSyncProgramMissing,
                             QStringLiteral("%1 is missing: reinstall the agent").arg(program)});
        exit(exit_code::kCannotRun);
        return;
    }
#ifndef Q_OS_WIN
    // The same process becomes the sync: same pid, same output, same signals.
    (void)execInPlace(program, QStringList{QStringLiteral("sync")} + arguments);
    printVerbError(kVerb, QStringLiteral("cannot run a sync"),
                   Error{codes::kSyncProgramFailed, QStringLiteral("cannot start %1").arg(program)});
    exit(exit_code::kCannotRun);
#else
    auto* process = new QProcess(QCoreApplication::instance());
    process->setProcessChannelMode(QProcess::ForwardedChannels);
    process->setInputChannelMode(QProcess::ForwardedInputChannel);
    QObject::connect(process, &QProcess::finished, process, [exit](int code, QProcess::ExitStatus status) {
        exit(status == QProcess::NormalExit ? code : exit_code::kFailed);
    });
    QObject::connect(process, &QProcess::errorOccurred, process, [exit](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            exit(exit_code::kCannotRun);
    });
    process->start(program, QStringList{QStringLiteral("sync")} + arguments);
#endif
}

} // namespace

QString helperProgramPath(const QString& name)
{
    const QString here = QCoreApplication::applicationDirPath();
#ifdef Q_OS_WIN
    return here + u'/' + name + QStringLiteral(".exe");
#else
    // Installed on Linux a helper is not a command, so it lives in libexec (installer/CMakeLists.txt),
    // found relative to the CLI whatever the prefix.
    QString beside = here + u'/' + name;
    if (QFileInfo::exists(beside))
        return beside;
    return QDir::cleanPath(here + QStringLiteral("/../libexec/odis-agent/") + name);
#endif
}

#ifndef Q_OS_WIN
int execInPlace(const QString& program, const QStringList& arguments)
{
    std::vector<QByteArray> owned;
    owned.reserve(arguments.size() + 1);
    owned.push_back(QFile::encodeName(program));
    for (const QString& a : arguments)
        owned.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    argv.reserve(owned.size() + 1);
    for (QByteArray& a : owned)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv.front(), argv.data());
    return errno;
}
#endif

QString syncProgramPath()
{
    return helperProgramPath(QStringLiteral("odis-agent-sync"));
}

void runSyncLauncherVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const Delegation delegation = delegationFor(arguments);
    if (!delegation.possible) {
        handOver(arguments, exit);
        return;
    }
    const QJsonObject request{{QStringLiteral("cmd"), QStringLiteral("sync-now")},
                              {QStringLiteral("trigger"), delegation.trigger},
                              {QStringLiteral("wait"), true}};
    // No time-out: the run's own time-outs bound it, and the agent answers when it ends (or goes away).
    sendControlRequest(
        ControlEndpoint::defaults(), request, std::chrono::milliseconds(0),
        [arguments, exit](Result<QJsonObject> answer) {
            if (!answer && answer.error().code == kAgentNotRunning) {
                handOver(arguments, exit);
                return;
            }
            if (!answer) {
                printVerbError(kVerb, QStringLiteral("the running agent did not answer"), answer.error());
                exit(exit_code::kCannotRun);
                return;
            }
            if (auto refused = controlAnswerError(*answer)) {
                printVerbError(kVerb, QStringLiteral("the running agent did not sync"), *refused);
                exit(exit_code::kCannotRun);
                return;
            }
            const RunResultLine result =
                RunResultLine::fromJson(answer->value(QStringLiteral("result")).toObject());
            QTextStream out(stdout);
            out << "odis-agent is running: it ran this sync ("
                << answer->value(QStringLiteral("answer")).toString() << ")\n"
                << result.summary;
            out.flush();
            exit(result.exitCode < 0 ? exit_code::kFailed : result.exitCode);
        });
}

} // namespace odis::agent
