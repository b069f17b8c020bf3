#include "agent/autostart/autostart.h"

#include "storage/codes/agent_codes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace odis::agent {

namespace {

constexpr QLatin1StringView kRunKeyPath{
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"};

// Desktop Entry Specification, "The Exec key": a quoted argument escapes ", `, $ and \ with a backslash;
// the file format then escapes each backslash once more.
QString desktopExecArgument(const QString& path)
{
    QString quoted;
    for (const QChar c : path) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    quoted.replace(u'\\', QStringLiteral("\\\\"));
    return u'"' + quoted + u'"';
}

// The inverse for the first argument of an Exec value: the file format's escapes, then the quoting's.
QString desktopExecProgram(const QString& value)
{
    QString unescaped;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) == u'\\' && i + 1 < value.size()) {
            const QChar c = value.at(++i);
            unescaped += c == u's' ? QChar(u' ') : c == u'n' ? QChar(u'\n') : c == u't' ? QChar(u'\t') : c;
            continue;
        }
        unescaped += value.at(i);
    }
    if (!unescaped.startsWith(u'"'))
        return unescaped.section(u' ', 0, 0);
    QString program;
    for (qsizetype i = 1; i < unescaped.size(); ++i) {
        const QChar c = unescaped.at(i);
        if (c == u'"')
            return program;
        if (c == u'\\' && i + 1 < unescaped.size())
            program += unescaped.at(++i);
        else
            program += c;
    }
    return {}; // unterminated quote
}

QString xmlEscaped(const QString& text)
{
    return text.toHtmlEscaped();
}

[[nodiscard]] Status writeFile(const QString& path, const QByteArray& content)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(codes::kAutostartWriteFailed, QStringLiteral("cannot create the folder of %1").arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return fail(codes::kAutostartWriteFailed, QStringLiteral("%1: %2").arg(path, file.errorString()));
    return ok();
}

} // namespace

AutostartPlatform currentAutostartPlatform()
{
#if defined(Q_OS_WIN)
    return AutostartPlatform::Windows;
#elif defined(Q_OS_MACOS)
    return AutostartPlatform::MacOS;
#else
    return AutostartPlatform::Linux;
#endif
}

QString autostartPlatformName(AutostartPlatform platform)
{
    switch (platform) {
    case AutostartPlatform::Linux:
        return QStringLiteral("linux");
    case AutostartPlatform::MacOS:
        return QStringLiteral("macos");
    case AutostartPlatform::Windows:
        return QStringLiteral("windows");
    }
    Q_UNREACHABLE();
    return QString();
}

QByteArray xdgDesktopEntry(const QString& executable)
{
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=Odis Clinic Agent\n"
                          "Comment=Syncs the clinic's IDEXX Neo visits with Odis\n"
                          "Exec=%1\n"
                          "Terminal=false\n"
                          "NoDisplay=true\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(desktopExecArgument(executable))
        .toUtf8();
}

QByteArray xdgHiddenEntry()
{
    return QByteArrayLiteral("[Desktop Entry]\n"
                             "Type=Application\n"
                             "Name=Odis Clinic Agent\n"
                             "Hidden=true\n");
}

QByteArray launchAgentPlist(const QString& executable)
{
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                          "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                          "<plist version=\"1.0\">\n"
                          "<dict>\n"
                          "  <key>Label</key>\n"
                          "  <string>%1</string>\n"
                          "  <key>ProgramArguments</key>\n"
                          "  <array>\n"
                          "    <string>%2</string>\n"
                          "  </array>\n"
                          "  <key>RunAtLoad</key>\n"
                          "  <true/>\n"
                          "  <key>LimitLoadToSessionType</key>\n"
                          "  <string>Aqua</string>\n"
                          "  <key>ProcessType</key>\n"
                          "  <string>Interactive</string>\n"
                          "</dict>\n"
                          "</plist>\n")
        .arg(QString(kLaunchAgentLabel), xmlEscaped(executable))
        .toUtf8();
}

QString runKeyCommand(const QString& executable)
{
    return u'"' + QDir::toNativeSeparators(executable) + u'"';
}

Autostart::Autostart(AutostartPlatform platform, QString fileLocation, QString registryFile,
                     QStringList systemEntries)
    : m_platform(platform)
    , m_file(std::move(fileLocation))
    , m_registryFile(std::move(registryFile))
    , m_systemEntries(std::move(systemEntries))
{}

Autostart Autostart::forCurrentUser()
{
    const AutostartPlatform platform = currentAutostartPlatform();
    switch (platform) {
    case AutostartPlatform::Linux: {
        // XDG_CONFIG_DIRS (default /etc/xdg), most important first, as the spec orders them.
        QString dirs = qEnvironmentVariable("XDG_CONFIG_DIRS");
        if (dirs.isEmpty())
            dirs = QStringLiteral("/etc/xdg");
        QStringList system;
        for (const QString& dir : dirs.split(u':', Qt::SkipEmptyParts))
            system << dir + QStringLiteral("/autostart/odis-agent.desktop");
        return Autostart(platform,
                         QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                             QStringLiteral("/autostart/odis-agent.desktop"),
                         {}, system);
    }
    case AutostartPlatform::MacOS:
        return Autostart(platform,
                         QDir::homePath() + QStringLiteral("/Library/LaunchAgents/") +
                             QString(kLaunchAgentLabel) + QStringLiteral(".plist"),
                         {});
    case AutostartPlatform::Windows:
        return Autostart(platform, {}, {});
    }
    Q_UNREACHABLE();
    return Autostart(platform, {}, {});
}

