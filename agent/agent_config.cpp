#include "agent/agent_config.h"

#include "agent/managed/platform_policy_store.h"
#include "agent/managed/policy_reader.h"
#include "agent/test_hooks.h"
#include "storage/private_files.h"
#include "sync/backend/enrollment.h"
#include "sync/core/neo_origin_allow_list.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>
#include <array>
#include <cmath>

namespace odis::agent {

namespace {

std::unexpected<Error> invalid(const QString& source, const QString& key, const QString& problem)
{
    return fail(QString(kConfigInvalid), key.isEmpty()
                                             ? QStringLiteral("%1: %2").arg(source, problem)
                                             : QStringLiteral("%1: %2 %3").arg(source, key, problem));
}

[[nodiscard]] Status onlyKnownKeys(const QJsonObject& object, const QSet<QString>& known,
                                   const QString& prefix, const QString& source)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(source, prefix + it.key(), QStringLiteral("is not a known setting"));
    }
    return ok();
}

[[nodiscard]] Result<std::optional<QString>> stringAt(const QJsonObject& object, const QString& key,
                                                      const QString& path, const QString& source)
{
    if (!object.contains(key))
        return std::nullopt;
    const QJsonValue value = object.value(key);
    if (!value.isString())
        return invalid(source, path, QStringLiteral("must be a string"));
    return value.toString();
}

[[nodiscard]] Result<std::optional<QUrl>> httpsUrlAt(const QJsonObject& object, const QString& key,
                                                     const QString& path, const QString& source)
{
    auto text = stringAt(object, key, path, source);
    if (!text || !*text)
        return text ? Result<std::optional<QUrl>>(std::nullopt) : propagate(text);
    const QUrl url(**text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty() || url.hasQuery() ||
        url.hasFragment() || !url.userInfo().isEmpty())
        return invalid(source, path, QStringLiteral("must be an https URL without user, query or fragment"));
    return url;
}

// A file name relative to the configuration file that names it.
[[nodiscard]] Result<std::optional<QString>> fileAt(const QJsonObject& object, const QString& key,
                                                    const QString& path, const QString& source)
{
    auto text = stringAt(object, key, path, source);
    if (!text || !*text)
        return text;
    if ((*text)->isEmpty())
        return invalid(source, path, QStringLiteral("must name a file"));
    return QDir::cleanPath(QFileInfo(source).absoluteDir().absoluteFilePath(**text));
}

// A pin is the base64 of a SHA-256 (32 bytes).
[[nodiscard]] Result<std::optional<QStringList>> pinsAt(const QJsonObject& object, const QString& source)
{
    const QString path = QStringLiteral("backend.spki_pins");
    if (!object.contains(QStringLiteral("spki_pins")))
        return std::nullopt;
    const QJsonValue value = object.value(QStringLiteral("spki_pins"));
    if (!value.isArray())
        return invalid(source, path, QStringLiteral("must be a list of strings"));
    QStringList pins;
    for (const QJsonValue pin : value.toArray()) {
        const auto decoded = QByteArray::fromBase64Encoding(pin.toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!pin.isString() || !decoded || decoded.decoded.size() != 32)
            return invalid(source, path,
                           QStringLiteral("entries must be base64 SHA-256 digests (44 characters)"));
        pins << pin.toString();
    }
    return pins;
}

// Whole seconds in [1, max].
[[nodiscard]] Result<std::optional<std::chrono::seconds>> secondsAt(const QJsonObject& object,
                                                                    const QString& key, const QString& path,
                                                                    qint64 max, const QString& source)
{
    if (!object.contains(key))
        return std::nullopt;
    const QJsonValue value = object.value(key);
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != std::floor(number) || number < 1 || number > double(max))
        return invalid(source, path,
                       QStringLiteral("must be a whole number of seconds from 1 to %1").arg(max));
    return std::chrono::seconds(qint64(number));
}

