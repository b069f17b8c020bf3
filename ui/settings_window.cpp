#include "ui/settings_window.h"

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/autostart/autostart.h"
#include "agent/diagnostics/diagnostics_bundle.h"
#include "agent/resident/resident_agent.h"
#include "storage/credential_state.h"
#include "ui/tray_icons.h"
#include "ui/user_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

namespace odis::ui {

namespace {

QString credentialText(storage::CredentialState state)
{
    switch (state) {
    case storage::CredentialState::NotConfigured:
        return SettingsWindow::tr("No IDEXX Neo login is saved.");
    case storage::CredentialState::Configured:
        return SettingsWindow::tr("A login is saved; the next sync checks it with IDEXX Neo.");
    case storage::CredentialState::Validated:
    case storage::CredentialState::Active:
        return SettingsWindow::tr("The saved login works (IDEXX Neo accepted it).");
    case storage::CredentialState::Suspended:
        return SettingsWindow::tr("IDEXX Neo refused the saved login: replace it. Syncs wait until then.");
    case storage::CredentialState::Revoked:
        return SettingsWindow::tr("This computer was retired by Odis: enroll it again to save a login.");
    }
    return {};
}

// What start at login runs: the CLI beside this program (or in bin/ of a Linux install), which hands over
// to the agent with its window.
QString autostartExecutable()
{
    const QString here = QCoreApplication::applicationDirPath();
    const QStringList candidates{here + QStringLiteral("/odis-agent"),
                                 here + QStringLiteral("/odis-agent.exe"),
                                 QDir::cleanPath(here + QStringLiteral("/../../bin/odis-agent"))};
    for (const QString& candidate : candidates) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).absoluteFilePath();
    }
    return QCoreApplication::applicationFilePath();
}

} // namespace

SettingsWindow::SettingsWindow(agent::ResidentAgent& agent, agent::AgentContext& context,
                               const agent::AgentConfig& config, agent::AgentConfigPaths paths,
                               QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_agent(agent)
    , m_context(context)
    , m_config(config)
    , m_paths(std::move(paths))
{
    setObjectName(QStringLiteral("settings"));
    setWindowTitle(tr("Odis Clinic Agent: settings"));
    setWindowIcon(appIcon());
    setAccessibleName(tr("Settings"));

    auto* loginBox = new QGroupBox(tr("IDEXX Neo login"), this);
    m_login = new QLabel(loginBox);
    m_login->setObjectName(QStringLiteral("login_state"));
    m_login->setTextFormat(Qt::PlainText);
    m_login->setWordWrap(true);
    m_replace = new QPushButton(tr("&Replace the login…"), loginBox);
    m_replace->setObjectName(QStringLiteral("replace_login"));
    m_replace->setAccessibleName(tr("Replace the IDEXX Neo login"));
    m_remove = new QPushButton(tr("Re&move the login"), loginBox);
    m_remove->setObjectName(QStringLiteral("remove_login"));
    m_remove->setAccessibleName(tr("Remove the IDEXX Neo login from this computer"));
    auto* loginButtons = new QHBoxLayout;
    loginButtons->addWidget(m_replace);
    loginButtons->addWidget(m_remove);
    loginButtons->addStretch();
    auto* loginLayout = new QVBoxLayout(loginBox);
    loginLayout->addWidget(m_login);
    loginLayout->addLayout(loginButtons);

    auto* agentBox = new QGroupBox(tr("This computer"), this);
    m_telemetry = new QCheckBox(tr("Send anonymous usage &statistics to Odis (counts and codes, never clinic "
                                   "data)"),
                                agentBox);
    m_telemetry->setObjectName(QStringLiteral("telemetry"));
    m_autostart = new QCheckBox(tr("Start the agent when I &log in"), agentBox);
    m_autostart->setObjectName(QStringLiteral("autostart"));
    m_logLevel = new QComboBox(agentBox);
    m_logLevel->setObjectName(QStringLiteral("log_level"));
    m_logLevel->setAccessibleName(tr("Log level"));
    for (const char* level : {"error", "warn", "info", "debug"})
        m_logLevel->addItem(QString::fromLatin1(level), QString::fromLatin1(level));
    auto* levelLabel = new QLabel(tr("Log &level:"), agentBox);
    levelLabel->setBuddy(m_logLevel);
    auto* form = new QFormLayout(agentBox);
    form->addRow(m_telemetry);
    form->addRow(m_autostart);
    form->addRow(levelLabel, m_logLevel);

    m_diagnostics = new QPushButton(tr("Create &diagnostics bundle…"), this);
    m_diagnostics->setObjectName(QStringLiteral("diagnostics"));
    m_diagnostics->setAccessibleName(tr("Create a diagnostics bundle for Odis support"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(loginBox);
    layout->addWidget(agentBox);
    layout->addWidget(m_diagnostics, 0, Qt::AlignLeft);
    layout->addWidget(m_message);
    layout->addStretch();
    resize(640, 460);

    connect(m_replace, &QPushButton::clicked, this, &SettingsWindow::replaceLoginRequested);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(
                this, tr("Remove the login"),
                tr("Remove the IDEXX Neo login from this computer? Syncs stop until someone "
                   "logs in again.")) == QMessageBox::Yes)
            removeLogin();
    });
    connect(m_telemetry, &QCheckBox::toggled, this, &SettingsWindow::setTelemetry);
    connect(m_autostart, &QCheckBox::toggled, this, &SettingsWindow::setAutostart);
    connect(m_logLevel, &QComboBox::currentIndexChanged, this,
            [this](int i) { setLogLevel(m_logLevel->itemData(i).toString()); });
    connect(m_diagnostics, &QPushButton::clicked, this, [this] {
        const QString suggested =
            QStandardPaths::writableLocation(QStandardPaths::DesktopLocation) +
            QStringLiteral("/odis-diagnostics-%1.zip")
                .arg(m_context.clock.nowUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")));
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the diagnostics bundle"), suggested,
                                                          tr("ZIP archives (*.zip)"));
        if (!path.isEmpty())
            createDiagnostics(path);
    });
    reload();
}

