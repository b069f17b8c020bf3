#pragma once

#include "storage/result.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QCommandLineParser;

namespace odis::sim {

class SimHttpServer;

// The options every simulator executable shares.
struct SimOptions
{
    quint16 port = 0;       // --port, 0 = any free port
    bool plainHttp = false; // --plain-http
    QString tlsDirectory;   // --tls-dir, created when absent
    QString stateDirectory; // --state-dir (empty when the simulator keeps no state)
    quint64 seed = 1;       // --seed, for the fault plan's random draws
};

struct SimProgram
{
    QString name;        // "odis-backend-sim"
    QString description; // one line for --help
    QList<QCommandLineOption> extraOptions;
    // Builds the server from the parsed options; it is started right after.
    std::function<Result<std::unique_ptr<SimHttpServer>>(const SimOptions&, const QCommandLineParser&)>
        create;
    // After the READY line: extra hints for a person, to stderr (stdout carries only READY).
    std::function<void(SimHttpServer&)> started;
};

// Runs a simulator: parses the shared CLI, loads or creates the test PKI, starts the server on 127.0.0.1,
// prints exactly one line to stdout, `READY <base url>`, and runs until SIGTERM or SIGINT, then exits 0.
// Exit code 2 for bad usage, 1 when the simulator cannot start (reason on stderr).
int runSimulator(int argc, char** argv, const SimProgram& program);

} // namespace odis::sim
