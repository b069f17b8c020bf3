// odis-backend-sim: the backend double as a program. Prints `READY <url>` on stdout, an enrollment code
// and where things are on stderr, and runs until SIGTERM/SIGINT.

#include "tests/sim/backend/backend_server.h"
#include "tests/sim/common/sim_main.h"

#include <QCommandLineParser>

#include <cstdio>

using namespace odis::sim;

int main(int argc, char** argv)
{
    const QCommandLineOption code(
        QStringLiteral("enrollment-code"),
        QStringLiteral("Enrollment code to issue at start (default: a random one)."), QStringLiteral("code"));
    const QCommandLineOption maxBytes(
        QStringLiteral("max-batch-bytes"),
        QStringLiteral("413 for batches larger than this on the wire (default 2 MiB)."),
        QStringLiteral("bytes"));
    const QCommandLineOption posthogKey(QStringLiteral("posthog-api-key"),
                                        QStringLiteral("The only api_key /batch/ accepts (default: any)."),
                                        QStringLiteral("key"));
    SimProgram program;
    program.name = QStringLiteral("odis-backend-sim");
    program.description =
        QStringLiteral("Odis backend double: the agent API v1 with fault injection, on loopback.");
    program.extraOptions = {code, maxBytes, posthogKey};
    program.create = [&](const SimOptions& options,
                         const QCommandLineParser& parser) -> odis::Result<std::unique_ptr<SimHttpServer>> {
        backend::BackendConfig config;
        config.stateDirectory = options.stateDirectory;
        config.faultSeed = options.seed;
        config.enrollmentCode = parser.value(code);
        config.limits.posthogApiKey = parser.value(posthogKey);
        if (parser.isSet(maxBytes)) {
            bool ok = false;
            config.limits.maxBatchBytes = parser.value(maxBytes).toLongLong(&ok);
            if (!ok || config.limits.maxBatchBytes <= 0)
                return odis::fail(QStringLiteral("invalid_option"),
                                  QStringLiteral("--max-batch-bytes takes a positive integer"));
        }
        auto server = backend::BackendServer::create(std::move(config));
        if (!server)
            return std::unexpected(server.error());
        return std::unique_ptr<SimHttpServer>(std::move(*server));
    };
    program.started = [](SimHttpServer& server) {
        auto& backendServer = static_cast<backend::BackendServer&>(server);
        std::fprintf(stderr, "odis-backend-sim: state %s\n", qPrintable(backendServer.stores().db->path()));
        std::fprintf(stderr, "odis-backend-sim: enrollment code %s (clinic %s)\n",
                     qPrintable(backendServer.enrollmentCode()), qPrintable(backendServer.clinicId()));
        std::fprintf(stderr, "odis-backend-sim: admin API %s/__admin/summary\n",
                     qPrintable(server.baseUrl().toString()));
    };
    return runSimulator(argc, argv, program);
}
