#include "agent/verbs/credentials_verb.h"

#include "agent/verbs/verb_support.h"
#include "storage/credential_state.h"
#include "storage/idexx_credentials.h"

#include <QTextStream>

#include <cstdio>
#include <optional>
#include <string>

#if defined(Q_OS_UNIX)
#include <termios.h>
#include <unistd.h>
#endif

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("credentials");

// One line of standard input without its line break; nullopt at the end of input. On a terminal the
// prompt goes to stderr and, for a secret, echo is off while it is typed.
std::optional<QString> readLine(const char* prompt, bool secret)
{
#if defined(Q_OS_UNIX)
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::fprintf(stderr, "%s", prompt);
        std::fflush(stderr);
        if (secret && tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            (void)tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
    }
#else
    Q_UNUSED(prompt);
    Q_UNUSED(secret);
#endif
    std::string line;
    bool got = false;
    for (int c = std::fgetc(stdin); c != EOF; c = std::fgetc(stdin)) {
        got = true;
        if (c == '\n')
            break;
        line.push_back(static_cast<char>(c));
    }
#if defined(Q_OS_UNIX)
    if (terminal && secret) {
        (void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fprintf(stderr, "\n");
    }
#endif
    if (!got)
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

void runSet(std::function<void(int)> exit)
{
    const auto companyId = readLine("IDEXX Neo company id (empty if Neo does not ask for one): ", false);
    const auto username = readLine("IDEXX Neo user name: ", false);
    const auto password = readLine("IDEXX Neo password: ", true);
    if (!companyId || !username || !password) {
        printUsageError(kVerb,
                        QStringLiteral("set reads three lines from standard input: company id, user name, "
                                       "password"));
        exit(exit_code::kUsage);
        return;
    }
    storage::IdexxLogin login{companyId->trimmed(), username->trimmed(), *password};
    startVerb(kVerb, exit, [login, exit](AgentContext& ctx, const AgentConfig&) {
        ctx.logging->redactor().addSensitiveValue(login.username);
        ctx.logging->redactor().addSensitiveValue(login.password);
        ctx.credentials->save(login, [&ctx, exit](Status saved) {
            const QString outcome = saved ? QStringLiteral("configured") : saved.error().code;
            if (auto audited = ctx.audit->append(QStringLiteral("cli"), QStringLiteral("credentials.saved"),
                                                 QStringLiteral("idexx_credentials"), outcome);
                !audited)
                printVerbError(kVerb, QStringLiteral("cannot write the audit log"), audited.error());
            if (!saved) {
                printVerbError(kVerb, QStringLiteral("the credentials were not saved"), saved.error());
                const bool refused = saved.error().code == QLatin1String("idexx_credentials_invalid") ||
                                     saved.error().code == QLatin1String("credential_transition_refused");
                exit(refused ? exit_code::kFailed : exit_code::kCannotRun);
                return;
            }
            QTextStream(stdout) << "IDEXX credentials saved in the OS keychain (state configured); a manual "
                                   "`odis-agent sync --once` validates them with a login"
                                << Qt::endl;
            exit(exit_code::kOk);
        });
    });
}

void runStatus(std::function<void(int)> exit)
{
    startVerb(kVerb, exit, [exit](AgentContext& ctx, const AgentConfig&) {
        auto status = ctx.credentials->status();
        if (!status) {
            printVerbError(kVerb, QStringLiteral("cannot read the credential state"), status.error());
            exit(exit_code::kCannotRun);
            return;
        }
        QTextStream out(stdout);
        out << "state:           " << storage::credentialStateName(status->state) << "\n";
        if (status->changedAt.isValid())
            out << "since:           " << status->changedAt.toString(Qt::ISODate) << "\n";
        if (!status->reason.isEmpty())
            out << "reason:          " << status->reason << "\n";
        const Status automatic = storage::checkAutomaticUse(status->state);
        out << "scheduled syncs: "
            << (automatic ? QStringLiteral("may use them")
                          : QStringLiteral("may not use them (%1)").arg(automatic.error().code))
            << Qt::endl;
        exit(exit_code::kOk);
    });
}

} // namespace

void runCredentialsVerb(const QStringList& arguments, std::function<void(int)> exit)
{
    if (arguments == QStringList{QStringLiteral("set")}) {
        runSet(std::move(exit));
    } else if (arguments == QStringList{QStringLiteral("status")}) {
        runStatus(std::move(exit));
    } else {
        printUsageError(kVerb, QStringLiteral("use `credentials set` (three lines on standard input) or "
                                              "`credentials status`"));
        exit(exit_code::kUsage);
    }
}

} // namespace odis::agent
