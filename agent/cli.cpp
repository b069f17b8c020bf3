#include "agent/cli.h"

#include "agent/agent_config.h"
#include "agent/verbs/autostart_verb.h"
#include "agent/verbs/control_verbs.h"
#include "agent/verbs/credentials_verb.h"
#include "agent/verbs/diagnostics_verb.h"
#include "agent/verbs/enroll_verb.h"
#include "agent/verbs/failed_verb.h"
#include "agent/verbs/proxy_verb.h"
#include "agent/verbs/resident_verb.h"
#include "agent/verbs/status_verb.h"
#include "agent/verbs/sync_launcher.h"
#include "agent/verbs/ui_handover.h"
#include "agent/verbs/verify_audit_verb.h"

#include <QTextStream>

#include <array>

namespace odis::agent {

namespace {

struct VerbInfo
{
    const char* name;
    const char* summary;
    void (*run)(const QStringList& arguments, const std::function<void(int)>& exit);
};

const std::array kVerbs{
    VerbInfo{"status",
             "[--json]: the running agent's state (current step and progress, last success, next run,\n"
             "                 pause, outbox, failed items, credentials, alerts), or the store's when no\n"
             "                 agent runs (creating the store at first start)",
             &runStatusVerb},
    VerbInfo{"sync-now", "ask the running agent to sync now (at once; never twice for two quick requests)",
             &runSyncNowVerb},
    VerbInfo{"pause", "--for <30m|4h|2d|until-tomorrow>: pause the running agent's automatic syncs",
             &runPauseVerb},
    VerbInfo{"resume", "end a pause of the running agent", &runResumeVerb},
    VerbInfo{"quit", "stop the running agent (a run in progress is resumed by its next start)", &runQuitVerb},
    VerbInfo{"verify-audit",
             "check the audit log's hash chain against the anchor the backend acknowledged; exits 0\n"
             "                 when intact, 1 naming the first bad entry (--anchor <seq>:<hash> adds one)",
             &runVerifyAuditVerb},
    VerbInfo{
        "enroll",
        "[--code-file <file>] [--backend <https url>] [--replace]: enroll this install with the Odis\n"
        "                 backend with the code read from standard input (or the file; --code <code> too,\n"
        "                 but it shows in the process list); the token goes to the OS keychain. An enrolled\n"
        "                 install keeps its enrollment unless --replace (after Odis revoked its token; same\n"
        "                 clinic only)",
        &runEnrollVerb},
    VerbInfo{
        "credentials",
        "set | status | confirm-origin [<origin>]: save the clinic's IDEXX Neo login (company id,\n"
        "                 user name and password read from standard input, one per line) in the OS\n"
        "                 keychain, show its state, or confirm the IDEXX Neo address the clinic profile\n"
        "                 now names (syncs stop until someone at the clinic does)",
        &runCredentialsVerb},
    VerbInfo{
        "sync",
        "--once [--headless] [--trigger manual|schedule|remote|catch_up|startup]: one whole sync,\n"
        "                 IDEXX Neo to the backend, then a summary; exits 0 completed, 4 partial, 1 failed.\n"
        "                 While the agent runs, it asks the agent to sync now and waits for that run",
        &runSyncLauncherVerb},
    VerbInfo{"failed",
             "list | retry <id>|--all: the items the backend rejected, and putting them back in the outbox",
             &runFailedVerb},
    VerbInfo{"diagnostics",
             "--out <file.zip>: a bundle for Odis support (configuration without secrets, redacted logs,\n"
             "                 status, last runs); its files are listed before it is written. Never the\n"
             "                 database, keys, tokens or clinic data",
             &runDiagnosticsVerb},
    VerbInfo{"autostart", "on | off | status: start the agent when this user logs in", &runAutostartVerb},
    VerbInfo{"proxy",
             "status | set-login | clear-login: the proxy in use, and its user name and password (read\n"
             "                 from standard input, one per line) in the OS keychain",
             &runProxyVerb},
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
    out << "Usage: odis-agent [--headless]\n"
           "       odis-agent [--version] [--help] <verb> [options]\n\n"
           "The Odis Clinic Agent reads the clinic's visits and clinical notes from IDEXX Neo and uploads\n"
           "them, with the discharge calls it plans, to the Odis backend. It keeps its secrets in the OS\n"
           "keychain and everything it caches in an encrypted store in the per-user data folder.\n\n"
           "Without a verb it starts the agent for this user and keeps it running: a sync every 4 hours "
           "(the\n"
           "clinic profile's interval), caught up after sleep, the backend's heartbeat and commands. One "
           "per\n"
           "user: a second start asks the running one to show itself and exits. In a desktop session it "
           "shows a\n"
           "tray icon, the setup window and the dashboard (odis-agent-ui); --headless, or no display, runs "
           "it\n"
           "without them. Stop it with `odis-agent quit`, the tray's Quit or SIGTERM.\n\n"
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
        << AgentConfigPaths::defaults().managedDescription()
        << " (managed, wins); see agent/agent_config.h.\n\n"
           "Exit codes: 0 success, 1 a check failed, 2 usage error, 3 could not run (keychain, store; no\n"
           "agent running, for sync-now, pause, resume and quit), 4 a sync finished partially (what did not\n"
           "go through waits in the outbox).\n";
    return text;
}

ParsedCommandLine parseCommandLine(const QStringList& argv)
{
    ParsedCommandLine parsed;
    const QStringList args = argv.mid(1);
    if (args.isEmpty() || args.first().startsWith(QLatin1String("--headless"))) {
        parsed.invocation.resident = true;
        parsed.invocation.arguments = args;
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
        parsed.usageError = first.startsWith(u'-') ? QStringLiteral("unknown option '%1'").arg(first)
                                                   : QStringLiteral("unknown verb '%1'").arg(first);
        return parsed;
    }
    parsed.invocation.verb = first;
    parsed.invocation.arguments = args.mid(1);
    return parsed;
}

void runVerb(const Invocation& invocation, const std::function<void(int)>& exit)
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
    if (invocation.resident) {
        handOverToUiIfWanted(invocation.arguments); // returns when it stays headless
        runResidentVerb(invocation.arguments, exit);
        return;
    }
    const VerbInfo* verb = findVerb(invocation.verb);
    if (verb == nullptr) {
        QTextStream(stderr) << "odis-agent: unknown verb '" << invocation.verb << "'\n";
        exit(2);
        return;
    }
    verb->run(invocation.arguments, exit);
}

} // namespace odis::agent
