#pragma once

// The tray icon of odis-agent-ui: one icon per state (tray_state.h), a tooltip with the last good sync,
// the next one and the run's progress, and the menu (Sync now, Pause 1 hour / 4 hours / until tomorrow,
// Resume, Open dashboard, Settings, Quit), each acting on the resident agent in this process. It reads the
// agent's status() again whenever the agent says something changed, and every `refresh` besides (the
// clock moves). Where the desktop has no tray (GNOME without an extension), it looks again every
// `trayRetry` for `trayWait`, then opens the small status window (status_window.h) with the same actions;
// the agent works the same either way.

#include "ui/tray_state.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace odis::agent {
class ResidentAgent;
}

namespace odis::ui {

class StatusWindow;

struct TrayOptions
{
    std::chrono::milliseconds trayWait{60'000};
    std::chrono::milliseconds trayRetry{2'000};
    std::chrono::milliseconds refresh{30'000};
};

class TrayController : public QObject
{
    Q_OBJECT

public:
    TrayController(agent::ResidentAgent& agent, TrayOptions options, QObject* parent = nullptr);
    ~TrayController() override;

    // Reads the agent's status and shows it (icon, tooltip, menu, status window).
    void refresh();

    [[nodiscard]] TrayState state() const { return m_state; }
    [[nodiscard]] QString toolTip() const;
    [[nodiscard]] QMenu* menu() const { return m_menu; }
    // The action named `name` (objectName: sync_now, pause_1h, pause_4h, pause_tomorrow, resume,
    // open_dashboard, open_settings, quit).
    [[nodiscard]] QAction* action(const QString& name) const;
    [[nodiscard]] QSystemTrayIcon* trayIcon() const { return m_tray; }
    [[nodiscard]] StatusWindow* statusWindow() const;
    [[nodiscard]] const QJsonObject& lastStatus() const { return m_status; }

    // A tray notification (or, without a tray, a line in the status window). Clicking it emits
    // messageClicked() with `tag`.
    void notify(const QString& title, const QString& text, const QString& tag);

Q_SIGNALS:
    void dashboardRequested(const QString& alertCode); // empty: no particular alert
    void settingsRequested();
    void stateChanged(odis::ui::TrayState state);
    void refreshed(const QJsonObject& status); // after each refresh, with what it showed
    void trayShown();                          // the tray icon is in a tray
    void statusWindowShown();                  // no tray: the fallback window is open
    void messageClicked(const QString& tag);

private:
    void buildMenu();
    void lookForTray();
    void showTray();
    void openStatusWindow();
    void syncNow();
    void pause(const QString& spec);

    agent::ResidentAgent& m_agent;
    TrayOptions m_options;
    QMenu* m_menu = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    QPointer<StatusWindow> m_statusWindow;
    QTimer m_refreshTimer;
    // The agent says `changed` at every tick of its scheduler (10 a second under the test clock's seam)
    // and each refresh reads the store: changes are coalesced into one refresh per interval, so the
    // event loop is never kept busy by them.
    QTimer m_changedTimer;
    QTimer m_trayTimer;
    std::chrono::milliseconds m_trayWaited{0};
    QJsonObject m_status;
    TrayState m_state = TrayState::Ok;
    bool m_stateKnown = false;
    QString m_lastMessageTag;
};

} // namespace odis::ui
