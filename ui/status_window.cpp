#include "ui/status_window.h"

#include "ui/tray_controller.h"
#include "ui/tray_icons.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace odis::ui {

StatusWindow::StatusWindow(TrayController& tray, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_tray(tray)
{
    setObjectName(QStringLiteral("status_window"));
    setWindowTitle(tr("Odis Clinic Agent"));
    setWindowIcon(appIcon());
    setAccessibleName(tr("Odis Clinic Agent status"));

    m_icon = new QLabel(this);
    m_icon->setAccessibleName(tr("State icon"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("state"));
    m_state->setTextFormat(Qt::PlainText);
    QFont big = m_state->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_state->setFont(big);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("details"));
    m_details->setTextFormat(Qt::PlainText);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_open = new QPushButton(tr("&Open"), this);
    m_open->setObjectName(QStringLiteral("message_open"));
    m_open->setAccessibleName(tr("Open the dashboard at this message"));
    connect(m_open, &QPushButton::clicked, this, [this] { Q_EMIT m_tray.messageClicked(m_messageTag); });
    m_message->hide();
    m_open->hide();

    auto* head = new QHBoxLayout;
    head->addWidget(m_icon);
    head->addWidget(m_state, 1);

    auto* buttons = new QHBoxLayout;
    auto button = [this, buttons](const QString& name) {
        auto* b = new QToolButton(this);
        QAction* a = m_tray.action(name);
        b->setDefaultAction(a);
        b->setObjectName(QStringLiteral("button_") + name);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setFocusPolicy(Qt::StrongFocus);
        b->setAccessibleName(a->text().remove(u'&'));
        buttons->addWidget(b);
        return b;
    };
    button(QStringLiteral("sync_now"));
    QToolButton* pause = button(QStringLiteral("pause"));
    pause->setPopupMode(QToolButton::InstantPopup);
    button(QStringLiteral("resume"));
    button(QStringLiteral("open_dashboard"));
    button(QStringLiteral("open_settings"));
    buttons->addStretch();
    button(QStringLiteral("quit"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(m_details);
    auto* message = new QHBoxLayout;
    message->addWidget(m_message, 1);
    message->addWidget(m_open);
    layout->addLayout(message);
    layout->addLayout(buttons);
    setMinimumWidth(560);
}

void StatusWindow::display(TrayState state, const QJsonObject& status)
{
    m_icon->setPixmap(trayIcon(state).pixmap(48, 48));
    const QStringList lines = trayTooltipLines(status);
    m_state->setText(trayStateText(status));
    m_details->setText(lines.mid(1).join(u'\n'));
    m_details->setAccessibleName(m_details->text());
}

void StatusWindow::showMessage(const QString& title, const QString& text, const QString& tag)
{
    m_messageTag = tag;
    m_message->setText(title + QStringLiteral(": ") + text);
    m_message->setAccessibleName(m_message->text());
    m_message->show();
    m_open->show();
    QWidget::show();
    raise();
}

QString StatusWindow::stateText() const
{
    return m_state->text();
}

QString StatusWindow::messageText() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

} // namespace odis::ui