void SettingsWindow::reload()
{
    m_loading = true;
    auto status = m_context.credentials->status();
    const auto state = status ? status->state : storage::CredentialState::NotConfigured;
    m_login->setText(status ? credentialText(state) : tr("The login's state cannot be read."));
    m_remove->setEnabled(state != storage::CredentialState::NotConfigured &&
                         state != storage::CredentialState::Revoked);
    m_replace->setEnabled(state != storage::CredentialState::Revoked);

    m_telemetry->setChecked(m_config.telemetryEnabled);
    m_logLevel->setCurrentIndex(std::max(0, m_logLevel->findData(agent::logLevelName(m_config.logLevel))));
    m_autostart->setChecked(agent::Autostart::forCurrentUser().state().enabled);

    auto managed = readManagedSettings(m_paths);
    const QString locked = managed ? tr(" (set by your IT in %1)").arg(managed->source) : QString();
    m_telemetry->setEnabled(!managed || !managed->telemetry);
    m_logLevel->setEnabled(!managed || !managed->logLevel);
    m_telemetry->setToolTip(m_telemetry->isEnabled() ? QString() : tr("Locked") + locked);
    m_logLevel->setToolTip(m_logLevel->isEnabled() ? QString() : tr("Locked") + locked);
    m_telemetry->setAccessibleName(m_telemetry->text().remove(u'&') +
                                   (m_telemetry->isEnabled() ? QString() : locked));
    m_autostart->setAccessibleName(m_autostart->text().remove(u'&'));
    m_loading = false;
}

QString SettingsWindow::loginText() const
{
    return m_login->text();
}

QString SettingsWindow::messageText() const
{
    return m_message->text();
}

void SettingsWindow::say(const QString& text)
{
    m_message->setText(text);
    m_message->setAccessibleName(text);
}

void SettingsWindow::removeLogin()
{
    m_context.credentials->remove(QStringLiteral("removed in Settings"), [this](Status removed) {
        if (auto audited =
                m_context.audit->append(QStringLiteral("settings"), QStringLiteral("credentials.deleted"),
                                        QStringLiteral("idexx_credentials"),
                                        removed ? QStringLiteral("removed") : removed.error().code);
            !audited)
            spdlog::error("settings: the audit log was not written ({})", audited.error().code.toStdString());
        say(removed ? tr("The IDEXX Neo login was removed from this computer.")
                    : tr("The login could not be removed: %1").arg(removed.error().message));
        reload();
    });
}

void SettingsWindow::setTelemetry(bool on)
{
    if (m_loading)
        return;
    auto saved =
        saveUserSetting(m_paths.userFile, QStringLiteral("telemetry"), QStringLiteral("enabled"), on);
    say(saved ? tr("Usage statistics are %1 from the agent's next start.").arg(on ? tr("on") : tr("off"))
              : tr("Not changed: %1").arg(saved.error().message));
}

void SettingsWindow::setAutostart(bool on)
{
    if (m_loading)
        return;
    agent::Autostart autostart = agent::Autostart::forCurrentUser();
    const Status changed = on ? autostart.enable(autostartExecutable()) : autostart.disable();
    say(changed ? (on ? tr("The agent starts when you log in.")
                      : tr("The agent no longer starts when you log in."))
                : tr("Not changed: %1").arg(changed.error().message));
}

void SettingsWindow::setLogLevel(const QString& level)
{
    if (m_loading)
        return;
    auto saved = saveUserSetting(m_paths.userFile, {}, QStringLiteral("log_level"), level);
    say(saved ? tr("The log level is %1 from the agent's next start.").arg(level)
              : tr("Not changed: %1").arg(saved.error().message));
}

QString SettingsWindow::createDiagnostics(const QString& path)
{
    auto written = agent::writeDiagnosticsBundle(
        agent::DiagnosticsSources{m_context, m_config, m_context.clock, m_agent.status()}, path);
    if (!written) {
        say(tr("The diagnostics bundle could not be written: %1").arg(written.error().message));
        return messageText();
    }
    QStringList names;
    for (const agent::DiagnosticsFile& f : written->files)
        names << f.name;
    say(tr("Saved %1 (%2 files: %3). It holds no password and no clinic data; send it to Odis support.")
            .arg(QDir::toNativeSeparators(path))
            .arg(written->files.size())
            .arg(names.join(QStringLiteral(", "))));
    return messageText();
}

} // namespace odis::ui
