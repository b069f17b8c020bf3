#include "agent/verbs/control_verbs.h"

#include "agent/control/control_client.h"
#include "agent/resident/agent_status.h"
#include "agent/verbs/verb_support.h"
#include "storage/codes/agent_codes.h"

#include <QJsonObject>
#include <QTextStream>

namespace odis::agent {

namespace {

constexpr std::chrono::seconds kAnswerTimeout{30};

// Sends one request to the running agent; `print` gets its {"ok": true} answer.
void ask(const QString& verb, const QJsonObject& request, const std::function<void(int)>& exit,
         const std::function<void(const QJsonObject&, QTextStream&)>& print)
{
    sendControlRequest(
        ControlEndpoint::defaults(), request, kAnswerTimeout,
        [verb, exit, print](Result<QJsonObject> answer) {
            if (!answer) {
                if (answer.error().code == kAgentNotRunning)
                    QTextStream(stderr) << "odis-agent " << verb
                                        << ": no agent is running for this user (start it with "
                                           "`odis-agent`)"
                                        << Qt::endl;
                else
                    printVerbError(verb, QStringLiteral("the agent did not answer"), answer.error());
                exit(exit_code::kCannotRun);
                return;
            }
            if (auto refused = controlAnswerError(*answer)) {
                printVerbError(verb, QStringLiteral("refused"), *refused);
                exit(refused->code == codes::kPauseInvalid ? exit_code::kUsage : exit_code::kCannotRun);
                return;
            }
            QTextStream out(stdout);
            print(*answer, out);
            out.flush();
            exit(exit_code::kOk);
        });
}

bool noArguments(const QString& verb, const QStringList& arguments, const std::function<void(int)>& exit)
{
    if (arguments.isEmpty())
        return true;
    printUsageError(verb, QStringLiteral("unexpected argument '%1'").arg(arguments.first()));
    exit(exit_code::kUsage);
    return false;
}

} // namespace

void runSyncNowVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString verb = QStringLiteral("sync-now");
    if (!noArguments(verb, arguments, exit))
        return;
    ask(verb,
        {{QStringLiteral("cmd"), QStringLiteral("sync-now")},
         {QStringLiteral("trigger"), QStringLiteral("manual")}},
        exit, [](const QJsonObject& answer, QTextStream& out) {
            const QString how = answer.value(QStringLiteral("answer")).toString();
            if (how == QLatin1String("starting"))
                out << "sync starting\n";
            else if (how == QLatin1String("joined_run"))
                out << "a sync that reads IDEXX Neo after this request is already under way\n";
            else
                out << "a sync is running; one more follows it\n";
        });
}

void runPauseVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString verb = QStringLiteral("pause");
    QString spec;
    if (arguments.size() == 2 && arguments.at(0) == QLatin1String("--for"))
        spec = arguments.at(1);
    else if (arguments.size() == 1 && arguments.at(0).startsWith(QLatin1String("--for=")))
        spec = arguments.at(0).mid(6);
    if (spec.isEmpty()) {
        printUsageError(verb, QStringLiteral("pause takes --for <30m|4h|2d|until-tomorrow>"));
        exit(exit_code::kUsage);
        return;
    }
    ask(verb, {{QStringLiteral("cmd"), QStringLiteral("pause")}, {QStringLiteral("for"), spec}}, exit,
        [](const QJsonObject& answer, QTextStream& out) {
            out << "automatic syncs paused\n"
                << statusText(answer.value(QStringLiteral("status")).toObject());
        });
}

void runResumeVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString verb = QStringLiteral("resume");
    if (!noArguments(verb, arguments, exit))
        return;
    ask(verb, {{QStringLiteral("cmd"), QStringLiteral("resume")}}, exit,
        [](const QJsonObject& answer, QTextStream& out) {
            out << "automatic syncs resumed\n"
                << statusText(answer.value(QStringLiteral("status")).toObject());
        });
}

void runQuitVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString verb = QStringLiteral("quit");
    if (!noArguments(verb, arguments, exit))
        return;
    ask(verb, {{QStringLiteral("cmd"), QStringLiteral("quit")}}, exit,
        [](const QJsonObject&, QTextStream& out) { out << "the agent is stopping\n"; });
}

} // namespace odis::agent
