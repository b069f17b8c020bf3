#pragma once

#include "ui/tray_state.h"

#include <QIcon>
#include <QString>

namespace odis::ui {

// The icon of a tray state (resources/icons/tray-<state>.svg), rendered at the sizes panels ask for
// (16 to 64 px) here rather than through an SVG icon plugin that a system may lack.
[[nodiscard]] QIcon trayIcon(TrayState state);
// The application's own icon (windows' title bars).
[[nodiscard]] QIcon appIcon();

} // namespace odis::ui
