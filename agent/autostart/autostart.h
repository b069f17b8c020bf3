#pragma once

// Starting the agent when the user logs in (`odis-agent autostart on|off|status`), per user, the way each
// platform does it:
//   Linux    an XDG autostart entry: $XDG_CONFIG_HOME/autostart/odis-agent.desktop (~/.config by default)
//   macOS    a LaunchAgent: ~/Library/LaunchAgents/com.odis.clinic-agent.plist (RunAtLoad, Aqua sessions)
//   Windows  a value of the Run key: HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run
// All three are compiled everywhere and written through the same code; a test gives a fake root instead of
// the user's folders (and an INI file instead of the registry), so each is checked on any machine.

#include "storage/result.h"

#include <QString>

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
    // Under `root`: <root>/.config/autostart (Linux, or `xdgConfigHome` when given),
    // <root>/Library/LaunchAgents (macOS), <root>/HKCU-Run.ini for the Run key (Windows).
    static Autostart underRoot(AutostartPlatform platform, const QString& root);

    [[nodiscard]] AutostartPlatform platform() const { return m_platform; }
    [[nodiscard]] QString location() const;

    Status enable(const QString& executable);
    Status disable();
    [[nodiscard]] AutostartState state() const;

private:
    Autostart(AutostartPlatform platform, QString fileLocation, QString registryFile);
    [[nodiscard]] std::unique_ptr<QSettings> runKey() const;

    AutostartPlatform m_platform;
    QString m_file;         // Linux and macOS: the entry's file
    QString m_registryFile; // Windows: empty for the real registry, else an INI file standing in for it
};

} // namespace odis::agent
