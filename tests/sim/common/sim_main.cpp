#include "tests/sim/common/sim_main.h"

#include "tests/sim/common/sim_http_server.h"
#include "tests/sim/common/termination_signals.h"
#include "tests/sim/common/test_pki.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>

#include <cstdio>

namespace odis::sim {

namespace {

void printError(const QString& program, const QString& message)
{
    std::fprintf(stderr, "%s: %s\n", qPrintable(program), qPrintable(message));
}

} // namespace

int runSimulator(int argc, char** argv, const SimProgram& program)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(program.name);

    QCommandLineParser parser;
    parser.setApplicationDescription(program.description);
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port on 127.0.0.1 (0: any free port)."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption plain(QStringLiteral("plain-http"),
                                   QStringLiteral("Serve plain HTTP instead of HTTPS."));
    const QCommandLineOption tlsDir(
        QStringLiteral("tls-dir"),
        QStringLiteral("Test PKI directory (ca.pem, server.pem, server.key); created "
                       "when absent. Default: <temp>/odis-sim-pki."),
        QStringLiteral("dir"));
    const QCommandLineOption stateDir(
        QStringLiteral("state-dir"),
        QStringLiteral("Where the simulator keeps its state. Default: <temp>/") + program.name +
            QStringLiteral("-state."),
        QStringLiteral("dir"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the fault plan's random draws."),
                                  QStringLiteral("n"), QStringLiteral("1"));
    parser.addOptions({port, plain, tlsDir, stateDir, seed});
    parser.addOptions(program.extraOptions);
    parser.process(app);

    SimOptions options;
    bool portOk = false;
    bool seedOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    options.seed = parser.value(seed).toULongLong(&seedOk);
    if (!portOk || portValue > 65535 || !seedOk) {
        printError(program.name, QStringLiteral("--port takes 0..65535 and --seed a non-negative integer"));
        return 2;
    }
    options.port = static_cast<quint16>(portValue);
    options.plainHttp = parser.isSet(plain);
    options.tlsDirectory =
        parser.isSet(tlsDir) ? parser.value(tlsDir) : QDir::tempPath() + QStringLiteral("/odis-sim-pki");
    options.stateDirectory = parser.isSet(stateDir)
                                 ? parser.value(stateDir)
                                 : QDir::tempPath() + u'/' + program.name + QStringLiteral("-state");

    TerminationSignals termination;
    if (auto installed = termination.install(); !installed) {
        printError(program.name, installed.error().toString());
        return 1;
    }
    QObject::connect(&termination, &TerminationSignals::received, &app,
                     [](int) { QCoreApplication::quit(); });

    auto server = program.create(options, parser);
    if (!server) {
        printError(program.name, server.error().toString());
        return 1;
    }
    if (!options.plainHttp) {
        auto pki = TestPki::loadOrCreate(options.tlsDirectory);
        if (!pki) {
            printError(program.name, pki.error().toString());
            return 1;
        }
        (*server)->useTls(*pki);
        std::fprintf(stderr, "%s: CA certificate %s\n", qPrintable(program.name),
                     qPrintable(pki->caCertificatePath()));
    }
    auto url = (*server)->start(options.port);
    if (!url) {
        printError(program.name, url.error().toString());
        return 1;
    }
    std::fprintf(stdout, "READY %s\n", qPrintable(url->toString()));
    std::fflush(stdout);
    if (program.started)
        program.started(**server);
    std::fflush(stderr);

    const int code = app.exec();
    server->reset(); // closes connections and the store before the application object goes away
    return code;
}

} // namespace odis::sim
