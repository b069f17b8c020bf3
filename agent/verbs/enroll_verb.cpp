#include "agent/verbs/enroll_verb.h"

#include "agent/verbs/verb_input.h"
#include "agent/verbs/verb_support.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/enrollment.h"

#include <QTextStream>

#include <optional>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("enroll");

struct EnrollArguments
{
    QString code;
    std::optional<QUrl> backend;
    bool replace = false; // enroll again an install whose token the backend revoked
};

// The code comes from standard input (the default) or a file; --code stays for scripts that cannot do
// either, with a warning: an argument list is readable by every user of the machine.
std::optional<EnrollArguments> parseArguments(const QStringList& arguments)
{
    EnrollArguments parsed;
    std::optional<QString> codeArgument;
    std::optional<QString> codeFile;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& option = arguments.at(i);
        if (option == QLatin1String("--replace")) {
            parsed.replace = true;
            continue;
        }
        const bool takesValue = option == QLatin1String("--code") || option == QLatin1String("--code-file") ||
                                option == QLatin1String("--backend");
        if (!takesValue || i + 1 >= arguments.size()) {
            printUsageError(kVerb, QStringLiteral("unexpected argument '%1'").arg(option.left(60)));
            return std::nullopt;
        }
        const QString& value = arguments.at(++i);
        if (option == QLatin1String("--code")) {
            codeArgument = value.trimmed();
            continue;
        }
        if (option == QLatin1String("--code-file")) {
            codeFile = value;
            continue;
        }
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty()) {
            printUsageError(kVerb, QStringLiteral("--backend takes an https URL"));
            return std::nullopt;
        }
        parsed.backend = url;
    }
    if (codeArgument && codeFile) {
        printUsageError(kVerb, QStringLiteral("give the code once: --code-file or --code, not both"));
        return std::nullopt;
    }
    if (codeArgument) {
        QTextStream(stderr) << "odis-agent " << kVerb
                            << ": warning: --code shows the enrollment code to every user of this machine "
                               "(process list); give it on standard input or with --code-file instead"
                            << Qt::endl;
        parsed.code = *codeArgument;
    } else if (codeFile) {
        auto read = readFirstLine(*codeFile);
        if (!read) {
            printVerbError(kVerb, QStringLiteral("the enrollment code file"), read.error());
            return std::nullopt;
        }
        parsed.code = *read;
    } else {
        const auto line = readInputLine("Enrollment code from Odis: ", false);
        parsed.code = line.value_or(QString()).trimmed();
        if (!line) {
            printUsageError(kVerb,
                            QStringLiteral("the enrollment code is read from standard input (one line), "
                                           "or from a file with --code-file <file>"));
            return std::nullopt;
        }
    }
    if (auto shaped = sync::checkEnrollmentCode(parsed.code); !shaped) {
        printUsageError(kVerb, shaped.error().message);
        return std::nullopt;
    }
    return parsed;
}

void audit(AgentContext& ctx, const QString& action, const QString& target, const QString& outcome)
{
    if (auto appended = ctx.audit->append(QStringLiteral("cli"), action, target, outcome); !appended)
        printVerbError(kVerb, QStringLiteral("cannot write the audit log"), appended.error());
}

} // namespace

void runEnrollVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const auto parsed = parseArguments(arguments);
    if (!parsed) {
        exit(exit_code::kUsage);
        return;
    }
    startVerb(kVerb, exit, [args = *parsed, exit](AgentContext& ctx, const AgentConfig& config) {
        auto client = sync::BackendClient::create(config.backend(args.backend), ctx.clock);
        if (!client) {
            printVerbError(kVerb, QStringLiteral("invalid backend settings"), client.error());
            exit(exit_code::kCannotRun);
            return;
        }
        sync::BackendClient& http = keepUntilExit(std::move(*client));
        auto& enrollment = keepUntilExit(std::make_unique<sync::Enrollment>(
            http, ctx.db(), *ctx.secrets, ctx.logging->redactor(), ctx.clock));
        const auto enrolled = enrollment.storedIdentity();
        if (!enrolled) {
            printVerbError(kVerb, QStringLiteral("cannot read the enrollment"), enrolled.error());
            exit(exit_code::kCannotRun);
            return;
        }
        if (*enrolled && !args.replace) {
            QTextStream(stdout) << "already enrolled: agent " << (*enrolled)->agentId << ", clinic "
                                << (*enrolled)->clinicId
                                << " (the code was not used; if Odis revoked this agent's token, enroll it "
                                   "again with --replace)"
                                << Qt::endl;
            exit(exit_code::kOk);
            return;
        }
        if (!*enrolled && args.replace) {
            printUsageError(kVerb,
                            QStringLiteral("--replace re-enrolls an enrolled install; this one is not"));
            exit(exit_code::kUsage);
            return;
        }
        const QString previousAgent = *enrolled ? (*enrolled)->agentId : QString();
        // The waiting data of this clinic goes up under the new identity: only the same clinic may take it.
        const QString expectedClinic = *enrolled ? (*enrolled)->clinicId : QString();
        enrollment.enroll(
            sync::EnrollmentRequest{args.code, {}, {}, expectedClinic},
            [&ctx, args, previousAgent, exit](Result<sync::AgentIdentity> identity) {
                if (!identity) {
                    audit(ctx, QStringLiteral("enrollment.failed"), QStringLiteral("backend"),
                          identity.error().code);
                    printVerbError(kVerb, QStringLiteral("enrollment failed"), identity.error());
                    const bool refused = identity.error().code == codes::kEnrollmentCodeInvalid ||
                                         identity.error().code == codes::kEnrollmentClinicMismatch;
                    exit(refused ? exit_code::kFailed : exit_code::kCannotRun);
                    return;
                }
                audit(ctx,
                      previousAgent.isEmpty() ? QStringLiteral("enrollment.completed")
                                              : QStringLiteral("enrollment.replaced"),
                      QStringLiteral("agent:") + identity->agentId,
                      previousAgent.isEmpty() ? QStringLiteral("ok")
                                              : QStringLiteral("replaces agent:") + previousAgent);
                if (args.backend) {
                    if (auto saved = saveUserBackendUrl(AgentConfigPaths::defaults().userFile, *args.backend);
                        !saved)
                        printVerbError(kVerb, QStringLiteral("the backend URL was not saved"), saved.error());
                }
                QTextStream out(stdout);
                out << "enrolled: agent " << identity->agentId << ", clinic " << identity->clinicId;
                if (!previousAgent.isEmpty())
                    out << " (replaces agent " << previousAgent
                        << "; waiting data goes up with the next sync)";
                out << Qt::endl;
                exit(exit_code::kOk);
            });
    });
}

} // namespace odis::agent
