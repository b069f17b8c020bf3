#include "ui/tray_icons.h"

#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace odis::ui {

namespace {

QIcon iconFromSvg(const QString& resource)
{
    QSvgRenderer renderer(resource);
    QIcon icon;
    for (const int size : {16, 20, 22, 24, 32, 48, 64, 128}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

QIcon trayIcon(TrayState state)
{
    return iconFromSvg(QStringLiteral(":/odis/icons/tray-%1.svg").arg(trayStateName(state)));
}

QIcon appIcon()
{
    return iconFromSvg(QStringLiteral(":/odis/icons/odis-agent.svg"));
}

} // namespace odis::ui
