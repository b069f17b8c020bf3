#include "ui/setup/setup_window.h"

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/resident/resident_agent.h"
#include "agent/run/sync_settings.h"
#include "storage/codes/backend_codes.h"
#include "storage/idexx_credentials.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/clinic_profile.h"
#include "sync/backend/enrollment.h"
#include "ui/setup/neo_login_capture.h"
#include "ui/tray_icons.h"
#include "ui/tray_state.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QWebEngineView>

#include <spdlog/spdlog.h>

namespace odis::ui {

namespace {

QLabel* textLabel(const QString& name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText); // Neo's messages are shown as text, never as HTML
    label->setWordWrap(true);
    return label;
}

} // namespace

SetupWindow::SetupWindow(agent::ResidentAgent& agent, agent::AgentContext& context,
                         const agent::AgentConfig& config, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_agent(agent)
    , m_context(context)
    , m_config(config)
{
    setObjectName(QStringLiteral("setup"));
    setWindowTitle(tr("Odis Clinic Agent: setup"));
    setWindowIcon(appIcon());
    setAccessibleName(tr("Setup"));
    m_pages = new QStackedWidget(this);

    // 1. Enrollment.
    auto* enrollPage = new QWidget(m_pages);
    auto* intro = textLabel(QStringLiteral("enroll_intro"), enrollPage);
    intro->setText(tr("Step 1 of 3: connect this computer to Odis. Type the enrollment code Odis gave the "
                      "clinic."));
    m_code = new QLineEdit(enrollPage);
    m_code->setObjectName(QStringLiteral("enroll_code"));
    m_code->setAccessibleName(tr("Enrollment code"));
    auto* codeLabel = new QLabel(tr("Enrollment &code:"), enrollPage);
    codeLabel->setBuddy(m_code);
    m_enroll = new QPushButton(tr("&Enroll"), enrollPage);
    m_enroll->setObjectName(QStringLiteral("enroll_button"));
    m_enroll->setAccessibleName(tr("Enroll this computer"));
    m_enroll->setDefault(true);
    m_enrollStatus = textLabel(QStringLiteral("enroll_status"), enrollPage);
    auto* codeRow = new QHBoxLayout;
    codeRow->addWidget(codeLabel);
    codeRow->addWidget(m_code, 1);
    codeRow->addWidget(m_enroll);
    auto* enrollBox = new QVBoxLayout(enrollPage);
    enrollBox->addWidget(intro);
    enrollBox->addLayout(codeRow);
    enrollBox->addWidget(m_enrollStatus);
    enrollBox->addStretch();
    m_pages->addWidget(enrollPage);
    connect(m_enroll, &QPushButton::clicked, this, &SetupWindow::enroll);
    connect(m_code, &QLineEdit::returnPressed, this, &SetupWindow::enroll);

    // 2. IDEXX Neo's own login page.
    auto* loginPage = new QWidget(m_pages);
    m_loginStatus = textLabel(QStringLiteral("login_status"), loginPage);
    m_viewBox = new QVBoxLayout;
    auto* loginBox = new QVBoxLayout(loginPage);
    loginBox->addWidget(m_loginStatus);
    loginBox->addLayout(m_viewBox, 1);
    m_pages->addWidget(loginPage);

    // 3. The first sync.
    auto* syncPage = new QWidget(m_pages);
    m_syncStatus = textLabel(QStringLiteral("sync_status"), syncPage);
    m_result = new QPlainTextEdit(syncPage);
    m_result->setObjectName(QStringLiteral("sync_result"));
    m_result->setAccessibleName(tr("Result of the first sync"));
    m_result->setReadOnly(true);
    auto* syncBox = new QVBoxLayout(syncPage);
    syncBox->addWidget(m_syncStatus);
    syncBox->addWidget(m_result, 1);
    m_pages->addWidget(syncPage);

    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel_button"));
    m_cancel->setAccessibleName(tr("Cancel the setup"));
    m_done = new QPushButton(tr("Open the &dashboard"), this);
    m_done->setObjectName(QStringLiteral("done_button"));
    m_done->setAccessibleName(tr("Close the setup and open the dashboard"));
    m_done->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &SetupWindow::cancel);
    connect(m_done, &QPushButton::clicked, this, [this] {
        Q_EMIT dashboardRequested();
        close();
    });
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_done);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages, 1);
    layout->addLayout(buttons);
    resize(900, 720);
}

SetupWindow::~SetupWindow() = default;

SetupWindow::Page SetupWindow::page() const
{
    return static_cast<Page>(m_pages->currentIndex());
}

QString SetupWindow::statusText() const
{
    switch (page()) {
    case Page::Enroll:
        return m_enrollStatus->text();
    case Page::Login:
        return m_loginStatus->text();
    case Page::FirstSync:
        return m_syncStatus->text();
    }
    return {};
}