const std::array kLevels{
    std::pair{"trace", spdlog::level::trace}, std::pair{"debug", spdlog::level::debug},
    std::pair{"info", spdlog::level::info},   std::pair{"warn", spdlog::level::warn},
    std::pair{"error", spdlog::level::err},   std::pair{"critical", spdlog::level::critical},
    std::pair{"off", spdlog::level::off},
};

[[nodiscard]] Status readBackend(const QJsonObject& backend, const QString& source, AgentConfigLayer& layer)
{
    if (auto known =
            onlyKnownKeys(backend,
                          {QStringLiteral("url"), QStringLiteral("ca_file"), QStringLiteral("spki_pins"),
                           QStringLiteral("transfer_timeout_s"), QStringLiteral("total_timeout_s")},
                          QStringLiteral("backend."), source);
        !known)
        return known;
    auto url = httpsUrlAt(backend, QStringLiteral("url"), QStringLiteral("backend.url"), source);
    auto ca = fileAt(backend, QStringLiteral("ca_file"), QStringLiteral("backend.ca_file"), source);
    auto pins = pinsAt(backend, source);
    if (!url || !ca || !pins)
        return std::unexpected(!url ? url.error() : !ca ? ca.error() : pins.error());
    auto transfer = secondsAt(backend, QStringLiteral("transfer_timeout_s"),
                              QStringLiteral("backend.transfer_timeout_s"), 600, source);
    auto total = secondsAt(backend, QStringLiteral("total_timeout_s"),
                           QStringLiteral("backend.total_timeout_s"), 3600, source);
    if (!transfer || !total)
        return std::unexpected(!transfer ? transfer.error() : total.error());
    layer.backendUrl = *url;
    layer.backendCaFile = *ca;
    layer.spkiPins = *pins;
    layer.transferTimeout = *transfer;
    layer.totalTimeout = *total;
    return ok();
}

// neo.allowed_origins: IT's alone (agent_config.h).
[[nodiscard]] Result<std::optional<QStringList>> allowedOriginsAt(const QJsonObject& neo,
                                                                  const QString& source, ConfigLayerKind kind)
{
    const QString path = QStringLiteral("neo.allowed_origins");
    if (!neo.contains(QStringLiteral("allowed_origins")))
        return std::nullopt;
    if (kind != ConfigLayerKind::Managed)
        return invalid(source, path,
                       QStringLiteral("may only be set in the managed configuration (%1)")
                           .arg(AgentConfigPaths::defaults().managedDescription()));
    const QJsonValue value = neo.value(QStringLiteral("allowed_origins"));
    if (!value.isArray())
        return invalid(source, path, QStringLiteral("must be a list of strings"));
    QStringList origins;
    for (const QJsonValue entry : value.toArray()) {
        if (!entry.isString())
            return invalid(source, path, QStringLiteral("must be a list of strings"));
        if (auto checked = sync::NeoOriginAllowList::checkEntry(entry.toString()); !checked)
            return invalid(source, path, QStringLiteral("holds a bad entry: ") + checked.error().message);
        origins << entry.toString();
    }
    return origins;
}

[[nodiscard]] Status readNeo(const QJsonObject& neo, const QString& source, ConfigLayerKind kind,
                             AgentConfigLayer& layer)
{
    if (auto known = onlyKnownKeys(neo,
                                   {QStringLiteral("base_url"), QStringLiteral("selector_profile"),
                                    QStringLiteral("allowed_origins")},
                                   QStringLiteral("neo."), source);
        !known)
        return known;
    auto origins = allowedOriginsAt(neo, source, kind);
    if (!origins)
        return propagate(origins);
    layer.neoAllowedOrigins = *origins;
    auto url = httpsUrlAt(neo, QStringLiteral("base_url"), QStringLiteral("neo.base_url"), source);
    auto profile =
        fileAt(neo, QStringLiteral("selector_profile"), QStringLiteral("neo.selector_profile"), source);
    if (!url || !profile)
        return std::unexpected(!url ? url.error() : profile.error());
    layer.neoBaseUrl = *url;
    layer.selectorProfileFile = *profile;
    return ok();
}

