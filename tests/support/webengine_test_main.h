#pragma once

// A QTEST_MAIN for tests that create QtWebEngine pages: QtWebEngine needs shared OpenGL contexts set
// before the application object exists, and as root on a machine without a display it needs the
// offscreen platform and no sandbox (CTest sets both; they are defaulted here for manual runs).

#include <QApplication>
#include <QTest>
#include <QtWebEngineCore/qtwebenginecoreglobal.h>

#define ODIS_WEBENGINE_TEST_MAIN(TestObject)                                                                 \
    int main(int argc, char** argv)                                                                          \
    {                                                                                                        \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                                  \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                                         \
        if (qEnvironmentVariableIsEmpty("QTWEBENGINE_DISABLE_SANDBOX"))                                      \
            qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");                                                     \
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);                                          \
        QApplication app(argc, argv);                                                                        \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                             \
        TestObject tc;                                                                                       \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }
