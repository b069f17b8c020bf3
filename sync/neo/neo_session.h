#pragma once

#include "storage/idexx_credentials.h"
#include "storage/result.h"
#include "sync/core/neo_json.h"
#include "sync/neo/neo_origin.h"
#include "sync/neo/neo_session_config.h"
#include "sync/neo/session_queue.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QWebEnginePage;
class QWebEngineProfile;

namespace odis::storage {
class Redactor;
}

namespace odis::sync {

class LoginFlow;
class NeoPageHost;
class PageVisit;
class NeoProfile;
struct LoginOutcome;
struct PageFetchResult;

// The agent's IDEXX Neo session for one sync run: an off-the-record profile and one view-less page on
// the clinic's Neo origin, a login with the clinic's credential triple, and same-origin data calls made
// from inside the page. Everything is asynchronous: callbacks run later from the event loop (never
// inside a QtWebEngine signal), once each, with typed errors (neo_session_errors.h, neo_json.h).
//
// Upkeep: a call that finds the session expired (HTTP 401, or a redirect that ends on the login page)
// triggers one new login and is sent again; still expired after that is neo_session_lost. A rejected
// login is never repeated by the session (the clinic's shared account could lock): the session enters
// Rejected and refuses to submit again. A crashed renderer or a hung page is recovered by recreating
// the page, at most maxPageRecoveries times; a login whose form may already have been sent is not
// resumed. close() (or destruction) deletes the page before the profile and frees the renderer.
// One operation at a time on the page: data calls run side by side in one document, and a page visit
// (visit(), the DOM fallback) replaces that document, so it waits until the calls in flight have
// answered, and calls wait while it runs.
// Destroying the session drops callbacks that have not run yet; close() first to receive them.
class NeoSession final : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Idle,              // not logged in yet
        LoggingIn,         // a login (first or after expiry) is running
        Ready,             // logged in: calls are made
        NeedsSecondFactor, // Neo asks for a code; unattended runs stop here
        Rejected,          // Neo refused the credentials; this session never submits them again
        Failed,            // stopped on an error (see the callbacks' errors)
        Closed,
    };
    Q_ENUM(State)

    using StatusCallback = std::function<void(Status)>;
    using CallCallback = NeoCallQueue::Callback;
    using VisitCallback = PageVisitQueue::Callback;

    // neo_config_invalid for a base URL that is not https. `redactor` (optional) learns the user name
    // and password at login, so that they can never reach a log.
    [[nodiscard]] static Result<std::unique_ptr<NeoSession>> create(NeoSessionConfig config,
                                                                    storage::Redactor* redactor = nullptr);
    ~NeoSession() override;

    // Where a login's credentials come from: called for each login (the first, and a new one after the
    // session expired), it answers once with the triple (from the keychain) or the error that keeps it.
    using LoginSource = std::function<void(std::function<void(Result<storage::IdexxLogin>)>)>;

    // Logs in with the triple `source` gives. The session keeps no copy of the password between logins:
    // it asks the source again when a new login is needed, and the login attempt wipes its copy when it
    // ends. Ok when already Ready; joins a login that is already running. Errors: neo_login_rejected
    // (loginPageMessage() holds Neo's words for a person), neo_second_factor_required,
    // neo_login_unknown_outcome (the form was sent; Neo's answer is not one the agent knows),
    // neo_credentials_incomplete, neo_login_unexpected (nothing was sent; naming the step), neo_tls_error,
    // neo_renderer_crashed, neo_page_hung, neo_login_refused (after a rejection), neo_session_closed, and
    // the source's own errors.
    void login(LoginSource source, StatusCallback done);
    // The same with a triple the caller holds: the session keeps a copy of it for new logins until it is
    // closed (tests, and callers that own no keychain).
    void login(const storage::IdexxLogin& login, StatusCallback done);

    // GET `pathAndQuery` (an absolute path on the Neo origin) as an in-page fetch. Delivers Neo's answer
    // for any status other than "session expired" (decodeNeoJson judges it), or an error:
    // neo_session_lost, neo_login_rejected / neo_second_factor_required (the new login failed),
    // neo_call_timeout, neo_network_error, neo_config_invalid, neo_not_logged_in, neo_tls_error,
    // neo_page_load_failed, neo_renderer_crashed, neo_page_hung, neo_session_closed.
    void get(const QString& pathAndQuery, CallCallback done);

    // Loads the Neo page `request.path` into the session's page, waits for it and runs the page script
    // `request.scriptName` there in the isolated world (PageVisit), e.g. the DOM fallback's reader.
    // Delivers Neo's HTTP status with the script's answer (the script runs on 2xx pages only). A page
    // that ends on /login (or answers 401) is an expired session: one new login, then the visit again.
    // Errors: those of get() and of PageVisit.
    void visit(PageVisitRequest request, VisitCallback done);

    // Ends the session: pending work fails with neo_session_closed, the page and then the profile are
    // deleted, the credentials are forgotten. Idempotent.
    void close();

    [[nodiscard]] State state() const { return m_state; }
    // Stable snake_case names for run reports: "needs_second_factor", ...
    [[nodiscard]] static QString stateName(State state);
    // Neo's own text after a rejection, to show a person. Never log it.
    [[nodiscard]] QString loginPageMessage() const { return m_loginPageMessage; }

    // Diagnostics (and tests): ids and counts only.
    [[nodiscard]] QWebEnginePage* page() const;
    [[nodiscard]] QWebEngineProfile* profile() const;
    [[nodiscard]] const NeoProfile* neoProfile() const;
    [[nodiscard]] int pageRecoveries() const { return m_recoveries; }
    [[nodiscard]] int relogins() const { return m_relogins; }
    [[nodiscard]] int loginSubmissions() const { return m_loginSubmissions; }

