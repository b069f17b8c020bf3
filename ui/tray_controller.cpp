#include "ui/tray_controller.h"

#include "agent/resident/resident_agent.h"
#include "ui/status_window.h"
#include "ui/tray_icons.h"

#include <QAction>
#include <QMenu>
#include <QSystemTrayIcon>

#include <spdlog/spdlog.h>

namespace odis::ui {

TrayController::TrayController(agent::ResidentAgent& agent, TrayOptions options, QObject* parent)
    : QObject(parent)
    , m_agent(agent)
    , m_options(options)
{
    buildMenu();
    m_changedTimer.setSingleShot(true);
    m_changedTimer.setInterval(std::chrono::milliseconds(500));
    connect(&m_changedTimer, &QTimer::timeout, this, &TrayController::refresh);
    connect(&m_agent, &agent::ResidentAgent::changed, this, [this] {
        if (!m_changedTimer.isActive())
            m_changedTimer.start();
    });
    connect(&m_agent, &agent::ResidentAgent::showWanted, this, [this] { Q_EMIT dashboardRequested({}); });
    m_refreshTimer.setInterval(m_options.refresh);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TrayController::refresh);
    m_refreshTimer.start();
    m_trayTimer.setInterval(m_options.trayRetry);
    connect(&m_trayTimer, &QTimer::timeout, this, &TrayController::lookForTray);
    refresh();
    lookForTray();
}

TrayController::~TrayController()
{
    delete m_statusWindow;
    delete m_menu; // not a QObject child: QMenu is a widget, and this controller is not
}

void TrayController::buildMenu()
{
    m_menu = new QMenu();
    m_menu->setObjectName(QStringLiteral("tray_menu"));
    m_menu->setAccessibleName(tr("Odis Clinic Agent"));
    auto add = [this](QMenu* menu, const QString& name, const QString& text, auto slot) {
        QAction* a = menu->addAction(text);
        a->setObjectName(name);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(m_menu, QStringLiteral("sync_now"), tr("&Sync now"), [this] { syncNow(); });
    QMenu* pauseMenu = m_menu->addMenu(tr("&Pause"));
    pauseMenu->setObjectName(QStringLiteral("pause_menu"));
    pauseMenu->setAccessibleName(tr("Pause automatic syncs"));
    pauseMenu->menuAction()->setObjectName(QStringLiteral("pause"));
    add(pauseMenu, QStringLiteral("pause_1h"), tr("For &1 hour"), [this] { pause(QStringLiteral("1h")); });
    add(pauseMenu, QStringLiteral("pause_4h"), tr("For &4 hours"), [this] { pause(QStringLiteral("4h")); });
    add(pauseMenu, QStringLiteral("pause_tomorrow"), tr("Until &tomorrow"),
        [this] { pause(QStringLiteral("until-tomorrow")); });
    add(m_menu, QStringLiteral("resume"), tr("&Resume"), [this] {
        m_agent.resume();
        refresh(); // what a person did shows at once, not after the coalesced refresh
    });
    m_menu->addSeparator();
    add(m_menu, QStringLiteral("open_dashboard"), tr("Open &dashboard"),
        [this] { Q_EMIT dashboardRequested({}); });
    add(m_menu, QStringLiteral("open_settings"), tr("S&ettings…"), [this] { Q_EMIT settingsRequested(); });
    m_menu->addSeparator();
    add(m_menu, QStringLiteral("quit"), tr("&Quit"), [this] {
        spdlog::info("Quit chosen in the tray");
        m_agent.stop(QStringLiteral("Quit in the tray"));
    });
}

StatusWindow* TrayController::statusWindow() const
{
    return m_statusWindow;
}

QAction* TrayController::action(const QString& name) const
{
    return m_menu->findChild<QAction*>(name);
}

QString TrayController::toolTip() const
{
    return trayTooltipLines(m_status).join(u'\n');
}

void TrayController::refresh()
{
    m_status = m_agent.status();
    const TrayState state = trayStateFor(m_status);
    const QString tip = toolTip();
    const bool paused = state == TrayState::Paused;
    action(QStringLiteral("resume"))->setEnabled(paused);
    if (m_tray) {
        if (!m_stateKnown || state != m_state)
            m_tray->setIcon(::odis::ui::trayIcon(state));
        m_tray->setToolTip(tip);
    }
    if (m_statusWindow)
        m_statusWindow->display(state, m_status);
    if (!m_stateKnown || state != m_state) {
        m_state = state;
        m_stateKnown = true;
        Q_EMIT stateChanged(state);
    }
    Q_EMIT refreshed(m_status);
}

void TrayController::lookForTray()
{
    if (m_tray)
        return;
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_trayTimer.stop();
        showTray();
        return;
    }
    if (m_trayWaited >= m_options.trayWait) {
        m_trayTimer.stop();
        if (!m_statusWindow) {
            spdlog::info("no system tray after {} s: the status window opens instead",
                         m_options.trayWait.count() / 1000);
            openStatusWindow();
        }
        return;
    }
    if (!m_trayTimer.isActive())
        m_trayTimer.start();
    m_trayWaited += m_options.trayRetry;
}

void TrayController::showTray()
{
    m_tray = new QSystemTrayIcon(::odis::ui::trayIcon(m_state), this);
    m_tray->setContextMenu(m_menu);
    m_tray->setToolTip(toolTip());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT dashboardRequested({});
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this,
            [this] { Q_EMIT messageClicked(m_lastMessageTag); });
    m_tray->show();
    if (m_statusWindow) // a tray appeared after all: the window is no longer needed
        m_statusWindow->close();
    Q_EMIT trayShown();
}

void TrayController::openStatusWindow()
{
    m_statusWindow = new StatusWindow(*this);
    m_statusWindow->display(m_state, m_status);
    m_statusWindow->show();
    Q_EMIT statusWindowShown();
}

void TrayController::notify(const QString& title, const QString& text, const QString& tag)
{
    m_lastMessageTag = tag;
    if (m_tray)
        m_tray->showMessage(title, text, ::odis::ui::trayIcon(m_state), 15'000);
    else if (m_statusWindow)
        m_statusWindow->showMessage(title, text, tag);
}

void TrayController::syncNow()
{
    const agent::SyncNowAnswer answer = m_agent.syncNow(agent::RunTrigger::Manual);
    if (answer == agent::SyncNowAnswer::RefusedGateClosed)
        notify(tr("Odis Clinic Agent"), tr("No sync now: %1").arg(trayStateText(m_status)),
               QStringLiteral("sync"));
    refresh();
}

void TrayController::pause(const QString& spec)
{
    if (auto until = m_agent.pauseFor(spec); !until)
        notify(tr("Odis Clinic Agent"), tr("Not paused: %1").arg(until.error().message),
               QStringLiteral("pause"));
    refresh();
}

} // namespace odis::ui
