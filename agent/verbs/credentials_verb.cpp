#include "agent/verbs/credentials_verb.h"

#include "agent/verbs/verb_input.h"
#include "agent/verbs/verb_support.h"
#include "storage/codes/storage_codes.h"
#include "storage/credential_state.h"
#include "storage/idexx_credentials.h"
#include "storage/neo_origin_binding.h"
#include "sync/core/neo_origin_allow_list.h"

#include <QTextStream>
#include <QUrl>

#include <memory>
#include <optional>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("credentials");

void runSet(const std::function<void(int)>& exit)
{
    const auto companyId = readInputLine("IDEXX Neo company id (empty if Neo does not ask for one): ", false);
    const auto username = readInputLine("IDEXX Neo user name: ", false);
    const auto password = readInputLine("IDEXX Neo password: ", true);
    if (!companyId || !username || !password) {
        printUsageError(kVerb,
                        QStringLiteral("set reads three lines from standard input: company id, user name, "
                                       "password"));
        exit(exit_code::kUsage);
        return;
    }
    auto login = std::make_shared<storage::IdexxLogin>(
        storage::IdexxLogin{companyId->trimmed(), username->trimmed(), *password});
    startVerb(kVerb, exit, [login, exit](AgentContext& ctx, const AgentConfig&) {
        ctx.logging->redactor().addSensitiveValue(login->username);
        ctx.logging->redactor().addSensitiveValue(login->password);
        ctx.credentials->save(*login, [&ctx, login, exit](Status saved) {
            login->wipe(); // in the keychain now (or not at all): no copy is kept here
            const QString outcome = saved ? QStringLiteral("configured") : saved.error().code;
            if (auto audited = ctx.audit->append(QStringLiteral("cli"), QStringLiteral("credentials.saved"),
                                                 QStringLiteral("idexx_credentials"), outcome);
                !audited)
                printVerbError(kVerb, QStringLiteral("cannot write the audit log"), audited.error());
            if (!saved) {
                printVerbError(kVerb, QStringLiteral("the credentials were not saved"), saved.error());
                const bool refused = saved.error().code == codes::kIdexxCredentialsInvalid ||
                                     saved.error().code == codes::kCredentialTransitionRefused;
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

void runStatus(const std::function<void(int)>& exit)
{
    startVerb(kVerb, exit, [exit](AgentContext& ctx, const AgentConfig&) {
        auto status = ctx.credentials->status();
        storage::NeoOriginBinding binding(ctx.db(), ctx.clock);
        auto bound = binding.bound();
        auto pending = binding.pending();
        if (!status || !bound || !pending) {
            printVerbError(kVerb, QStringLiteral("cannot read the credential state"),
                           !status  ? status.error()
                           : !bound ? bound.error()
                                    : pending.error());
            exit(exit_code::kCannotRun);
            return;
        }
        QTextStream out(stdout);
        out << "state:           " << storage::credentialStateName(status->state) << "\n";
        if (status->changedAt.isValid())
            out << "since:           " << status->changedAt.toString(Qt::ISODate) << "\n";
        if (!status->reason.isEmpty())
            out << "reason:          " << status->reason << "\n";
        if (status->unknownOutcomesInARow > 0)
            out << "unknown logins:  " << status->unknownOutcomesInARow << " in a row\n";
        out << "IDEXX Neo:       "
            << (bound->isEmpty() ? QStringLiteral("not bound yet (bound at the first successful login)")
                                 : QStringLiteral("bound to %1").arg(*bound))
            << "\n";
        if (!pending->isEmpty())
            out << "waiting:         the clinic profile names " << *pending
                << ": confirm it with `odis-agent credentials confirm-origin " << *pending << "`\n";
        const Status automatic = ctx.credentials->checkAutomaticUse();
        out << "scheduled syncs: "
            << (automatic ? QStringLiteral("may use them")
                          : QStringLiteral("may not use them (%1)").arg(automatic.error().code))
            << Qt::endl;
        exit(exit_code::kOk);
    });
}

void audit(AgentContext& ctx, const QString& action, const QString& outcome)
{
    if (auto appended =
            ctx.audit->append(QStringLiteral("cli"), action, QStringLiteral("neo_origin"), outcome);
        !appended)
        printVerbError(kVerb, QStringLiteral("cannot write the audit log"), appended.error());
}

// A person at the clinic confirms that its IDEXX Neo now lives at the origin the clinic profile names
// (storage/neo_origin_binding.h). They name it on the command line: what is confirmed is what they read.
void runConfirmOrigin(const std::optional<QString>& named, const std::function<void(int)>& exit)
{
    startVerb(kVerb, exit, [named, exit](AgentContext& ctx, const AgentConfig& config) {
        storage::NeoOriginBinding binding(ctx.db(), ctx.clock);
        auto bound = binding.bound();
        auto pending = binding.pending();
        if (!bound || !pending) {
            printVerbError(kVerb, QStringLiteral("cannot read the IDEXX Neo origin"),
                           !bound ? bound.error() : pending.error());
            exit(exit_code::kCannotRun);
            return;
        }
        QTextStream out(stdout);
        const QString boundText = bound->isEmpty() ? QStringLiteral("nowhere yet") : *bound;
        if (pending->isEmpty()) {
            out << "nothing waits for a confirmation: the IDEXX login is bound to " << boundText << Qt::endl;
            exit(named ? exit_code::kFailed : exit_code::kOk);
            return;
        }
        if (!named) {
            out << "The clinic profile names " << *pending
                << " for IDEXX Neo; the saved login was accepted at " << boundText
                << ".\nIf the clinic's IDEXX Neo really moved there, confirm it with:\n"
                << "  odis-agent credentials confirm-origin " << *pending << Qt::endl;
            exit(exit_code::kFailed);
            return;
        }
        const QString asked = sync::originText(QUrl(*named, QUrl::StrictMode));
        if (asked != *pending) {
            printUsageError(kVerb, QStringLiteral("%1 is not the address waiting for a confirmation (%2)")
                                       .arg(named->left(200), *pending));
            exit(exit_code::kFailed);
            return;
        }
        // The allow-list may have changed since the run noted it.
        auto allowed = sync::NeoOriginAllowList::create(config.neoAllowedOrigins);
        if (!allowed || !allowed->allows(QUrl(*pending))) {
            printVerbError(kVerb, QStringLiteral("the address cannot be confirmed"),
                           allowed ? Error{QString(sync::kNeoOriginNotAllowed),
                                           QStringLiteral("%1 is not an IDEXX Neo origin nor one the managed "
                                                          "configuration allows")
                                               .arg(*pending)}
                                   : allowed.error());
            exit(exit_code::kFailed);
            return;
        }
        if (auto bind = binding.bind(*pending); !bind) {
            printVerbError(kVerb, QStringLiteral("the address was not confirmed"), bind.error());
            exit(exit_code::kCannotRun);
            return;
        }
        audit(ctx, QStringLiteral("neo_origin.confirmed"), boundText + QStringLiteral(" -> ") + *pending);
        out << "confirmed: the IDEXX login is now bound to " << *pending << " (was " << boundText
            << "); the next sync logs in there" << Qt::endl;
        exit(exit_code::kOk);
    });
}

} // namespace

void runCredentialsVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    if (arguments == QStringList{QStringLiteral("set")}) {
        runSet(exit);
    } else if (arguments == QStringList{QStringLiteral("status")}) {
        runStatus(exit);
    } else if (!arguments.isEmpty() && arguments.first() == QLatin1String("confirm-origin") &&
               arguments.size() <= 2) {
        runConfirmOrigin(arguments.size() == 2 ? std::optional<QString>(arguments.at(1)) : std::nullopt,
                         exit);
    } else {
        printUsageError(kVerb,
                        QStringLiteral("use `credentials set` (three lines on standard input), "
                                       "`credentials status` or `credentials confirm-origin [<origin>]`"));
        exit(exit_code::kUsage);
    }
}

} // namespace odis::agent
