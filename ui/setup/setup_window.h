#pragma once

// The first-run setup window (opened when the install is not enrolled or has no valid IDEXX Neo login,
// and from Settings to replace the login):
//   1. the enrollment code (skipped when the install is enrolled, e.g. by managed configuration);
//   2. IDEXX Neo's own login page in a visible view (neo_login_capture.h): the person types the login and,
//      when Neo asks, the second factor; the login is saved in the keychain only after Neo accepted it,
//      and recorded as validated (audited);
//   3. the first sync, asked of the resident agent, with its progress and its result (counts, calls
//      planned).
// Cancel before Neo accepted a login stores nothing; the page and its off-the-record profile go away.
//
// The first sync runs in the agent's sync process (odis-agent-sync), which is handed this window's live
// IDEXX Neo session (sync/neo/session_handover.h, over its standard input): an account whose every login
// asks for a second factor is read at once, without a second login; a session Neo no longer accepts
// means the run's own login.

#include "agent/resident/run_progress.h"
#include "storage/result.h"

#include <QByteArray>
#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QVBoxLayout;

namespace odis::sync {
class BackendClient;
class ClinicProfileFetcher;
class Enrollment;
} // namespace odis::sync
namespace odis::storage {
struct IdexxLogin;
}
namespace odis::agent {
class ResidentAgent;
struct AgentContext;
struct AgentConfig;
} // namespace odis::agent

namespace odis::ui {

class NeoLoginCapture;

class SetupWindow : public QWidget
{
    Q_OBJECT

public:
    enum class Page
    {
        Enroll,
        Login,
        FirstSync,
    };

    SetupWindow(agent::ResidentAgent& agent, agent::AgentContext& context, const agent::AgentConfig& config,
                QWidget* parent = nullptr);
    ~SetupWindow() override;

    // Opens at the first step still to do (replaceLogin: at the login, even when one is saved).
    void begin(bool replaceLogin = false);

    [[nodiscard]] Page page() const;
    [[nodiscard]] NeoLoginCapture* login() const { return m_capture.get(); }
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QString resultText() const;
    [[nodiscard]] bool finished() const { return m_finished; }
    // The first sync's result, once firstSyncFinished() was emitted.
    [[nodiscard]] const agent::RunResultLine& lastResult() const { return m_lastResult; }

Q_SIGNALS:
    void pageChanged(odis::ui::SetupWindow::Page page);
    void loginSaved();
    void firstSyncFinished(const odis::agent::RunResultLine& result);
    void dashboardRequested();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showPage(Page page);
    void enroll();
    void loadIdentityThenLogin();
    void startLogin();
    void onAccepted(const storage::IdexxLogin& login);
    void startFirstSync(QByteArray sessionHandover);
    void showProgress();
    void cancel();
    void audit(const QString& action, const QString& outcome);

    agent::ResidentAgent& m_agent;
    agent::AgentContext& m_context;
    const agent::AgentConfig& m_config;
    bool m_replacing = false;
    bool m_finished = false;
    agent::RunResultLine m_lastResult;
    QStackedWidget* m_pages = nullptr;
    QLineEdit* m_code = nullptr;
    QPushButton* m_enroll = nullptr;
    QLabel* m_enrollStatus = nullptr;
    QVBoxLayout* m_viewBox = nullptr;
    QLabel* m_loginStatus = nullptr;
    QLabel* m_syncStatus = nullptr;
    QPlainTextEdit* m_result = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_done = nullptr;
    std::unique_ptr<sync::BackendClient> m_backend;
    std::unique_ptr<sync::Enrollment> m_enrollment;
    std::unique_ptr<sync::ClinicProfileFetcher> m_profile;
    std::unique_ptr<NeoLoginCapture> m_capture;
    QPointer<QObject> m_progressLink;
};

} // namespace odis::ui
