#include "agent/verbs/resident_verb.h"

#include "agent/control/control_client.h"
#include "agent/control/control_server.h"
#include "agent/resident/instance_lock.h"
#include "agent/resident/resident_agent.h"
#include "agent/resident/termination_signals.h"
#include "agent/resident/time_source.h"
#include "agent/run/run_record.h"
#include "agent/verbs/sync_launcher.h"
#include "agent/verbs/verb_support.h"
#include "storage/codes/agent_codes.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QPointer>
#include <QTextStream>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("agent");
constexpr std::chrono::seconds kShowTimeout{10};

// What the resident keeps until the process ends. The agent itself is kept once storage is up, after the
// storage it uses, so that it goes first (verb_support.h releases in reverse order).
struct Resident
{
    std::unique_ptr<InstanceLock> lock;
    std::unique_ptr<TerminationSignals> signals;
    std::unique_ptr<TimeSource> time;
    std::unique_ptr<ControlServer> control;
    QPointer<ResidentAgent> agent;
    bool stopRequested = false;
};

QJsonObject okAnswer(QJsonObject fields = {})
{
    fields.insert(QStringLiteral("ok"), true);
    return fields;
}

void handle(Resident& r, const QJsonObject& request, const ControlServer::Reply& reply)
{
    const QString cmd = request.value(QStringLiteral("cmd")).toString();
    if (cmd == QLatin1String("show")) {
        if (r.agent)
            r.agent->showRequested();
        reply(okAnswer({{QStringLiteral("pid"), QCoreApplication::applicationPid()}}));
        return;
    }
    if (!r.agent) {
        reply(ControlServer::errorAnswer(codes::kAgentStarting,
                                         QStringLiteral("the agent is starting; try again in a moment")));
        return;
    }
    ResidentAgent& agent = *r.agent;
    if (cmd == QLatin1String("status")) {
        reply(okAnswer({{QStringLiteral("status"), agent.status()}}));
    } else if (cmd == QLatin1String("sync-now")) {
        const auto trigger =
            runTriggerFromName(request.value(QStringLiteral("trigger")).toString(QStringLiteral("manual")));
        if (!trigger || (*trigger != RunTrigger::Manual && *trigger != RunTrigger::Remote)) {
            reply(ControlServer::errorAnswer(codes::kControlBadRequest,
                                             QStringLiteral("sync-now takes the trigger manual or remote")));
            return;
        }
        const bool wait = request.value(QStringLiteral("wait")).toBool();
        auto answerName = std::make_shared<QString>();
        ResidentAgent::RunWaiter waiter;
        if (wait)
            waiter = [reply, answerName](const RunResultLine& result) {
                reply(okAnswer(
                    {{QStringLiteral("answer"), *answerName}, {QStringLiteral("result"), result.toJson()}}));
            };
        const SyncNowAnswer answer = agent.syncNow(*trigger, waiter);
        *answerName = syncNowAnswerName(answer);
        if (!wait) {
            if (answer == SyncNowAnswer::RefusedPaused || answer == SyncNowAnswer::RefusedGateClosed)
                reply(ControlServer::errorAnswer(*answerName, QStringLiteral("the agent does not sync now")));
            else
                reply(okAnswer({{QStringLiteral("answer"), *answerName}}));
        }
    } else if (cmd == QLatin1String("pause")) {
        auto until = agent.pauseFor(request.value(QStringLiteral("for")).toString());
        if (!until)
            reply(ControlServer::errorAnswer(until.error().code, until.error().message));
        else
            reply(okAnswer({{QStringLiteral("paused_until"), until->toString(Qt::ISODateWithMs)},
                            {QStringLiteral("status"), agent.status()}}));
    } else if (cmd == QLatin1String("resume")) {
        agent.resume();
        reply(okAnswer({{QStringLiteral("status"), agent.status()}}));
    } else if (cmd == QLatin1String("quit")) {
        reply(okAnswer());
        agent.stop(QStringLiteral("odis-agent quit"));
    } else {
        reply(ControlServer::errorAnswer(codes::kControlUnknownCommand,
                                         QStringLiteral("unknown command '%1'").arg(cmd.left(40))));
    }
}

