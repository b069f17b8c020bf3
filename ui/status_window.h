#pragma once

// The small window that stands in for the tray where the desktop has none (tray_controller.h): the state
// with its icon, the tooltip's lines, and the tray menu's actions as buttons (the same QActions, so they
// act alike and are enabled alike). Closing it hides it; the agent keeps working, and starting
// `odis-agent` again shows it (and the dashboard).

#include "ui/tray_state.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;

namespace odis::ui {

class TrayController;

class StatusWindow : public QWidget
{
    Q_OBJECT

public:
    explicit StatusWindow(TrayController& tray, QWidget* parent = nullptr);

    // Shows `state` and `status` (the window stays hidden when it is).
    void display(TrayState state, const QJsonObject& status);
    // A notification where there is no tray to show it: a line under the state; a click on it opens what
    // `tag` names (TrayController::messageClicked).
    void showMessage(const QString& title, const QString& text, const QString& tag);

    [[nodiscard]] QString stateText() const;
    [[nodiscard]] QString messageText() const;

private:
    TrayController& m_tray;
    QLabel* m_icon = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_message = nullptr;
    QPushButton* m_open = nullptr;
    QString m_messageTag;
};

} // namespace odis::ui
