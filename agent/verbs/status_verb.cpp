#include "agent/verbs/status_verb.h"

#include "agent/agent_context.h"
#include "storage/audit_verification.h"
#include "storage/install_identity.h"

#include <QTextStream>

namespace odis::agent {

namespace {

// The store's birth and any recovery are security-relevant: they go into the audit log.
Status recordStoreEvents(AgentContext& ctx)
{
    const storage::OpenReport& report = ctx.store.report;
    if (report.recovered) {
        if (auto e = ctx.audit->append(QStringLiteral("agent"), QStringLiteral("store.recovered"),
                                       QStringLiteral("database"), QStringLiteral("moved_aside"));
            !e)
            return std::unexpected(e.error());
    }
    if (report.created) {
        if (auto e = ctx.audit->append(QStringLiteral("agent"), QStringLiteral("store.created"),
                                       QStringLiteral("database"), QStringLiteral("ok"));
            !e)
            return std::unexpected(e.error());
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
    line("encryption", QStringLiteral("SQLCipher %1, raw 256-bit key held in the OS keychain").arg(report.cipherVersion));
    line("schema", QStringLiteral("version %1 (%2 migration(s) applied now)")
                       .arg(report.schemaVersion)
                       .arg(report.migrationsApplied));
    line("integrity", report.recovered
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

} // namespace

void runStatusVerb(const QStringList& arguments, std::function<void(int)> exit)
{
    if (!arguments.isEmpty()) {
        QTextStream(stderr) << "odis-agent status: unexpected argument '" << arguments.first() << "'\n";
        exit(2);
        return;
    }
    bootstrapAgent(BootstrapOptions{}, [exit = std::move(exit)](Result<std::unique_ptr<AgentContext>> context) {
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
        QTextStream out(stdout);
        printStatus(ctx, out);
        out.flush();
        exit(ctx.store.report.recovered ? 1 : 0);
    });
}

} // namespace odis::agent
