// A child process for tst_keychain: runs the credential store or the start-up probe in whatever
// environment the test gives it (no session bus, a bus without a keyring, ...) and prints what
// happened as one JSON object per line.
//   keychain_probe_helper read [timeout-ms]               one KeychainStore::read
//   keychain_probe_helper probe <retry-ms> [timeout-ms]   KeychainProbe with that retry delay
// timeout-ms: the store's deadline per keychain call (default: the store's own).

#include "storage/keychain_probe.h"
#include "storage/keychain_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <cstdio>

namespace {

void emitLine(const QJsonObject& line)
{
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QJsonObject describe(const odis::Status& status)
{
    return {{QStringLiteral("ok"), status.has_value()},
            {QStringLiteral("code"), status ? QString() : status.error().code},
            {QStringLiteral("message"), status ? QString() : status.error().message}};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2)
        qFatal("usage: keychain_probe_helper read | probe <retry-ms>");

    const int timeoutArg = args.at(1) == QStringLiteral("read") ? 2 : 3;
    const auto timeout = args.size() > timeoutArg ? std::chrono::milliseconds(args.at(timeoutArg).toInt())
                                                  : odis::storage::KeychainIo::kDefaultTimeout;
    odis::storage::KeychainStore store(QUuid::createUuid(), timeout);
    QElapsedTimer clock;
    clock.start();

    if (args.at(1) == QStringLiteral("read")) {
        store.read(odis::storage::secret::kAgentToken, [&](odis::Result<std::optional<QByteArray>> read) {
            QJsonObject line = describe(read ? odis::ok() : odis::Status(std::unexpected(read.error())));
            line.insert(QStringLiteral("event"), QStringLiteral("read"));
            line.insert(QStringLiteral("elapsed_ms"), clock.elapsed());
            emitLine(line);
            QCoreApplication::exit(0);
        });
        return QCoreApplication::exec();
    }

    if (args.at(1) != QStringLiteral("probe") || args.size() < 3)
        qFatal("unknown mode");
    odis::storage::KeychainProbe probe(store, std::chrono::milliseconds(args.at(2).toInt()));
    probe.setRetryObserver([&](const odis::Error& error) {
        QJsonObject line = describe(std::unexpected(error));
        line.insert(QStringLiteral("event"), QStringLiteral("retry"));
        line.insert(QStringLiteral("attempts"), probe.attempts());
        line.insert(QStringLiteral("elapsed_ms"), clock.elapsed());
        emitLine(line);
    });
    probe.run([&](odis::Status result) {
        QJsonObject line = describe(result);
        line.insert(QStringLiteral("event"), QStringLiteral("done"));
        line.insert(QStringLiteral("attempts"), probe.attempts());
        line.insert(QStringLiteral("elapsed_ms"), clock.elapsed());
        emitLine(line);
        QCoreApplication::exit(0);
    });
    return QCoreApplication::exec();
}
