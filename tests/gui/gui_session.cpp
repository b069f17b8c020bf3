#include "tests/gui/gui_session.h"

#include <QAbstractScrollArea>
#include <QAccessible>
#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QSystemTrayIcon>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <cstdio>

namespace odis::test {

bool prepareGuiSession()
{
    const QByteArray display = qgetenv("ODIS_TEST_DISPLAY");
    if (display.isEmpty()) {
        std::fprintf(stderr, "GUI tests need a display: run them in scripts/in-private-session.sh "
                             "(ODIS_TEST_DISPLAY)\n");
        return false;
    }
    qputenv("DISPLAY", display);
    qputenv("QT_QPA_PLATFORM", "xcb");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    return true;
}

int runGuiTests(QObject& test, int argc, char** argv)
{
    int code = 1;
    QTimer::singleShot(0, &test, [&] {
        code = QTest::qExec(&test, argc, argv);
        QCoreApplication::exit(code);
    });
    QCoreApplication::exec();
    return code;
}

TrayHost::~TrayHost()
{
    if (m_process) {
        m_process->terminate();
        m_process->waitForFinished(5000);
    }
}

Status TrayHost::start()
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->start(
        QStringLiteral("trayer"),
        {QStringLiteral("--edge"),        QStringLiteral("top"),         QStringLiteral("--align"),
         QStringLiteral("right"),         QStringLiteral("--widthtype"), QStringLiteral("pixel"),
         QStringLiteral("--width"),       QStringLiteral("120"),         QStringLiteral("--heighttype"),
         QStringLiteral("pixel"),         QStringLiteral("--height"),    QStringLiteral("32"),
         QStringLiteral("--iconspacing"), QStringLiteral("4"),           QStringLiteral("--transparent"),
         QStringLiteral("true"),          QStringLiteral("--alpha"),     QStringLiteral("0"),
         QStringLiteral("--tint"),        QStringLiteral("0x2b2b2b"),    QStringLiteral("--expand"),
         QStringLiteral("false")});
    if (!m_process->waitForStarted(10'000))
        return fail(QStringLiteral("trayer"), m_process->errorString());
    QDeadlineTimer deadline(30'000);
    while (!QSystemTrayIcon::isSystemTrayAvailable() && !deadline.hasExpired())
        QTest::qWait(100);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return fail(QStringLiteral("trayer"), QStringLiteral("no system tray after starting trayer"));
    return ok();
}

Status TrayHost::stop()
{
    if (m_process) {
        m_process->terminate();
        m_process->waitForFinished(10'000);
        m_process.reset();
    }
    QDeadlineTimer deadline(30'000);
    while (QSystemTrayIcon::isSystemTrayAvailable() && !deadline.hasExpired())
        QTest::qWait(100);
    if (QSystemTrayIcon::isSystemTrayAvailable())
        return fail(QStringLiteral("trayer"), QStringLiteral("the tray is still there"));
    return ok();
}

QStringList unnamedControls(QWidget& window)
{
    QStringList unnamed;
    const QList<QWidget*> widgets = window.findChildren<QWidget*>();
    for (QWidget* w : widgets) {
        if (w->focusPolicy() == Qt::NoFocus || !w->isVisibleTo(&window))
            continue;
        // A scroll area's viewport is the area's own surface: the area carries the name.
        if (auto* area = qobject_cast<QAbstractScrollArea*>(w->parentWidget()); area && area->viewport() == w)
            continue;
        bool inPage = false;
        for (QWidget* p = w; p && !inPage; p = p->parentWidget())
            inPage = p->inherits("QWebEngineView");
        if (inPage)
            continue;
        QAccessibleInterface* a = QAccessible::queryAccessibleInterface(w);
        if (!a || a->text(QAccessible::Name).trimmed().isEmpty())
            unnamed << QString::fromLatin1(w->metaObject()->className()) + u'#' + w->objectName();
    }
    return unnamed;
}

namespace {

bool insideWebView(const QWidget* w)
{
    for (const QWidget* p = w; p; p = p->parentWidget()) {
        if (p->inherits("QWebEngineView"))
            return true;
    }
    return false;
}

// Whether Tab should stop at `w`: what QWidget's own focus chain accepts, shown within `window`.
bool tabStop(QWidget* w, QWidget& window)
{
    return (w->focusPolicy() & Qt::TabFocus) && w->isEnabled() && w->isVisibleTo(&window) &&
           !w->focusProxy() && !insideWebView(w);
}

QString controlName(const QWidget* w)
{
    return QString::fromLatin1(w->metaObject()->className()) + u'#' + w->objectName();
}

QString accessibleNameOf(QWidget* w)
{
    QAccessibleInterface* a = QAccessible::queryAccessibleInterface(w);
    return a ? a->text(QAccessible::Name).trimmed() : QString();
}

} // namespace

QStringList keyboardProblems(QWidget& window, QStringList* order)
{
    QStringList problems;
    QList<QWidget*> stops;
    for (QWidget* w : window.findChildren<QWidget*>()) {
        if (tabStop(w, window))
            stops << w;
    }
    if (stops.isEmpty())
        return {QStringLiteral("no control takes the keyboard focus")};
    QWidget* first = window.focusWidget();
    if (!first || !stops.contains(first)) {
        first = stops.first();
        for (QWidget* w = window.nextInFocusChain(); w && w != &window; w = w->nextInFocusChain()) {
            if (stops.contains(w)) {
                first = w;
                break;
            }
        }
        first->setFocus(Qt::TabFocusReason);
    }
    QList<QWidget*> walk{first};
    for (int press = 0; press < 4 * stops.size() + 4; ++press) {
        QWidget* current = window.focusWidget();
        QTest::keyClick(current, Qt::Key_Tab);
        QCoreApplication::processEvents();
        QWidget* next = window.focusWidget();
        if (next == current) {
            problems << QStringLiteral("trap: Tab stays in ") + controlName(current);
            break;
        }
        if (next == first)
            break;
        if (walk.contains(next)) {
            problems << QStringLiteral("Tab goes round without coming back to ") + controlName(first);
            break;
        }
        walk << next;
    }
    for (int i = 0; i < walk.size(); ++i) {
        QWidget* w = walk.at(i);
        if (order)
            *order << controlName(w);
        if (accessibleNameOf(w).isEmpty())
            problems << QStringLiteral("no accessible name: ") + controlName(w);
        if (i == 0)
            continue;
        const QRect before(walk.at(i - 1)->mapTo(&window, QPoint(0, 0)), walk.at(i - 1)->size());
        const QRect here(w->mapTo(&window, QPoint(0, 0)), w->size());
        const bool sameRow = here.top() < before.bottom() && here.bottom() > before.top();
        if (here.top() < before.top() - 4 && !(sameRow && here.left() >= before.right() - 4))
            problems << QStringLiteral("out of reading order: ") + controlName(walk.at(i - 1)) +
                            QStringLiteral(" then ") + controlName(w);
    }
    for (QWidget* w : std::as_const(stops)) {
        if (!walk.contains(w))
            problems << QStringLiteral("not reached by Tab: ") + controlName(w);
    }
    return problems;
}

QString keyboardReport(QWidget& window)
{
    QStringList order;
    const QStringList problems = keyboardProblems(window, &order);
    if (problems.isEmpty())
        return {};
    return problems.join(u'\n') + QStringLiteral("\nTab walk: ") + order.join(QStringLiteral(" > "));
}

QString screenshotDirectory()
{
    QString dir =
        qEnvironmentVariable("ODIS_BINARY_DIR", QDir::currentPath()) + QStringLiteral("/test-artifacts/ui");
    QDir().mkpath(dir);
    return dir;
}

QString saveWidgetShot(QWidget& widget, const QString& name)
{
    QString file = screenshotDirectory() + u'/' + name + QStringLiteral(".png");
    widget.grab().save(file);
    return file;
}

QImage saveScreenShot(const QString& name)
{
    QString file = screenshotDirectory() + u'/' + name + QStringLiteral(".png");
    QProcess shell;
    shell.start(QStringLiteral("sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("xwd -root -silent | /usr/bin/convert xwd:- png:\"$1\""),
                 QStringLiteral("sh"), file});
    if (!shell.waitForFinished(30'000) || shell.exitCode() != 0)
        return {};
    return QImage(file);
}

int countColor(const QImage& image, const QRect& rect, const QColor& color, int tolerance)
{
    int n = 0;
    const QRect area = rect.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) <= tolerance &&
                std::abs(c.green() - color.green()) <= tolerance &&
                std::abs(c.blue() - color.blue()) <= tolerance)
                ++n;
        }
    }
    return n;
}

} // namespace odis::test
