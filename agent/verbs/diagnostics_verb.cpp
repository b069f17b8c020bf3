#include "agent/verbs/diagnostics_verb.h"

#include "agent/control/control_client.h"
#include "agent/diagnostics/diagnostics_bundle.h"
#include "agent/diagnostics/zip_writer.h"
#include "agent/resident/agent_status.h"
#include "agent/verbs/verb_support.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QTextStream>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("diagnostics");

void write(const QString& path, const QJsonObject& agentStatus, const std::function<void(int)>& exit)
{
    startVerb(kVerb, exit, [path, agentStatus, exit](AgentContext& ctx, const AgentConfig& config) {
        QJsonObject status = agentStatus;
        if (status.isEmpty()) {
            if (auto store = readStoreStatus(ctx.db(), *ctx.credentials, ctx.clock); store)
                status = storeStatusJson(*store);
            status.insert(QStringLiteral("agent"), QStringLiteral("not_running"));
        }
        auto entries = collectDiagnostics(DiagnosticsSources{ctx, config, ctx.clock, status});
        if (!entries) {
            printVerbError(kVerb, QStringLiteral("cannot collect"), entries.error());
            exit(exit_code::kCannotRun);
            return;
        }
        QTextStream out(stdout);
        out << "The bundle holds " << entries->size() << " file(s), and nothing else:\n";
        for (const DiagnosticsFile& f : manifestOf(*entries).files)
            out << "  " << f.name.leftJustified(36) << " " << f.size << " bytes\n";
        out.flush();
        auto written = writeDiagnosticsZip(*entries, path, ctx.clock);
        if (!written) {
            printVerbError(kVerb, QStringLiteral("cannot write the bundle"), written.error());
            exit(exit_code::kCannotRun);
            return;
        }
        out << "written: " << QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath()) << " ("
            << written->bytes << " bytes)\n";
        out.flush();
        exit(exit_code::kOk);
    });
}

} // namespace

void runDiagnosticsVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    QString path;
    if (arguments.size() == 2 && arguments.at(0) == QLatin1String("--out"))
        path = arguments.at(1);
    else if (arguments.size() == 1 && arguments.at(0).startsWith(QLatin1String("--out=")))
        path = arguments.at(0).mid(6);
    if (path.isEmpty() || !path.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive)) {
        printUsageError(kVerb, QStringLiteral("diagnostics takes --out <file.zip>"));
        exit(exit_code::kUsage);
        return;
    }
    sendControlRequest(ControlEndpoint::defaults(),
                       QJsonObject{{QStringLiteral("cmd"), QStringLiteral("status")}},
                       std::chrono::seconds(10), [path, exit](Result<QJsonObject> answer) {
                           QJsonObject status;
                           if (answer && !controlAnswerError(*answer))
                               status = answer->value(QStringLiteral("status")).toObject();
                           write(path, status, exit);
                       });
}

} // namespace odis::agent
