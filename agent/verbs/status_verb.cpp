#include "agent/verbs/status_verb.h"

#include "agent/agent_context.h"
#include "agent/control/control_client.h"
#include "agent/resident/agent_status.h"
#include "storage/audit_verification.h"
#include "storage/codes/agent_codes.h"
#include "storage/install_identity.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace odis::agent {

namespace {

// The store's birth and any recovery are security-relevant: they go into the audit log.
[[nodiscard]] Status recordStoreEvents(AgentContext& ctx)
{
    const storage::OpenReport& report = ctx.store.report;
    if (report.recovered) {
        if (auto e = ctx.audit->append(QStringLiteral("agent"), QStringLiteral("store.recovered"),
                                       QStringLiteral("database"), QStringLiteral("moved_aside"));
            !e)
            return propagate(e);
    }
    if (report.created) {
        if (auto e = ctx.audit->append(QStringLiteral("agent"), QStringLiteral("store.created"),
                                       QStringLiteral("database"), QStringLiteral("ok"));
            !e)
            return propagate(e);
    }
    return ok();
}

void printStatus(AgentContext& ctx, QTextStream& out)
{
    const storage::OpenReport& report = ctx.store.report;
    auto line = [&out](const char* label, const QString& value) {
        out << "  " << QString::fromLatin1(label).leftJustified(13) << value << "\n";
    };
    out << "Odis Clinic Agent " << ODIS_VERSION << "\n";
    line("install id", storage::InstallIdentity::toText(ctx.installId));
    line("store", ctx.paths.databaseFile + (report.created ? QStringLiteral(" (created now)") : QString()));
    line("encryption",
         QStringLiteral("SQLCipher %1, raw 256-bit key held in the OS keychain").arg(report.cipherVersion));
    line("schema", QStringLiteral("version %1 (%2 migration(s) applied now)")
                       .arg(report.schemaVersion)
                       .arg(report.migrationsApplied));
    line("integrity",
         report.recovered
             ? QStringLiteral("FAILED at open: the damaged file was moved aside to %1 and a fresh "
                              "store was started")
                   .arg(report.movedAsidePath)
             : QStringLiteral("quick_check ok"));
    if (auto status = ctx.credentials->status(); status)
        line("credentials", storage::credentialStateName(status->state));
    else
        line("credentials", QStringLiteral("unreadable (%1)").arg(status.error().code));
    const storage::AuditVerification audit = storage::verifyAuditChain(*ctx.audit);
    line("audit log", audit.message);
    line("logs", ctx.logging->activeFilePath());
}

// {"agent": "not_running", install and store fields, storeStatusJson()}: `status --json` without an agent.
QJsonObject storeStatusObject(AgentContext& ctx)
{
    QJsonObject s;
    if (auto store = readStoreStatus(ctx.db(), *ctx.credentials, ctx.clock); store)
        s = storeStatusJson(*store);
    else
        s.insert(QStringLiteral("store_error"), store.error().code);
    const storage::AuditVerification audit = storage::verifyAuditChain(*ctx.audit);
    s.insert(QStringLiteral("agent"), QStringLiteral("not_running"));
    s.insert(QStringLiteral("version"), QStringLiteral(ODIS_VERSION));
    s.insert(QStringLiteral("install_id"), storage::InstallIdentity::toText(ctx.installId));
    s.insert(QStringLiteral("store"), ctx.paths.databaseFile);
    s.insert(QStringLiteral("schema_version"), ctx.store.report.schemaVersion);
    s.insert(QStringLiteral("integrity_ok"), !ctx.store.report.recovered);
    s.insert(QStringLiteral("audit_intact"), audit.exitCode == storage::AuditVerification::kIntact);
    s.insert(QStringLiteral("logs"), ctx.logging->activeFilePath());
    return s;
}

void printJson(const QJsonObject& object)
{
    QTextStream out(stdout);
    out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    out.flush();
}

void storeStatus(bool json, std::function<void(int)> exit);

} // namespace

void runStatusVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    bool json = false;
    for (const QString& a : arguments) {
        if (a == QLatin1String("--json")) {
            json = true;
            continue;
        }
        QTextStream(stderr) << "odis-agent status: unexpected argument '" << a << "'\n";
        exit(2);
        return;
    }
    // The running agent knows most (its state, the run in progress); without one, the store says what it can.
    sendControlRequest(
        ControlEndpoint::defaults(), QJsonObject{{QStringLiteral("cmd"), QStringLiteral("status")}},
        std::chrono::seconds(10), [json, exit](Result<QJsonObject> answer) {
            if (answer && !controlAnswerError(*answer)) {
                const QJsonObject status = answer->value(QStringLiteral("status")).toObject();
                if (json) {
                    printJson(status);
                } else {
                    QTextStream out(stdout);
                    out << statusText(status);
                    out.flush();
                }
                exit(0);
                return;
            }
            if (answer && controlAnswerError(*answer)->code == codes::kAgentStarting) {
                // Its storage is coming up (a slow keychain): it will answer in a moment.
                if (json)
                    printJson(QJsonObject{{QStringLiteral("agent"), QStringLiteral("starting")},
                                          {QStringLiteral("version"), QStringLiteral(ODIS_VERSION)}});
                else
                    QTextStream(stdout) << "odis-agent " << ODIS_VERSION << ": starting" << Qt::endl;
                exit(0);
                return;
            }
            if (!answer && answer.error().code != kAgentNotRunning)
                QTextStream(stderr) << "odis-agent status: the running agent did not answer ("
                                    << answer.error().code << "): reading the store" << Qt::endl;
            storeStatus(json, exit);
        });
}

namespace {

void storeStatus(bool json, std::function<void(int)> exit)
{
    bootstrapAgent(BootstrapOptions{}, [json, exit = std::move(exit)](
                                           Result<std::unique_ptr<AgentContext>> context) {
        if (!context) {
            QTextStream(stderr) << "odis-agent: cannot open this install's store: " << context.error().message
                                << " [" << context.error().code << "]" << Qt::endl;
            exit(3);
            return;
        }
        AgentContext& ctx = **context;
        if (auto recorded = recordStoreEvents(ctx); !recorded) {
            QTextStream(stderr) << "odis-agent: cannot write the audit log: " << recorded.error().toString()
                                << Qt::endl;
            exit(3);
            return;
        }
        if (json) {
            printJson(storeStatusObject(ctx));
        } else {
            QTextStream out(stdout);
            printStatus(ctx, out);
            if (auto store = readStoreStatus(ctx.db(), *ctx.credentials, ctx.clock); store) {
                QJsonObject s = storeStatusJson(*store);
                s.insert(QStringLiteral("agent"), QStringLiteral("not_running"));
                out << statusText(s, false);
            }
            out.flush();
        }
        exit(ctx.store.report.recovered ? 1 : 0);
    });
}

} // namespace

} // namespace odis::agent