Q_SIGNALS:
    void stateChanged(odis::sync::NeoSession::State state);
    void pageRecreated(int recoveries);

private:
    NeoSession(NeoSessionConfig config, NeoOrigin origin, storage::Redactor* redactor);

    void startLogin();
    void awaitHandedCookie(quint64 fetch);
    void fetchLogin(quint64 fetch);
    void startLoginWith(storage::IdexxLogin login);
    void startRelogin();
    [[nodiscard]] bool loginRunning() const { return m_loginFlow != nullptr || m_fetchingLogin; }
    void onLoginFinished(LoginOutcome outcome);
    void abortLogin();
    void schedulePump();
    void pump();
    void onDocumentLost();
    void dispatch(NeoCall& call);
    void onFetched(quint64 callId, quint64 epoch, Result<PageFetchResult> result);
    void startVisit();
    void onVisited(quint64 visitId, quint64 epoch, Result<PageVisitResult> result);
    void endVisit();
    void recoverPage(const Error& reason);
    void onRendererGone(int status, int exitCode);
    void abandonInFlight();
    void failCalls(const Error& error);
    void settleLoginWaiters(const Status& status);
    void stop(State state, const Error& error);
    void setState(State state);
    [[nodiscard]] Error stateError() const;

    NeoSessionConfig m_config;
    NeoOrigin m_origin;
    storage::Redactor* m_redactor;
    NeoPageHost* m_host; // child: the profile and its page
    LoginFlow* m_loginFlow = nullptr;
    LoginSource m_loginSource; // asked for each login, this run only; holds no password itself
    bool m_fetchingLogin = false;
    quint64 m_loginFetch = 0; // raised when a login is abandoned: a late answer of the source is dropped
    QList<StatusCallback> m_loginWaiters;
    NeoCallQueue m_calls;
    PageVisitQueue m_visits;
    PageVisit* m_activeVisit = nullptr; // child; runs m_visits.first() with the host paused
    State m_state = State::Idle;
    QString m_loginPageMessage;
    std::optional<Error> m_stopError; // why the session left Ready for good
    quint64 m_epoch = 0;              // raised whenever in-flight page work is abandoned
    quint64 m_loginGeneration = 0;    // raised by every successful login
    bool m_pumpScheduled = false;
    int m_recoveries = 0;
    int m_relogins = 0;
    int m_loginSubmissions = 0;
};

} // namespace odis::sync