[[nodiscard]] Status readTelemetry(const QJsonObject& telemetry, const QString& source,
                                   AgentConfigLayer& layer)
{
    if (auto known = onlyKnownKeys(
            telemetry,
            {QStringLiteral("enabled"), QStringLiteral("posthog_host"), QStringLiteral("posthog_api_key")},
            QStringLiteral("telemetry."), source);
        !known)
        return known;
    if (telemetry.contains(QStringLiteral("enabled"))) {
        if (!telemetry.value(QStringLiteral("enabled")).isBool())
            return invalid(source, QStringLiteral("telemetry.enabled"),
                           QStringLiteral("must be true or false"));
        layer.telemetryEnabled = telemetry.value(QStringLiteral("enabled")).toBool();
    }
    auto host = httpsUrlAt(telemetry, QStringLiteral("posthog_host"),
                           QStringLiteral("telemetry.posthog_host"), source);
    auto key = stringAt(telemetry, QStringLiteral("posthog_api_key"),
                        QStringLiteral("telemetry.posthog_api_key"), source);
    if (!host || !key)
        return std::unexpected(!host ? host.error() : key.error());
    layer.posthogHost = *host;
    layer.posthogApiKey = *key;
    return ok();
}

[[nodiscard]] Status readProxy(const QJsonObject& proxy, const QString& source, AgentConfigLayer& layer)
{
    if (auto known = onlyKnownKeys(proxy, {QStringLiteral("url")}, QStringLiteral("proxy."), source); !known)
        return known;
    auto text = stringAt(proxy, QStringLiteral("url"), QStringLiteral("proxy.url"), source);
    if (!text || !*text)
        return text ? ok() : Status(propagate(text));
    const QString value = **text;
    if (value == QLatin1String("system") || value == QLatin1String("direct")) {
        layer.proxy = value;
        return ok();
    }
    const QUrl url(value, QUrl::StrictMode);
    if (!url.userInfo().isEmpty())
        return invalid(source, QStringLiteral("proxy.url"),
                       QStringLiteral("must not hold a user or password: they go in the OS keychain "
                                      "(odis-agent proxy set-login)"));
    const bool schemeOk = url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("socks5");
    if (!url.isValid() || !schemeOk || url.host().isEmpty() || url.port() < 1 || url.hasQuery() ||
        url.hasFragment() || (!url.path().isEmpty() && url.path() != QLatin1String("/")))
        return invalid(
            source, QStringLiteral("proxy.url"),
            QStringLiteral("must be \"system\", \"direct\", or http://host:port or socks5://host:port"));
    layer.proxy = value;
    return ok();
}

// A code is typed by IT into a command line, a registry value or a profile: printable ASCII, no spaces.
[[nodiscard]] Status readEnrollment(const QJsonObject& enrollment, const QString& source,
                                    AgentConfigLayer& layer)
{
    if (auto known =
            onlyKnownKeys(enrollment, {QStringLiteral("code")}, QStringLiteral("enrollment."), source);
        !known)
        return known;
    auto code = stringAt(enrollment, QStringLiteral("code"), QStringLiteral("enrollment.code"), source);
    if (!code)
        return propagate(code);
    if (!*code)
        return ok();
    // The shape `enroll --code` takes, so IT learns of a mistyped code when the file is read, not when
    // the backend refuses it.
    if (auto shaped = sync::checkEnrollmentCode(**code); !shaped)
        return invalid(source, QStringLiteral("enrollment.code"), shaped.error().message);
    layer.enrollmentCode = **code;
    return ok();
}

[[nodiscard]] Result<QJsonObject> sectionAt(const QJsonObject& root, const QString& key,
                                            const QString& source)
{
    const QJsonValue value = root.value(key);
    if (value.isUndefined())
        return QJsonObject();
    if (!value.isObject())
        return invalid(source, key, QStringLiteral("must be an object"));
    return value.toObject();
}