// Another agent holds the lock: ask it to show itself (retrying briefly: it may be starting).
void handOverToRunning(const Error& why, const std::function<void(int)>& exit, int attempt = 0)
{
    sendControlRequest(
        ControlEndpoint::defaults(), QJsonObject{{QStringLiteral("cmd"), QStringLiteral("show")}},
        kShowTimeout, [why, exit, attempt](Result<QJsonObject> answer) {
            if (answer && !controlAnswerError(*answer)) {
                QTextStream(stdout) << "odis-agent is already running for this user (pid "
                                    << answer->value(QStringLiteral("pid")).toInteger()
                                    << "): asked it to show itself" << Qt::endl;
                exit(exit_code::kOk);
                return;
            }
            if (attempt < 5) {
                QTimer::singleShot(std::chrono::seconds(1), QCoreApplication::instance(),
                                   [why, exit, attempt] { handOverToRunning(why, exit, attempt + 1); });
                return;
            }
            printVerbError(kVerb, QStringLiteral("another agent holds the lock but does not answer"),
                           answer ? *controlAnswerError(*answer) : answer.error());
            exit(exit_code::kCannotRun);
        });
}

} // namespace

void runResidentVerb(const QStringList& arguments, const std::function<void(int)>& exit,
                     ResidentStarted onStarted)
{
    for (const QString& a : arguments) {
        if (a != QLatin1String("--headless")) {
            printUsageError(kVerb, QStringLiteral("unexpected argument '%1'").arg(a));
            exit(exit_code::kUsage);
            return;
        }
    }
    auto options = ResidentOptions::fromEnvironment(syncProgramPath());
    auto time = timeSourceFromEnvironment();
    if (!options || !time) {
        printVerbError(kVerb, QStringLiteral("test seam"), !options ? options.error() : time.error());
        exit(exit_code::kUsage);
        return;
    }
    options->passClockToRuns = !(*time)->runsByItself();

    auto lock = InstanceLock::acquire(InstanceLock::defaultPath());
    if (!lock) {
        if (lock.error().code == codes::kAgentAlreadyRunning) {
            handOverToRunning(lock.error(), exit);
            return;
        }
        printVerbError(kVerb, QStringLiteral("cannot start"), lock.error());
        exit(exit_code::kCannotRun);
        return;
    }
    Resident& r = keepUntilExit(std::make_unique<Resident>());
    r.lock = std::move(*lock);
    r.time = std::move(*time);
    r.signals = std::make_unique<TerminationSignals>();
    if (auto installed = r.signals->install(); !installed) {
        printVerbError(kVerb, QStringLiteral("cannot start"), installed.error());
        exit(exit_code::kCannotRun);
        return;
    }
    // Listening before storage is up: a second start during a slow keychain is told to wait, not lost.
    auto control = ControlServer::listen(
        ControlEndpoint::defaults(),
        [&r](const QJsonObject& request, const ControlServer::Reply& reply) { handle(r, request, reply); });
    if (!control) {
        printVerbError(kVerb, QStringLiteral("cannot open the control socket"), control.error());
        exit(exit_code::kCannotRun);
        return;
    }
    r.control = std::move(*control);
    QObject::connect(r.signals.get(), &TerminationSignals::received, r.signals.get(), [&r, exit](int signal) {
        r.stopRequested = true;
        if (r.agent)
            r.agent->stop(QStringLiteral("signal %1").arg(signal));
        else
            exit(exit_code::kOk); // still starting: nothing to stop yet
    });

    ResidentOptions resolved = *options;
    startVerb(
        kVerb, exit,
        [&r, resolved, exit, onStarted = std::move(onStarted)](AgentContext& ctx, const AgentConfig& config) {
            if (r.stopRequested) {
                exit(exit_code::kOk);
                return;
            }
            r.agent = &keepUntilExit(std::make_unique<ResidentAgent>(ctx, config, *r.time, resolved));
            QObject::connect(r.agent, &ResidentAgent::stopped, r.agent, [exit](int code) { exit(code); });
            if (auto started = r.agent->start(); !started) {
                printVerbError(kVerb, QStringLiteral("cannot start"), started.error());
                exit(exit_code::kCannotRun);
                return;
            }
            spdlog::info("odis-agent {} running (pid {}), control socket {}", ODIS_VERSION,
                         QCoreApplication::applicationPid(), r.control->fullServerName().toStdString());
            QTextStream(stdout) << "odis-agent " << ODIS_VERSION << " running (pid "
                                << QCoreApplication::applicationPid() << "); stop it with `odis-agent quit`"
                                << Qt::endl;
            if (onStarted)
                onStarted(*r.agent, ctx, config);
        });
}

} // namespace odis::agent