Autostart Autostart::underRoot(AutostartPlatform platform, const QString& root)
{
    switch (platform) {
    case AutostartPlatform::Linux:
        return Autostart(platform, root + QStringLiteral("/.config/autostart/odis-agent.desktop"), {},
                         {root + QStringLiteral("/etc/xdg/autostart/odis-agent.desktop")});
    case AutostartPlatform::MacOS:
        return Autostart(platform,
                         root + QStringLiteral("/Library/LaunchAgents/") + QString(kLaunchAgentLabel) +
                             QStringLiteral(".plist"),
                         {});
    case AutostartPlatform::Windows:
        return Autostart(platform, {}, root + QStringLiteral("/HKCU-Run.ini"));
    }
    Q_UNREACHABLE();
    return Autostart(platform, {}, {});
}

QString Autostart::location() const
{
    if (m_platform != AutostartPlatform::Windows)
        return m_file;
    return (m_registryFile.isEmpty() ? QString(kRunKeyPath) : m_registryFile) + u'\\' +
           QString(kRunValueName);
}

std::unique_ptr<QSettings> Autostart::runKey() const
{
    if (m_registryFile.isEmpty())
        return std::make_unique<QSettings>(QString(kRunKeyPath), QSettings::NativeFormat);
    return std::make_unique<QSettings>(m_registryFile, QSettings::IniFormat);
}

Status Autostart::enable(const QString& executable)
{
    switch (m_platform) {
    case AutostartPlatform::Linux:
        return writeFile(m_file, xdgDesktopEntry(executable));
    case AutostartPlatform::MacOS:
        return writeFile(m_file, launchAgentPlist(executable));
    case AutostartPlatform::Windows: {
        auto key = runKey();
        key->setValue(QString(kRunValueName), runKeyCommand(executable));
        key->sync();
        if (key->status() != QSettings::NoError)
            return fail(codes::kAutostartWriteFailed, QStringLiteral("%1 cannot be written").arg(location()));
        return ok();
    }
    }
    Q_UNREACHABLE();
    return ok();
}

Status Autostart::disable()
{
    if (m_platform == AutostartPlatform::Windows) {
        auto key = runKey();
        key->remove(QString(kRunValueName));
        key->sync();
        if (key->status() != QSettings::NoError)
            return fail(codes::kAutostartRemoveFailed,
                        QStringLiteral("%1 cannot be removed").arg(location()));
        return ok();
    }
    if (m_platform == AutostartPlatform::Linux && !systemEntry().isEmpty())
        return writeFile(m_file, xdgHiddenEntry());
    if (QFileInfo::exists(m_file) && !QFile::remove(m_file))
        return fail(codes::kAutostartRemoveFailed, QStringLiteral("%1 cannot be removed").arg(m_file));
    return ok();
}

QString Autostart::systemEntry() const
{
    for (const QString& entry : m_systemEntries) {
        if (QFileInfo::exists(entry))
            return entry;
    }
    return QString();
}

AutostartState Autostart::state() const
{
    AutostartState s;
    s.location = location();
    switch (m_platform) {
    case AutostartPlatform::Linux: {
        // The user's entry overrides the system's of the same name, also to hide it.
        const QString entry = QFileInfo::exists(m_file) ? m_file : systemEntry();
        QFile file(entry);
        if (entry.isEmpty() || !file.open(QIODevice::ReadOnly))
            return s;
        s.location = entry;
        s.enabled = true;
        for (const QString& line : QString::fromUtf8(file.readAll()).split(u'\n')) {
            if (line.startsWith(QLatin1String("Exec=")))
                s.executable = desktopExecProgram(line.mid(5));
            if (line.trimmed() == QLatin1String("Hidden=true"))
                s.enabled = false;
        }
        if (!s.enabled)
            s.executable.clear();
        return s;
    }
    case AutostartPlatform::MacOS: {
        QFile file(m_file);
        if (!file.open(QIODevice::ReadOnly))
            return s;
        s.enabled = true;
        static const QRegularExpression program(QStringLiteral("<array>\\s*<string>([^<]*)</string>"));
        if (const auto m = program.match(QString::fromUtf8(file.readAll())); m.hasMatch()) {
            QString path = m.captured(1);
            path.replace(QStringLiteral("&lt;"), QStringLiteral("<"))
                .replace(QStringLiteral("&gt;"), QStringLiteral(">"))
                .replace(QStringLiteral("&quot;"), QStringLiteral("\""))
                .replace(QStringLiteral("&amp;"), QStringLiteral("&"));
            s.executable = path;
        }
        return s;
    }
    case AutostartPlatform::Windows: {
        auto key = runKey();
        const QString command = key->value(QString(kRunValueName)).toString();
        s.enabled = !command.isEmpty();
        if (command.startsWith(u'"') && command.indexOf(u'"', 1) > 0)
            s.executable = QDir::fromNativeSeparators(command.mid(1, command.indexOf(u'"', 1) - 1));
        return s;
    }
    }
    return s;
}

} // namespace odis::agent
