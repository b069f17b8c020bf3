// Starting the agent at log-in (agent/autostart/autostart.h): the Linux XDG entry, the macOS LaunchAgent and
// the Windows Run key, each written, read back and removed under a fake root on any machine, with
// executable paths that need quoting and escaping.

#include "agent/autostart/autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace odis::agent;

Q_DECLARE_METATYPE(odis::agent::AutostartPlatform)

class AutostartTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onStatusOff_data()
    {
        QTest::addColumn<AutostartPlatform>("platform");
        QTest::addColumn<QString>("executable");
        QTest::addColumn<QString>("relativeLocation");
        for (const auto& [name, platform, location] :
             {std::tuple{"linux", AutostartPlatform::Linux,
                         QStringLiteral(".config/autostart/odis-agent.desktop")},
              std::tuple{"macos", AutostartPlatform::MacOS,
                         QStringLiteral("Library/LaunchAgents/com.odis.clinic-agent.plist")},
              std::tuple{"windows", AutostartPlatform::Windows, QStringLiteral("HKCU-Run.ini")}}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 plain").arg(QLatin1StringView(name))))
                << platform << QStringLiteral("/usr/bin/odis-agent") << location;
            QTest::newRow(qPrintable(QStringLiteral("%1 spaces").arg(QLatin1StringView(name))))
                << platform << QStringLiteral("/opt/Odis Agent/odis-agent") << location;
            // No Windows path holds a quote; the others' formats must carry one.
            if (platform != AutostartPlatform::Windows)
                QTest::newRow(
                    qPrintable(QStringLiteral("%1 quotes and shell characters").arg(QLatin1StringView(name))))
                    << platform << QStringLiteral("/opt/Odis Agent/\"odd\" $HOME `x` back\\slash/odis-agent")
                    << location;
            QTest::newRow(qPrintable(QStringLiteral("%1 xml characters").arg(QLatin1StringView(name))))
                << platform << QStringLiteral("/Applications/A&B <Odis>.app/Contents/MacOS/odis-agent")
                << location;
        }
    }

    void onStatusOff()
    {
        QFETCH(AutostartPlatform, platform);
        QFETCH(QString, executable);
        QFETCH(QString, relativeLocation);
        QTemporaryDir root;
        QVERIFY(root.isValid());
        Autostart autostart = Autostart::underRoot(platform, root.path());
        QVERIFY(!autostart.state().enabled);
        QVERIFY(autostart.location().startsWith(root.filePath(relativeLocation)));

        QVERIFY(autostart.enable(executable));
        const AutostartState on = autostart.state();
        QVERIFY(on.enabled);
        // Read back through the format's own quoting: exactly the program that was written.
        QCOMPARE(on.executable, executable);
        QVERIFY(QFile::exists(root.filePath(relativeLocation)));

        // Enabling again replaces the entry (a moved program), never adds a second one.
        QVERIFY(autostart.enable(QStringLiteral("/usr/local/bin/odis-agent")));
        QCOMPARE(autostart.state().executable, QStringLiteral("/usr/local/bin/odis-agent"));

        QVERIFY(autostart.disable());
        QVERIFY(!autostart.state().enabled);
        QVERIFY(autostart.disable()); // off twice is fine
    }

    // The deb's entry for every user (/etc/xdg/autostart) cannot be deleted by a user: "off" hides it
    // with a user entry of the same name, "on" replaces that, and status tells them apart.
    void linuxSystemEntryIsHiddenForThisUserOnly()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString system = root.filePath(QStringLiteral("etc/xdg/autostart/odis-agent.desktop"));
        QVERIFY(QDir().mkpath(QFileInfo(system).path()));
        QFile file(system);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[Desktop Entry]\nType=Application\nName=Odis Clinic Agent\n"
                   "Exec=odis-agent --headless\nTryExec=odis-agent\n");
        file.close();

        Autostart autostart = Autostart::underRoot(AutostartPlatform::Linux, root.path());
        AutostartState state = autostart.state();
        QVERIFY(state.enabled);
        QCOMPARE(state.location, system);
        QCOMPARE(state.executable, QStringLiteral("odis-agent"));

        QVERIFY(autostart.disable());
        QVERIFY(QFile::exists(system)); // the package's file is not the user's to remove
        state = autostart.state();
        QVERIFY(!state.enabled);
        QCOMPARE(state.location, autostart.location());
        QFile user(autostart.location());
        QVERIFY(user.open(QIODevice::ReadOnly));
        QVERIFY(user.readAll().contains("\nHidden=true\n"));
        user.close();

        QVERIFY(autostart.enable(QStringLiteral("/usr/bin/odis-agent")));
        state = autostart.state();
        QVERIFY(state.enabled);
        QCOMPARE(state.executable, QStringLiteral("/usr/bin/odis-agent"));
    }

    void linuxEntryFollowsTheSpecification()
    {
        const QByteArray entry = xdgDesktopEntry(QStringLiteral("/opt/Odis Agent/odis-agent"));
        QVERIFY(entry.startsWith("[Desktop Entry]\n"));
        QVERIFY(entry.contains("\nType=Application\n"));
        QVERIFY(entry.contains("\nExec=\"/opt/Odis Agent/odis-agent\"\n"));
        QVERIFY(entry.contains("\nX-GNOME-Autostart-enabled=true\n"));
        // A literal backslash is four in the file, a quote is an escaped backslash and the quote.
        QVERIFY(xdgDesktopEntry(QStringLiteral("/a\\b\"c")).contains("Exec=\"/a\\\\\\\\b\\\\\"c\""));
    }

    void macEntryIsALaunchAgent()
    {
        const QByteArray plist =
            launchAgentPlist(QStringLiteral("/Applications/Odis.app/Contents/MacOS/odis-agent"));
        QVERIFY(plist.contains("<key>Label</key>\n  <string>com.odis.clinic-agent</string>"));
        QVERIFY(plist.contains("<string>/Applications/Odis.app/Contents/MacOS/odis-agent</string>"));
        QVERIFY(plist.contains("<key>RunAtLoad</key>\n  <true/>"));
        QVERIFY(launchAgentPlist(QStringLiteral("/A&B/<x>")).contains("<string>/A&amp;B/&lt;x&gt;</string>"));
    }

    void windowsValueIsQuotedInTheRunKey()
    {
        QTemporaryDir root;
        Autostart autostart = Autostart::underRoot(AutostartPlatform::Windows, root.path());
        QVERIFY(autostart.enable(QStringLiteral("C:/Program Files/Odis/odis-agent.exe")));
        QSettings key(root.filePath(QStringLiteral("HKCU-Run.ini")), QSettings::IniFormat);
        const QString value = key.value(QStringLiteral("Odis Clinic Agent")).toString();
        QVERIFY2(value.startsWith(u'"') && value.endsWith(u'"'), qPrintable(value));
        QVERIFY(autostart.location().endsWith(QStringLiteral("\\Odis Clinic Agent")));
    }
};

QTEST_GUILESS_MAIN(AutostartTest)
#include "tst_autostart.moc"
