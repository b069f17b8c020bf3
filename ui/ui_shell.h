#pragma once

// What odis-agent-ui shows around the resident agent in its process: the tray (tray_controller.h) and the
// windows it opens (dashboard, settings, setup), made when first asked for and kept. The windows read the
// agent's objects and its store; none talks to IDEXX Neo or the backend by itself.

#include "storage/result.h"
#include "ui/tray_controller.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

namespace odis::agent {
class ResidentAgent;
struct AgentContext;
struct AgentConfig;
} // namespace odis::agent

namespace odis::ui {

class AlertNotifier;
class DashboardWindow;
class SetupWindow;
class SettingsWindow;

struct UiOptions
{
    TrayOptions tray;
    // Open the setup window at start when the install is not enrolled or has no usable IDEXX Neo login.
    bool setupWhenNeeded = true;

    // The defaults with the TEST SEAM ODIS_TEST_TRAY_WAIT_MS (how long to look for a tray, 0 to
    // 600000 ms). Error test_seam_invalid.
    [[nodiscard]] static Result<UiOptions> fromEnvironment();
};

class UiShell : public QObject
{
    Q_OBJECT

public:
    UiShell(agent::ResidentAgent& agent, agent::AgentContext& context, const agent::AgentConfig& config,
            UiOptions options, QObject* parent = nullptr);
    ~UiShell() override;

    [[nodiscard]] TrayController& tray() { return *m_tray; }
    [[nodiscard]] AlertNotifier& notifier() { return *m_notifier; }
    [[nodiscard]] agent::ResidentAgent& agent() { return m_agent; }
    [[nodiscard]] agent::AgentContext& context() { return m_context; }
    [[nodiscard]] const agent::AgentConfig& config() const { return m_config; }
    // Opens (or raises) the dashboard, at `alertCode`'s alert when one is named.
    DashboardWindow& openDashboard(const QString& alertCode = {});
    [[nodiscard]] DashboardWindow* dashboard() const;
    // Opens (or raises) the setup window; `replaceLogin`: at the login step even when one is saved.
    SetupWindow& openSetup(bool replaceLogin = false);
    [[nodiscard]] SetupWindow* setup() const;
    SettingsWindow& openSettings();
    [[nodiscard]] SettingsWindow* settings() const;

    // Whether the setup window opens by itself at start: not enrolled, no IDEXX Neo login, or Neo refused
    // the saved one (the agent's status gate).
    [[nodiscard]] static bool setupNeeded(const QJsonObject& status);

private:
    // The tray and every window go (when the agent stopped): widgets must not outlive the application.
    void closeAll();

    agent::ResidentAgent& m_agent;
    agent::AgentContext& m_context;
    const agent::AgentConfig& m_config;
    TrayController* m_tray = nullptr;
    AlertNotifier* m_notifier = nullptr;
    QPointer<DashboardWindow> m_dashboard;
    QPointer<SetupWindow> m_setup;
    QPointer<SettingsWindow> m_settings;
};

// odis-agent-ui: the resident agent (agent/verbs/resident_verb.h) with the UI shell made once it has
// started; `ready`, when given, gets the shell (the GUI tests). `exit` is called once with the exit code.
void runAgentWithUi(const QStringList& arguments, const std::function<void(int)>& exit, UiOptions options,
                    std::function<void(UiShell&)> ready = {});

} // namespace odis::ui
