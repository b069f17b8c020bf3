#pragma once

#include "storage/idexx_credentials.h"
#include "storage/result.h"
#include "sync/neo/login_verdict.h"
#include "sync/neo/neo_origin.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWebEngineLoadingInfo>

#include <chrono>
#include <functional>

namespace odis::sync {

class NeoPage;
class SessionCookieWatch;

struct LoginOutcome
{
    Status status;              // ok, or neo_login_rejected / neo_second_factor_required / neo_tls_error, or
                                // once the form was submitted neo_login_unknown_outcome for anything else;
                                // before: neo_login_unexpected / neo_page_hung / neo_script_failed
    QString pageMessage;        // Neo's own words with a rejection, for a person: never log it
    bool formSubmitted = false; // the form may have reached Neo: the attempt must not be repeated
};

// One login attempt on one page: load /login, fill the credential triple from the isolated world,
// submit it exactly once, and read what Neo answers. It never submits twice and never retries: a
// rejected password repeated by a machine can lock the clinic's shared account. Each step has a
// time-out, and every failure names its step. The callback runs once; after it the flow is inert.
class LoginFlow final : public QObject
{
    Q_OBJECT

public:
    enum class Step
    {
        OpenLoginPage,
        FillForm,
        AwaitOutcome,
        Done,
    };

    struct Timing
    {
        std::chrono::milliseconds step{30000};  // each step's time-out
        std::chrono::milliseconds settle{5000}; // how long a loaded page may take to show its verdict
    };

    using Callback = std::function<void(LoginOutcome)>;

    LoginFlow(NeoPage& page, SessionCookieWatch& cookies, NeoOrigin origin, storage::IdexxLogin login,
              Timing timing, QObject* parent = nullptr);

    void start(Callback done);

    [[nodiscard]] Step step() const { return m_step; }
    [[nodiscard]] bool formSubmitted() const { return m_submitted; }
    [[nodiscard]] static const char* stepName(Step step);

private:
    void onLoadFinished(bool ok);
    void onLoadingChanged(const QWebEngineLoadingInfo& info);
    void onTimeout();
    void fillAndSubmit();
    void onSubmitted(const Result<QJsonValue>& result);
    void readOutcome(std::chrono::milliseconds settle);
    void onOutcome(const Result<QJsonValue>& result);
    void judge();
    void enter(Step step);
    void finish(Status status, QString pageMessage = {});
    void unexpected(const QString& what);

    QPointer<NeoPage> m_page;
    SessionCookieWatch& m_cookies;
    NeoOrigin m_origin;
    storage::IdexxLogin m_login;
    Timing m_timing;
    Callback m_done;
    QTimer m_timer;
    Step m_step = Step::OpenLoginPage;
    bool m_submitted = false;
    bool m_tlsRefused = false;
    quint64 m_readings = 0;
    bool m_alreadySignedIn = false; // /login showed the dashboard: nothing to submit
    quint64 m_cookieGenerationAtSubmit = 0;
    LoginPageState m_lastPage;
    bool m_haveLastPage = false;
    QStringList m_errorTextsBefore; // what the login page showed before the click (never logged)
};

} // namespace odis::sync