[[nodiscard]] Result<QJsonObject> readObjectFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return invalid(path, {}, QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        return invalid(
            path, {},
            QStringLiteral("is not valid JSON at offset %1 (%2)").arg(error.offset).arg(error.errorString()));
    if (!document.isObject())
        return invalid(path, {}, QStringLiteral("must hold a JSON object"));
    return document.object();
}

} // namespace

AgentConfigPaths AgentConfigPaths::defaults()
{
    AgentConfigPaths paths;
    paths.userFile =
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/config.json");
    if (const QString override = testHook(kManagedConfigVariable); !override.isEmpty()) {
        // A file instead of the platform's managed file or policy store (the tests and the demo).
        paths.managedFile = QFileInfo(override).absoluteFilePath();
        return paths;
    }
#if !defined(Q_OS_WIN) && !defined(Q_OS_MACOS)
    paths.managedFile = QStringLiteral("/etc/odis-agent/config.json");
#endif
    paths.managedStore = managed::defaultPolicyStore();
    return paths;
}

QString AgentConfigPaths::managedDescription() const
{
    return managedStore ? managedStore->description() : managedFile;
}

Result<AgentConfigLayer> parseAgentConfigLayer(const QByteArray& json, const QString& source,
                                               ConfigLayerKind kind)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(source, {}, QStringLiteral("must hold a JSON object"));
    const QJsonObject root = document.object();
    if (auto known = onlyKnownKeys(root,
                                   {QStringLiteral("backend"), QStringLiteral("neo"),
                                    QStringLiteral("telemetry"), QStringLiteral("proxy"),
                                    QStringLiteral("log_level"), QStringLiteral("enrollment")},
                                   {}, source);
        !known)
        return propagate(known);

    AgentConfigLayer layer;
    layer.source = source;
    auto backend = sectionAt(root, QStringLiteral("backend"), source);
    auto neo = sectionAt(root, QStringLiteral("neo"), source);
    auto telemetry = sectionAt(root, QStringLiteral("telemetry"), source);
    auto proxy = sectionAt(root, QStringLiteral("proxy"), source);
    auto enrollment = sectionAt(root, QStringLiteral("enrollment"), source);
    if (!backend || !neo || !telemetry || !proxy || !enrollment)
        return std::unexpected(!backend     ? backend.error()
                               : !neo       ? neo.error()
                               : !telemetry ? telemetry.error()
                               : !proxy     ? proxy.error()
                                            : enrollment.error());
    for (Status read : {readBackend(*backend, source, layer), readNeo(*neo, source, kind, layer),
                        readTelemetry(*telemetry, source, layer), readProxy(*proxy, source, layer),
                        readEnrollment(*enrollment, source, layer)}) {
        if (!read)
            return propagate(read);
    }
    auto level = stringAt(root, QStringLiteral("log_level"), QStringLiteral("log_level"), source);
    if (!level)
        return propagate(level);
    if (*level) {
        for (const auto& [name, value] : kLevels) {
            if (**level == QLatin1StringView(name))
                layer.logLevel = value;
        }
        if (!layer.logLevel)
            return invalid(source, QStringLiteral("log_level"),
                           QStringLiteral("must be one of trace, debug, info, warn, error, critical, off"));
    }
    return layer;
}

