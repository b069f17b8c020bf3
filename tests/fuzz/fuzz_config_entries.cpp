// The agent's configuration files under the fuzzer: whatever a user or IT writes into them.

#include "agent/agent_config.h"
#include "tests/fuzz/fuzz_checks.h"
#include "tests/fuzz/fuzz_entries.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace odis::fuzz {

namespace {

// The enrollment code in the input, if it has one: no error may print it.
QString enrollmentCodeIn(QByteArrayView input)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(input.data(), input.size()));
    return document.object()
        .value(QStringLiteral("enrollment"))
        .toObject()
        .value(QStringLiteral("code"))
        .toString();
}

QString checkLayer(QByteArrayView input, agent::ConfigLayerKind kind)
{
    const QString source = QStringLiteral("/etc/odis-agent/config.json");
    const auto layer = agent::parseAgentConfigLayer(QByteArray(input.data(), input.size()), source, kind);
    if (!layer) {
        if (layer.error().code != agent::kConfigInvalid)
            return QStringLiteral("configuration refused with %1").arg(layer.error().code.left(40));
        if (QString problem = checkError(layer.error()); !problem.isEmpty())
            return problem;
        // An error names what it refuses, an unknown key for one: when the code's text is also somewhere
        // else in the file (the fuzzer wrote it into a key name), that echo is not the code printed.
        const QString code = enrollmentCodeIn(input);
        const bool onlyAsTheCode = QByteArray(input.data(), input.size()).count(code.toUtf8()) == 1;
        if (code.size() >= 4 && onlyAsTheCode && layer.error().message.contains(code))
            return QStringLiteral("an error prints the enrollment code");
        return {};
    }
    if (kind == agent::ConfigLayerKind::User && layer->neoAllowedOrigins)
        return QStringLiteral("a user file widened the Neo origins");
    const auto config = agent::resolveAgentConfig({*layer});
    if (!config)
        return config.error().code == agent::kConfigInvalid
                   ? checkError(config.error())
                   : QStringLiteral("resolved with %1").arg(config.error().code);
    if (config->backendUrl.scheme() != QLatin1String("https"))
        return QStringLiteral("a backend URL that is not https accepted");
    if (config->transferTimeout.count() < 1 || config->totalTimeout < config->transferTimeout)
        return QStringLiteral("time-outs %1 s / %2 s accepted")
            .arg(config->transferTimeout.count())
            .arg(config->totalTimeout.count());
    return {};
}

} // namespace

QString fuzzAgentConfig(QByteArrayView input)
{
    if (QString problem = checkLayer(input, agent::ConfigLayerKind::User); !problem.isEmpty())
        return QStringLiteral("user file: ") + problem;
    if (QString problem = checkLayer(input, agent::ConfigLayerKind::Managed); !problem.isEmpty())
        return QStringLiteral("managed file: ") + problem;
    return {};
}

} // namespace odis::fuzz
