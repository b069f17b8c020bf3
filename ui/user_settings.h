#pragma once

// What the Settings window changes in the per-user configuration file (agent/agent_config.h): telemetry
// and the log level. Keys IT set in the managed configuration win over the user's file, so the window
// shows them locked. A change is checked by the same parser the agent uses before the file is replaced
// (atomically), and applies when the agent starts next.

#include "agent/agent_config.h"
#include "storage/result.h"

#include <QJsonValue>
#include <QString>

namespace odis::ui {

struct ManagedSettings
{
    bool telemetry = false; // telemetry.enabled is set by IT
    bool logLevel = false;  // log_level is set by IT
    QString source;         // where IT's settings come from, for the window
};

// Errors: config_invalid (a managed file that cannot be read or parsed).
[[nodiscard]] Result<ManagedSettings> readManagedSettings(const agent::AgentConfigPaths& paths);

// Sets `section`.`key` (or the top-level `key` when `section` is empty) in the user's file. Errors:
// config_invalid (the file or the result does not parse, or it cannot be written).
[[nodiscard]] Status saveUserSetting(const QString& userFile, const QString& section, const QString& key,
                                     const QJsonValue& value);

} // namespace odis::ui
