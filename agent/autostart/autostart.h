#pragma once

// Starting the agent when the user logs in (`odis-agent autostart on|off|status`), per user, the way each
// platform does it:
//   Linux    an XDG autostart entry: $XDG_CONFIG_HOME/autostart/odis-agent.desktop (~/.config by default).
//            The deb installs a system-wide entry of the same name (/etc/xdg/autostart); the user's entry
//            overrides it, so "off" with a system entry present writes a user entry saying Hidden=true
//            (the XDG Autostart spec's way), and "status" reports the system entry when the user has none.
//   macOS    a LaunchAgent: ~/Library/LaunchAgents/com.odis.clinic-agent.plist (RunAtLoad, Aqua sessions)
//   Windows  a value of the Run key: HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run
// All three are compiled everywhere and written through the same code; a test gives a fake root instead of
// the user's folders (and an INI file instead of the registry), so each is checked on any machine.

#include "storage/result.h"

#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace odis::agent {

enum class AutostartPlatform
{
    Linux,
    MacOS,
    Windows,
};

[[nodiscard]] AutostartPlatform currentAutostartPlatform();
[[nodiscard]] QString autostartPlatformName(AutostartPlatform platform); // "linux", "macos", "windows"

inline constexpr QLatin1StringView kLaunchAgentLabel{"com.odis.clinic-agent"};
inline constexpr QLatin1StringView kRunValueName{"Odis Clinic Agent"};

// The entries' content for `executable` (an absolute path), quoted and escaped for each format.
[[nodiscard]] QByteArray xdgDesktopEntry(const QString& executable);
[[nodiscard]] QByteArray launchAgentPlist(const QString& executable);
// A user entry that hides the system-wide entry of the same name.
[[nodiscard]] QByteArray xdgHiddenEntry();
[[nodiscard]] QString runKeyCommand(const QString& executable);

struct AutostartState
{
    bool enabled = false;
    QString location;   // the file, or the registry value's path
    QString executable; // what it starts (empty when off or unreadable)
};

// Error codes: autostart_write_failed, autostart_remove_failed.
class Autostart
{
public:
    // The user's own folders and registry.
    static Autostart forCurrentUser();
    // Under `root`: <root>/.config/autostart (Linux, with the system-wide entry <root>/etc/xdg/autostart),
    // <root>/Library/LaunchAgents (macOS), <root>/HKCU-Run.ini for the Run key (Windows).
    static Autostart underRoot(AutostartPlatform platform, const QString& root);

    [[nodiscard]] AutostartPlatform platform() const { return m_platform; }
    [[nodiscard]] QString location() const;

    [[nodiscard]] Status enable(const QString& executable);
    [[nodiscard]] Status disable();
    [[nodiscard]] AutostartState state() const;

private:
    Autostart(AutostartPlatform platform, QString fileLocation, QString registryFile,
              QStringList systemEntries = {});
    [[nodiscard]] std::unique_ptr<QSettings> runKey() const;
    [[nodiscard]] QString systemEntry() const; // Linux: the first system-wide entry that exists, or empty

    AutostartPlatform m_platform;
    QString m_file;              // Linux and macOS: the entry's file
    QString m_registryFile;      // Windows: empty for the real registry, else an INI file standing in for it
    QStringList m_systemEntries; // Linux: the system-wide entries of the same name, most important first
};

} // namespace odis::agent
