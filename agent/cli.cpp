#include "agent/cli.h"

#include <QTextStream>

namespace odis::agent {

QString usageText()
{
    return QStringLiteral(
        "Usage: odis-agent [--version] [--help] <verb> [options]\n"
        "\n"
        "The Odis Clinic Agent reads the clinic's visits and clinical notes from IDEXX Neo and uploads\n"
        "them, with the discharge calls it plans, to the Odis backend.\n"
        "\n"
        "Verbs:\n"
        "  status         open (or create) the encrypted store and print its state\n"
        "\n"
        "Options:\n"
        "  --version      print the version and exit\n"
        "  --help         print this text and exit\n");
}

int runCli(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList args = arguments.mid(1);
    if (args.contains(QStringLiteral("--version"))) {
        out << "odis-agent " << ODIS_VERSION << Qt::endl;
        return 0;
    }
    if (args.isEmpty() || args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        out << usageText();
        return args.isEmpty() ? 2 : 0;
    }
    err << "odis-agent: unknown verb '" << args.first() << "'\n\n" << usageText();
    return 2;
}

} // namespace odis::agent