QString SetupWindow::resultText() const
{
    return m_result->toPlainText();
}

void SetupWindow::showPage(Page p)
{
    m_pages->setCurrentIndex(static_cast<int>(p));
    Q_EMIT pageChanged(p);
}

void SetupWindow::begin(bool replaceLogin)
{
    m_replacing = replaceLogin;
    m_finished = false;
    auto client = sync::BackendClient::create(m_config.backend(), m_context.clock);
    if (!client) {
        showPage(Page::Enroll);
        m_enrollStatus->setText(
            tr("The agent's configuration cannot be used: %1").arg(client.error().message));
        m_enroll->setEnabled(false);
        return;
    }
    m_backend = std::move(*client);
    m_enrollment = std::make_unique<sync::Enrollment>(*m_backend, m_context.db(), *m_context.secrets,
                                                      m_context.logging->redactor(), m_context.clock);
    m_profile = std::make_unique<sync::ClinicProfileFetcher>(*m_backend, m_context.db(), m_context.clock);
    auto enrolled = m_enrollment->storedIdentity();
    if (enrolled && *enrolled) {
        loadIdentityThenLogin();
        return;
    }
    showPage(Page::Enroll);
    m_code->setFocus();
}

void SetupWindow::enroll()
{
    const QString code = m_code->text().trimmed();
    if (code.isEmpty()) {
        m_enrollStatus->setText(tr("Type the enrollment code first."));
        return;
    }
    m_enroll->setEnabled(false);
    m_enrollStatus->setText(tr("Enrolling…"));
    m_enrollment->enroll(
        sync::EnrollmentRequest{code, {}, {}, {}}, [this](Result<sync::AgentIdentity> identity) {
            m_enroll->setEnabled(true);
            if (!identity) {
                audit(QStringLiteral("enrollment.failed"), identity.error().code);
                m_enrollStatus->setText(
                    identity.error().code == codes::kEnrollmentCodeInvalid
                        ? tr("Odis does not know this code, or it was used already. Check it "
                             "and try again.")
                        : tr("Enrollment failed: %1").arg(identity.error().message));
                return;
            }
            audit(QStringLiteral("enrollment.completed"), QStringLiteral("ok"));
            loadIdentityThenLogin();
        });
}

void SetupWindow::loadIdentityThenLogin()
{
    showPage(Page::Login);
    m_loginStatus->setText(tr("Step 2 of 3: asking Odis where the clinic's IDEXX Neo is…"));
    m_enrollment->load([this](Result<sync::AgentIdentity> identity) {
        if (!identity) {
            m_loginStatus->setText(
                tr("This computer's enrollment cannot be read: %1").arg(identity.error().message));
            return;
        }
        m_profile->fetch([this](Result<sync::ClinicProfile> profile) {
            if (!profile) {
                m_loginStatus->setText(tr("Odis could not be reached for the clinic's settings: %1")
                                           .arg(profile.error().message));
                return;
            }
            auto base = agent::neoBaseUrl(profile->json, m_config.neoBaseUrl);
            auto origin =
                base ? sync::NeoOrigin::fromBaseUrl(*base) : Result<sync::NeoOrigin>(propagate(base));
            if (!origin) {
                m_loginStatus->setText(
                    tr("The clinic's IDEXX Neo address is not usable: %1").arg(origin.error().message));
                return;
            }
            m_capture = std::make_unique<NeoLoginCapture>(*origin);
            startLogin();
        });
    });
}

void SetupWindow::startLogin()
{
    connect(m_capture.get(), &NeoLoginCapture::stateChanged, this, [this](NeoLoginCapture::State state) {
        switch (state) {
        case NeoLoginCapture::State::Loading:
            m_loginStatus->setText(tr("Step 2 of 3: opening IDEXX Neo's login page…"));
            break;
        case NeoLoginCapture::State::WaitingForLogin:
            m_loginStatus->setText(
                tr("Step 2 of 3: log in to IDEXX Neo below with the clinic's account (company "
                   "id, user name, password). Odis keeps the login in this computer's "
                   "keychain once IDEXX accepted it."));
            break;
        case NeoLoginCapture::State::Checking:
            m_loginStatus->setText(tr("Step 2 of 3: waiting for IDEXX Neo's answer…"));
            break;
        case NeoLoginCapture::State::WaitingForCode:
            m_loginStatus->setText(
                tr("Step 2 of 3: IDEXX Neo asks for a second factor. Type the code IDEXX sent "
                   "you on its page below."));
            break;
        case NeoLoginCapture::State::Accepted:
            m_loginStatus->setText(tr("IDEXX Neo accepted the login. Saving it in the keychain…"));
            break;
        case NeoLoginCapture::State::Failed:
            break;
        }
    });
    connect(m_capture.get(), &NeoLoginCapture::rejected, this, [this](const QString& message) {
        m_loginStatus->setText(
            tr("IDEXX Neo did not accept the login: %1 Nothing was saved; check the login and "
               "try again.")
                .arg(message));
    });
    connect(m_capture.get(), &NeoLoginCapture::failed, this, [this](const Error& error) {
        m_loginStatus->setText(tr("The login could not be completed: %1").arg(error.message));
    });
    connect(m_capture.get(), &NeoLoginCapture::accepted, this, &SetupWindow::onAccepted);
    if (auto started = m_capture->start(this); !started) {
        m_loginStatus->setText(tr("IDEXX Neo's page cannot be shown: %1").arg(started.error().message));
        return;
    }
    m_viewBox->addWidget(m_capture->view());
    m_capture->view()->setFocus();
}

