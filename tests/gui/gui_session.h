#pragma once

// What the GUI tests share: a real X display (Xvfb from scripts/in-private-session.sh, ODIS_TEST_DISPLAY)
// with the xcb platform (offscreen has no tray), a real tray host (`trayer`) started and stopped by the
// test, and screenshots under build/test-artifacts/ui/ (the window itself, or the whole screen with the
// tray, through `xwd -root | convert`).

#include "storage/result.h"

#include <QApplication>
#include <QColor>
#include <QCoreApplication>
#include <QImage>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

class QObject;
class QWidget;

namespace odis::test {

// Call first in main(): the display from ODIS_TEST_DISPLAY and the xcb platform, the shared GL contexts
// QtWebEngine wants. False (with a message on stderr) when there is no test display: a GUI test fails
// without one, it is never skipped.
bool prepareGuiSession();

// Runs `test`'s functions inside the application's event loop, so that what the agent keeps until the
// process ends (agent/verbs/verb_support.h: released at aboutToQuit) goes while `test` (its temporary
// folders, where the agent's lock file and store live) still exists; its exit code.
int runGuiTests(QObject& test, int argc, char** argv);

// The whole main() of a GUI test: the session, the agent's own folders (AgentPaths::defaults() names them
// after the application, as odis-agent-ui does), the application, then `Test`'s functions.
template <class Test> int guiTestMain(int argc, char** argv)
{
    if (!prepareGuiSession())
        return 1;
    QCoreApplication::setOrganizationName(QStringLiteral("Odis"));
    QCoreApplication::setApplicationName(QStringLiteral("odis-agent"));
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false);
    Test test;
    return runGuiTests(test, argc, argv);
}

class TrayHost
{
public:
    ~TrayHost();
    // Starts trayer (a dark panel at the top right) and waits until Qt sees a system tray.
    [[nodiscard]] Status start();
    // Stops it and waits until Qt sees no tray.
    [[nodiscard]] Status stop();

private:
    std::unique_ptr<QProcess> m_process;
};

// The controls of `window` a person reaches with the keyboard (focusable, shown) whose accessible name, what
// a screen reader says (an explicit name, a button's text, a field's buddy label), is empty: their class
// and object name. Chromium's own widgets inside a QWebEngineView are left out (the page names its fields).
[[nodiscard]] QStringList unnamedControls(QWidget& window);

// What a keyboard user meets in `window` (its shown page): Tab is pressed from the first control until
// focus comes round again. Problems, each a line naming the control (class#objectName): a control a
// person can reach with the mouse and Tab (focusable by Tab, shown, enabled) that Tab never reaches;
// a reached one without an accessible name; a trap (Tab leaves focus where it was); a step against the
// reading order (to a control that starts above the previous one, not beside it). Chromium's widgets
// inside a QWebEngineView are left out, as in unnamedControls(). `order` (optional) gets the walk.
[[nodiscard]] QStringList keyboardProblems(QWidget& window, QStringList* order = nullptr);
// keyboardProblems() as one message (with the walk) for QVERIFY2: empty when there is none.
[[nodiscard]] QString keyboardReport(QWidget& window);

// The folder of the screenshots (created).
[[nodiscard]] QString screenshotDirectory();
// Saves `widget` as <name>.png; its path.
QString saveWidgetShot(QWidget& widget, const QString& name);
// Saves the whole screen as <name>.png; the image (null when xwd or convert failed).
QImage saveScreenShot(const QString& name);
// How many pixels of `image` within `rect` are `color` (each channel within `tolerance`).
[[nodiscard]] int countColor(const QImage& image, const QRect& rect, const QColor& color, int tolerance = 10);

} // namespace odis::test