Result<AgentConfig> resolveAgentConfig(const QList<AgentConfigLayer>& layers)
{
    AgentConfig config;
    for (const AgentConfigLayer& layer : layers) {
        config.sources << layer.source;
        config.backendUrl = layer.backendUrl.value_or(config.backendUrl);
        config.backendCaFile = layer.backendCaFile.value_or(config.backendCaFile);
        config.spkiPins = layer.spkiPins.value_or(config.spkiPins);
        config.transferTimeout = layer.transferTimeout.value_or(config.transferTimeout);
        config.totalTimeout = layer.totalTimeout.value_or(config.totalTimeout);
        config.neoBaseUrl = layer.neoBaseUrl.value_or(config.neoBaseUrl);
        config.selectorProfileFile = layer.selectorProfileFile.value_or(config.selectorProfileFile);
        config.neoAllowedOrigins = layer.neoAllowedOrigins.value_or(config.neoAllowedOrigins);
        config.telemetryEnabled = layer.telemetryEnabled.value_or(config.telemetryEnabled);
        config.posthogHost = layer.posthogHost.value_or(config.posthogHost);
        config.posthogApiKey = layer.posthogApiKey.value_or(config.posthogApiKey);
        config.logLevel = layer.logLevel.value_or(config.logLevel);
        if (layer.proxy) {
            config.proxyDirect = *layer.proxy == QLatin1String("direct");
            config.proxyUrl =
                config.proxyDirect || *layer.proxy == QLatin1String("system") ? QUrl() : QUrl(*layer.proxy);
        }
        if (layer.enrollmentCode) {
            config.enrollmentCode = *layer.enrollmentCode;
            config.enrollmentCodeSource = layer.source;
        }
    }
    if (config.totalTimeout < config.transferTimeout)
        return invalid(config.sources.join(QStringLiteral(", ")), QStringLiteral("backend.total_timeout_s"),
                       QStringLiteral("(%1) is shorter than backend.transfer_timeout_s (%2)")
                           .arg(config.totalTimeout.count())
                           .arg(config.transferTimeout.count()));
    return config;
}

sync::BackendConfig AgentConfig::backend(const std::optional<QUrl>& url) const
{
    sync::BackendConfig backend;
    backend.baseUrl = url.value_or(backendUrl);
    backend.caFile = backendCaFile;
    backend.spkiPins = spkiPins;
    backend.transferTimeout = transferTimeout;
    backend.totalTimeout = totalTimeout;
    backend.proxy = networkProxy;
    return backend;
}

Result<AgentConfig> loadAgentConfig(const AgentConfigPaths& paths)
{
    QList<AgentConfigLayer> layers;
    for (const auto& [path, kind] : {std::pair{paths.userFile, ConfigLayerKind::User},
                                     std::pair{paths.managedFile, ConfigLayerKind::Managed}}) {
        if (path.isEmpty() || !QFileInfo::exists(path))
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return invalid(path, {}, QStringLiteral("cannot be read (%1)").arg(file.errorString()));
        auto layer = parseAgentConfigLayer(file.readAll(), path, kind);
        if (!layer)
            return propagate(layer);
        layers << *layer;
    }
    if (paths.managedStore) {
        auto layer = managed::readPolicyLayer(*paths.managedStore);
        if (!layer)
            return propagate(layer);
        layers << *layer;
    }
    return resolveAgentConfig(layers);
}

Status saveUserBackendUrl(const QString& userFile, const QUrl& url)
{
    QJsonObject root;
    if (QFileInfo::exists(userFile)) {
        auto existing = readObjectFile(userFile);
        if (!existing)
            return propagate(existing);
        if (auto valid = parseAgentConfigLayer(QJsonDocument(*existing).toJson(), userFile); !valid)
            return propagate(valid);
        root = *existing;
    }
    QJsonObject backend = root.value(QStringLiteral("backend")).toObject();
    backend.insert(QStringLiteral("url"), url.toString());
    root.insert(QStringLiteral("backend"), backend);
    // The user's own settings: owner-only, like everything the agent writes for itself.
    if (auto written = storage::writePrivateFile(userFile, QJsonDocument(root).toJson()); !written)
        return invalid(userFile, {}, QStringLiteral("cannot be written (%1)").arg(written.error().message));
    return ok();
}

QString logLevelName(spdlog::level::level_enum level)
{
    for (const auto& [name, value] : kLevels) {
        if (value == level)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("info");
}

} // namespace odis::agent
