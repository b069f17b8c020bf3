#pragma once

// Settings: the IDEXX Neo login (replace it through the setup window's login page, or remove it; both
// audited), telemetry on or off, start at login on or off, the log level, and "Create diagnostics bundle"
// (the same ZIP as `odis-agent diagnostics`, with its list of files shown before it is written). Keys IT
// set in the managed configuration are shown and locked. Telemetry and the log level apply when the agent
// starts next; the window says so.

#include "agent/agent_config.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace odis::agent {
class ResidentAgent;
struct AgentContext;
struct AgentConfig;
} // namespace odis::agent

namespace odis::ui {

class SettingsWindow : public QWidget
{
    Q_OBJECT

public:
    // `paths`: where the user's and IT's settings are (the defaults; tests name their own).
    SettingsWindow(agent::ResidentAgent& agent, agent::AgentContext& context,
                   const agent::AgentConfig& config,
                   agent::AgentConfigPaths paths = agent::AgentConfigPaths::defaults(),
                   QWidget* parent = nullptr);

    void reload();
    // Writes the diagnostics bundle to `path`; its message (also shown in the window).
    QString createDiagnostics(const QString& path);
    // Removes the IDEXX Neo login without asking (the button asks first).
    void removeLogin();

    [[nodiscard]] QCheckBox* telemetry() const { return m_telemetry; }
    [[nodiscard]] QCheckBox* autostart() const { return m_autostart; }
    [[nodiscard]] QComboBox* logLevel() const { return m_logLevel; }
    [[nodiscard]] QString loginText() const;
    [[nodiscard]] QString messageText() const;

Q_SIGNALS:
    void replaceLoginRequested();

private:
    void setTelemetry(bool on);
    void setAutostart(bool on);
    void setLogLevel(const QString& level);
    void say(const QString& text);

    agent::ResidentAgent& m_agent;
    agent::AgentContext& m_context;
    const agent::AgentConfig& m_config;
    agent::AgentConfigPaths m_paths;
    QLabel* m_login = nullptr;
    QPushButton* m_replace = nullptr;
    QPushButton* m_remove = nullptr;
    QCheckBox* m_telemetry = nullptr;
    QCheckBox* m_autostart = nullptr;
    QComboBox* m_logLevel = nullptr;
    QPushButton* m_diagnostics = nullptr;
    QLabel* m_message = nullptr;
    bool m_loading = false;
};

} // namespace odis::ui
