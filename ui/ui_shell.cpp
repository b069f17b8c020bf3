#include "ui/ui_shell.h"

#include "agent/agent_context.h"
#include "agent/resident/resident_agent.h"
#include "agent/test_hooks.h"
#include "agent/verbs/resident_verb.h"
#include "agent/verbs/verb_support.h"
#include "storage/codes/agent_codes.h"
#include "ui/alert_notifier.h"
#include "ui/dashboard_window.h"
#include "ui/settings_window.h"
#include "ui/setup/setup_window.h"

#include <QCoreApplication>

namespace odis::ui {

Result<UiOptions> UiOptions::fromEnvironment()
{
    UiOptions options;
    const QString text = agent::testHook("ODIS_TEST_TRAY_WAIT_MS");
    if (!text.isEmpty()) {
        bool ok = false;
        const qint64 ms = text.toLongLong(&ok);
        if (!ok || ms < 0 || ms > 600'000)
            return fail(codes::kTestSeamInvalid,
                        QStringLiteral("ODIS_TEST_TRAY_WAIT_MS must be milliseconds from 0 to 600000"));
        options.tray.trayWait = std::chrono::milliseconds(ms);
        options.tray.trayRetry =
            std::min(options.tray.trayRetry, std::chrono::milliseconds(std::max<qint64>(ms, 10)));
    }
    return options;
}

UiShell::UiShell(agent::ResidentAgent& agent, agent::AgentContext& context, const agent::AgentConfig& config,
                 UiOptions options, QObject* parent)
    : QObject(parent)
    , m_agent(agent)
    , m_context(context)
    , m_config(config)
{
    m_tray = new TrayController(m_agent, options.tray, this);
    m_notifier = new AlertNotifier(*m_tray, m_context.db(), this);
    connect(m_tray, &TrayController::dashboardRequested, this,
            [this](const QString& code) { openDashboard(code); });
    connect(m_tray, &TrayController::settingsRequested, this, [this] { openSettings(); });
    connect(m_tray, &TrayController::messageClicked, this,
            [this](const QString& tag) { openDashboard(tag); });
    // Each status the tray shows: the alerts in it that a person should hear about (once a day each).
    connect(m_tray, &TrayController::refreshed, m_notifier, &AlertNotifier::check);
    m_notifier->check(m_tray->lastStatus());
    // The windows go with the agent, while the application (and its event loop) still exists; queued, since
    // stopped() may come from inside the tray menu's Quit action, which goes with them.
    connect(
        &m_agent, &agent::ResidentAgent::stopped, this, [this] { closeAll(); }, Qt::QueuedConnection);
    if (options.setupWhenNeeded && setupNeeded(m_tray->lastStatus()))
        openSetup();
}

UiShell::~UiShell()
{
    closeAll();
}

bool UiShell::setupNeeded(const QJsonObject& status)
{
    const QString gate = status.value(QStringLiteral("gate")).toString();
    return gate == QLatin1String("not_enrolled") || gate == QLatin1String("credentials_missing") ||
           gate == codes::kCredentialsRejected;
}

void UiShell::closeAll()
{
    delete m_setup; // its page before its profile: the window's own order
    delete m_settings;
    delete m_dashboard;
    delete m_notifier;
    m_notifier = nullptr;
    delete m_tray; // its menu and status window are widgets
    m_tray = nullptr;
}

SetupWindow& UiShell::openSetup(bool replaceLogin)
{
    if (!m_setup) {
        m_setup = new SetupWindow(m_agent, m_context, m_config);
        m_setup->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_setup, &SetupWindow::dashboardRequested, this, [this] { openDashboard(); });
        m_setup->begin(replaceLogin);
    }
    m_setup->show();
    m_setup->raise();
    m_setup->activateWindow();
    return *m_setup;
}

DashboardWindow& UiShell::openDashboard(const QString& alertCode)
{
    if (!m_dashboard)
        m_dashboard = new DashboardWindow(m_agent, m_context.db(), m_context.clock);
    m_dashboard->reload();
    if (!alertCode.isEmpty())
        m_dashboard->showAlert(alertCode);
    m_dashboard->show();
    m_dashboard->raise();
    m_dashboard->activateWindow();
    return *m_dashboard;
}

DashboardWindow* UiShell::dashboard() const
{
    return m_dashboard;
}

SetupWindow* UiShell::setup() const
{
    return m_setup;
}

SettingsWindow* UiShell::settings() const
{
    return m_settings;
}

SettingsWindow& UiShell::openSettings()
{
    if (!m_settings) {
        m_settings = new SettingsWindow(m_agent, m_context, m_config);
        connect(m_settings, &SettingsWindow::replaceLoginRequested, this, [this] { openSetup(true); });
    }
    m_settings->reload();
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
    return *m_settings;
}

void runAgentWithUi(const QStringList& arguments, const std::function<void(int)>& exit, UiOptions options,
                    std::function<void(UiShell&)> ready)
{
    agent::runResidentVerb(
        arguments, exit,
        [options, ready = std::move(ready)](agent::ResidentAgent& agent, agent::AgentContext& context,
                                            const agent::AgentConfig& config) {
            // Kept until the process ends, like the agent (released before it).
            UiShell& shell = agent::keepUntilExit(std::make_unique<UiShell>(agent, context, config, options));
            if (ready)
                ready(shell);
        });
}

} // namespace odis::ui
