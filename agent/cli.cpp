#include "agent/cli.h"

#include "agent/verbs/status_verb.h"
#include "agent/verbs/verify_audit_verb.h"

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
           "Exit codes: 0 success, 1 a check failed, 2 usage error, 3 could not run (keychain, store).\n";
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
