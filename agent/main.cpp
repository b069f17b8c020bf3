#include "agent/cli.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Odis"));
    QCoreApplication::setApplicationName(QStringLiteral("odis-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ODIS_VERSION));
    return odis::agent::runCli(QCoreApplication::arguments());
}
