#include "ui/user_settings.h"

#include "agent/managed/policy_reader.h"
#include "agent/managed/policy_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace odis::ui {

namespace {

Error invalid(const QString& file, const QString& why)
{
    return Error{QString(agent::kConfigInvalid), QStringLiteral("%1: %2").arg(file, why)};
}

void merge(ManagedSettings& managed, const agent::AgentConfigLayer& layer)
{
    managed.telemetry = managed.telemetry || layer.telemetryEnabled.has_value();
    managed.logLevel = managed.logLevel || layer.logLevel.has_value();
}

} // namespace

Result<ManagedSettings> readManagedSettings(const agent::AgentConfigPaths& paths)
{
    ManagedSettings managed;
    managed.source = paths.managedDescription();
    if (!paths.managedFile.isEmpty() && QFileInfo::exists(paths.managedFile)) {
        QFile file(paths.managedFile);
        if (!file.open(QIODevice::ReadOnly))
            return std::unexpected(invalid(paths.managedFile, QStringLiteral("cannot be read")));
        auto layer = agent::parseAgentConfigLayer(file.readAll(), paths.managedFile);
        if (!layer)
            return propagate(layer);
        merge(managed, *layer);
    }
    if (paths.managedStore) {
        auto layer = agent::managed::readPolicyLayer(*paths.managedStore);
        if (!layer)
            return propagate(layer);
        merge(managed, *layer);
    }
    return managed;
}

Status saveUserSetting(const QString& userFile, const QString& section, const QString& key,
                       const QJsonValue& value)
{
    QJsonObject root;
    if (QFileInfo::exists(userFile)) {
        QFile file(userFile);
        if (!file.open(QIODevice::ReadOnly))
            return std::unexpected(invalid(userFile, QStringLiteral("cannot be read")));
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
        if (!doc.isObject())
            return std::unexpected(invalid(userFile, QStringLiteral("is not a JSON object")));
        root = doc.object();
    }
    if (section.isEmpty()) {
        root.insert(key, value);
    } else {
        QJsonObject inner = root.value(section).toObject();
        inner.insert(key, value);
        root.insert(section, inner);
    }
    const QByteArray text = QJsonDocument(root).toJson();
    if (auto valid = agent::parseAgentConfigLayer(text, userFile); !valid)
        return propagate(valid);
    if (!QDir().mkpath(QFileInfo(userFile).absolutePath()))
        return std::unexpected(invalid(userFile, QStringLiteral("cannot create its folder")));
    QSaveFile out(userFile);
    if (!out.open(QIODevice::WriteOnly) || out.write(text) < 0 || !out.commit())
        return std::unexpected(
            invalid(userFile, QStringLiteral("cannot be written (%1)").arg(out.errorString())));
    return ok();
}

} // namespace odis::ui