void SetupWindow::onAccepted(const storage::IdexxLogin& login)
{
    m_context.logging->redactor().addSensitiveValue(login.username);
    m_context.logging->redactor().addSensitiveValue(login.password);
    const bool hadLogin = m_context.credentials->status() &&
                          m_context.credentials->status()->state != storage::CredentialState::NotConfigured;
    m_context.credentials->save(login, [this, hadLogin](Status saved) {
        audit(hadLogin ? QStringLiteral("credentials.rotated") : QStringLiteral("credentials.saved"),
              saved ? QStringLiteral("configured") : saved.error().code);
        if (!saved) {
            m_loginStatus->setText(tr("IDEXX Neo accepted the login, but the keychain did not keep it: %1")
                                       .arg(saved.error().message));
            return;
        }
        auto validated = m_context.credentials->record(
            storage::CredentialEvent::Validated, QStringLiteral("accepted by IDEXX Neo in the setup window"));
        audit(QStringLiteral("credentials.validated"),
              validated ? QStringLiteral("validated") : validated.error().code);
        // The session Neo just opened (after the second factor, when it asked) is handed to the first
        // sync: an account that asks for a second factor at every login could not be read otherwise.
        QByteArray handover = m_capture ? m_capture->sessionHandover() : QByteArray();
        if (m_capture)
            m_capture->stop(); // this window's page and profile go; the session lives on in the run
        Q_EMIT loginSaved();
        startFirstSync(std::move(handover));
    });
}

void SetupWindow::startFirstSync(QByteArray sessionHandover)
{
    showPage(Page::FirstSync);
    m_cancel->setText(tr("Close"));
    m_syncStatus->setText(tr("Step 3 of 3: the first sync is starting…"));
    delete m_progressLink;
    auto* link = new QObject(this);
    m_progressLink = link;
    connect(&m_agent, &agent::ResidentAgent::changed, link, [this] { showProgress(); });
    QPointer<SetupWindow> self(this);
    m_agent.syncNow(
        agent::RunTrigger::Manual,
        [self, link](const agent::RunResultLine& result) {
            if (!self)
                return;
            delete link;
            self->m_finished = true;
            self->m_lastResult = result;
            const bool ok =
                result.status == QLatin1String("completed") || result.status == QLatin1String("partial");
            self->m_syncStatus->setText(
                ok ? tr("The first sync is done. The agent now syncs every 4 hours by itself.")
                   : tr("The first sync did not complete: %1").arg(result.errorMessage));
            self->m_result->setPlainText(result.summary);
            self->m_done->setEnabled(true);
            self->m_done->setDefault(true);
            Q_EMIT self->firstSyncFinished(result);
        },
        std::move(sessionHandover));
}

void SetupWindow::showProgress()
{
    if (m_finished)
        return;
    const QString progress = runProgressText(m_agent.status());
    if (!progress.isEmpty())
        m_syncStatus->setText(tr("Step 3 of 3: the first sync: %1").arg(progress));
}

void SetupWindow::cancel()
{
    close();
}

void SetupWindow::closeEvent(QCloseEvent* event)
{
    if (m_capture && m_capture->state() != NeoLoginCapture::State::Accepted) {
        spdlog::info("setup closed before IDEXX Neo accepted a login: nothing was saved");
        audit(QStringLiteral("setup.cancelled"), QStringLiteral("nothing_stored"));
    }
    if (m_capture) {
        m_capture->stop();
        m_capture.reset();
    }
    event->accept();
}

void SetupWindow::audit(const QString& action, const QString& outcome)
{
    if (auto appended = m_context.audit->append(QStringLiteral("setup"), action,
                                                QStringLiteral("idexx_credentials"), outcome);
        !appended)
        spdlog::error("setup: the audit log was not written ({})", appended.error().code.toStdString());
}

} // namespace odis::ui
