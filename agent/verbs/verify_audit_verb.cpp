#include "agent/verbs/verify_audit_verb.h"

#include "agent/agent_context.h"
#include "storage/audit_verification.h"

#include <QTextStream>

namespace odis::agent {

void runVerifyAuditVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    std::optional<storage::AuditAnchor> anchor;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& arg = arguments.at(i);
        QString value;
        if (arg == QLatin1String("--anchor") && i + 1 < arguments.size())
            value = arguments.at(++i);
        else if (arg.startsWith(QLatin1String("--anchor=")))
            value = arg.mid(9);
        else {
            QTextStream(stderr) << "odis-agent verify-audit: unexpected argument '" << arg << "'\n";
            exit(2);
            return;
        }
        auto parsed = storage::parseAuditAnchor(value);
        if (!parsed) {
            QTextStream(stderr) << "odis-agent verify-audit: " << parsed.error().message << "\n";
            exit(2);
            return;
        }
        anchor = *parsed;
    }

    BootstrapOptions options;
    options.createIfMissing = false;
    bootstrapAgent(options, [anchor, exit](Result<std::unique_ptr<AgentContext>> context) {
        const storage::AuditVerification result = context
                                                      ? storage::verifyAuditChain(*(*context)->audit, anchor)
                                                      : storage::auditVerificationImpossible(context.error());
        QTextStream(result.exitCode == storage::AuditVerification::kIntact ? stdout : stderr)
            << result.message << Qt::endl;
        exit(result.exitCode);
    });
}

} // namespace odis::agent
