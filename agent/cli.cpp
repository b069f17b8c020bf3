#include "agent/cli.h"

#include "agent/agent_config.h"
#include "agent/verbs/credentials_verb.h"
#include "agent/verbs/enroll_verb.h"
#include "agent/verbs/failed_verb.h"
#include "agent/verbs/status_verb.h"
#include "agent/verbs/sync_verb.h"
#include "agent/verbs/verify_audit_verb.h"
#include "sync/neo/chromium_logging.h"

#include <QTextStream>

#include <array>

namespace odis::agent {

namespace {

struct VerbInfo
{
    const char* name;
    const char* summary;
    bool needsGui;
    void (*run)(const QStringList& arguments, std::function<void(int)> exit);
};

const std::array kVerbs{
    VerbInfo{"status", "open (or create) this install's encrypted store and print its state", false,
             &runStatusVerb},
    VerbInfo{"verify-audit",
             "check the audit log's hash chain; exits 0 when intact, 1 naming the first bad entry\n"
             "                 (--anchor <seq>:<hash> also checks against a head the backend acknowledged)",
             false, &runVerifyAuditVerb},
    VerbInfo{
        "enroll",
        "[--code-file <file>] [--backend <https url>] [--replace]: enroll this install with the Odis\n"
        "                 backend with the code read from standard input (or the file; --code <code> too,\n"
        "                 but it shows in the process list); the token goes to the OS keychain. An enrolled\n"
        "                 install keeps its enrollment unless --replace (after Odis revoked its token; same\n"
        "                 clinic only)",
        false, &runEnrollVerb},
    VerbInfo{
        "credentials",
        "set | status | confirm-origin [<origin>]: save the clinic's IDEXX Neo login (company id,\n"
        "                 user name and password read from standard input, one per line) in the OS\n"
        "                 keychain, show its state, or confirm the IDEXX Neo address the clinic profile\n"
        "                 now names (syncs stop until someone at the clinic does)",
        false, &runCredentialsVerb},
    VerbInfo{
        "sync",
        "--once [--headless] [--trigger manual|schedule|remote|catch_up|startup]: one whole sync,\n"
        "                 IDEXX Neo to the backend, then a summary; exits 0 completed, 4 partial, 1 failed",
        true, &runSyncVerb},
    VerbInfo{"failed",
             "list | retry <id>|--all: the items the backend rejected, and putting them back in the outbox",
             false, &runFailedVerb},
};

const VerbInfo* findVerb(const QString& name)
{
    for (const VerbInfo& verb : kVerbs) {
        if (name == QLatin1String(verb.name))
            return &verb;
    }
    return nullptr;
}

} // namespace

QString usageText()
{
    QString text;
    QTextStream out(&text);
    out << "Usage: odis-agent [--version] [--help] <verb> [options]\n\n"
           "The Odis Clinic Agent reads the clinic's visits and clinical notes from IDEXX Neo and uploads\n"
           "them, with the discharge calls it plans, to the Odis backend. It keeps its secrets in the OS\n"
           "keychain and everything it caches in an encrypted store in the per-user data folder.\n\n"
           "Verbs:\n";
    for (const VerbInfo& verb : kVerbs)
        out << "  " << QString::fromLatin1(verb.name).leftJustified(14) << " " << verb.summary << "\n";
    out << "\nOptions:\n"
           "  --version      print the version and exit\n"
           "  --help         print this text and exit\n\n"
           "Configuration: "
        << AgentConfigPaths::defaults().userFile
        << " (per user) and\n"
           "  "
        << AgentConfigPaths::defaults().managedFile
        << " (managed, wins); see agent/agent_config.h.\n\n"
           "Exit codes: 0 success, 1 a check failed, 2 usage error, 3 could not run (keychain, store),\n"
           "4 a sync finished partially (what did not go through waits in the outbox).\n";
    return text;
}

ParsedCommandLine parseCommandLine(const QStringList& argv)
{
    ParsedCommandLine parsed;
    const QStringList args = argv.mid(1);
    if (args.isEmpty()) {
        parsed.usageError = QStringLiteral("no verb given");
        return parsed;
    }
    const QString& first = args.first();
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        parsed.invocation.showVersion = true;
        return parsed;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        parsed.invocation.showHelp = true;
        return parsed;
    }
    if (findVerb(first) == nullptr) {
        parsed.usageError = QStringLiteral("unknown verb '%1'").arg(first);
        return parsed;
    }
    parsed.invocation.verb = first;
    parsed.invocation.arguments = args.mid(1);
    return parsed;
}

bool verbNeedsGui(const QString& verb)
{
    const VerbInfo* info = findVerb(verb);
    return info != nullptr && info->needsGui;
}

void prepareGuiPlatform(const Invocation& invocation)
{
    if (!verbNeedsGui(invocation.verb))
        return;
    // Chromium's own output would bypass the log's redaction (sync/neo/chromium_logging.h).
    sync::quietChromiumLogging();
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return;
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    const bool display =
        !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    const bool display = true;
#endif
    // QtWebEngine renders the Neo page without a window, so a headless run never touches the desktop,
    // and a service session or a server without a display runs offscreen (where Qt would otherwise abort).
    const bool headless =
        invocation.verb == QLatin1String("sync") && syncArgumentsHeadless(invocation.arguments);
    if (headless || !display)
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void runVerb(const Invocation& invocation, std::function<void(int)> exit)
{
    QTextStream out(stdout);
    if (invocation.showVersion) {
        out << "odis-agent " << ODIS_VERSION << Qt::endl;
        exit(0);
        return;
    }
    if (invocation.showHelp) {
        out << usageText();
        out.flush();
        exit(0);
        return;
    }
    const VerbInfo* verb = findVerb(invocation.verb);
    if (verb == nullptr) {
        QTextStream(stderr) << "odis-agent: unknown verb '" << invocation.verb << "'\n";
        exit(2);
        return;
    }
    verb->run(invocation.arguments, std::move(exit));
}

} // namespace odis::agent
