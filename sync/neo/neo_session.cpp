#include "sync/neo/neo_session.h"

#include "storage/redactor.h"
#include "sync/neo/login_flow.h"
#include "sync/neo/neo_page.h"
#include "sync/neo/neo_page_host.h"
#include "sync/neo/neo_profile.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_fetch.h"
#include "sync/neo/page_script_calls.h"
#include "sync/neo/session_cookie_watch.h"
#include "sync/neo/session_handover.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QWebEngineCookieStore>
#include <QWebEngineProfile>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcSession, "odis.sync.neo.session")

constexpr std::chrono::milliseconds kHandedCookieWait{3000};

Error makeError(QLatin1StringView code, QString message)
{
    return Error{QString(code), std::move(message)};
}
} // namespace

Result<std::unique_ptr<NeoSession>> NeoSession::create(NeoSessionConfig config, storage::Redactor* redactor)
{
    auto origin = NeoOrigin::fromBaseUrl(config.baseUrl);
    if (!origin) {
        return propagate(origin);
    }
    return std::unique_ptr<NeoSession>(new NeoSession(std::move(config), *origin, redactor));
}

NeoSession::NeoSession(NeoSessionConfig config, NeoOrigin origin, storage::Redactor* redactor)
    : m_config(std::move(config))
    , m_origin(std::move(origin))
    , m_redactor(redactor)
    , m_host(new NeoPageHost(m_origin, m_config.pageLoadTimeout, this))
    , m_calls(this)
    , m_visits(this)
{
    connect(m_host, &NeoPageHost::documentLost, this, &NeoSession::onDocumentLost);
    connect(m_host, &NeoPageHost::originReady, this, &NeoSession::schedulePump);
    connect(m_host, &NeoPageHost::originFailed, this, &NeoSession::failCalls);
    connect(m_host, &NeoPageHost::rendererGone, this, &NeoSession::onRendererGone);
    m_host->setProxyLogin(m_config.proxyUser, m_config.proxyPassword);
}

NeoSession::~NeoSession()
{
    close();
}

QString NeoSession::stateName(State state)
{
    // In the order of State; Closed is the last one.
    static constexpr const char* kNames[] = {"idle",     "logging_in", "ready", "needs_second_factor",
                                             "rejected", "failed",     "closed"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(State::Closed) + 1);
    return QString::fromLatin1(kNames[static_cast<int>(state)]);
}

QWebEnginePage* NeoSession::page() const
{
    return m_host->page();
}

QWebEngineProfile* NeoSession::profile() const
{
    return m_host->profile() ? m_host->profile()->profile() : nullptr;
}

const NeoProfile* NeoSession::neoProfile() const
{
    return m_host->profile();
}

// --- login -------------------------------------------------------------------------------------------

void NeoSession::login(const storage::IdexxLogin& login, StatusCallback done)
{
    auto kept = std::make_shared<storage::IdexxLogin>(login);
    this->login([kept](const std::function<void(Result<storage::IdexxLogin>)>& give) { give(*kept); },
                std::move(done));
}

void NeoSession::login(LoginSource source, StatusCallback done)
{
    m_loginWaiters.append(std::move(done));
    if (m_state == State::Ready) {
        settleLoginWaiters(ok());
        return;
    }
    if (m_state == State::Closed) {
        settleLoginWaiters(std::unexpected(stateError()));
        return;
    }
    if (m_state == State::Rejected) {
        settleLoginWaiters(
            fail(QString(neo_session_error::kLoginRefused),
                 QStringLiteral("Neo rejected this session's login; it is not submitted again")));
        return;
    }
    if (loginRunning()) {
        return; // joins the login that is running
    }
    m_loginSource = std::move(source);
    startLogin();
}

void NeoSession::startLogin()
{
    if (auto page = m_host->ensurePage(); !page) {
        stop(State::Failed, page.error());
        return;
    }
    // The login replaces the page's document: calls in flight there would never answer.
    abandonInFlight();
    m_host->setPaused(true);
    setState(State::LoggingIn);
    m_fetchingLogin = true;
    const quint64 fetch = ++m_loginFetch;
    if (!m_config.handedCookies.isEmpty()) {
        // The first login only: a later one follows a session Neo ended.
        const QList<QNetworkCookie> handed = std::exchange(m_config.handedCookies, {});
        const int sessions =
            seedSessionCookies(*m_host->profile()->profile()->cookieStore(), m_origin, handed);
        qCInfo(lcSession) << "a session handed over:" << handed.size() << "cookies," << sessions
                          << "session cookies of the Neo origin";
        if (sessions > 0 && !m_host->profile()->cookies().hasSessionCookie()) {
            awaitHandedCookie(fetch);
            return;
        }
    }
    fetchLogin(fetch);
}

void NeoSession::awaitHandedCookie(quint64 fetch)
{
    // The cookie store sets cookies asynchronously: /login must not load before it holds them, or Neo
    // would see no session. It says so with cookieAdded (SessionCookieWatch); a store that stays silent
    // gets the normal login after a short wait.
    auto go = [this, fetch, done = std::make_shared<bool>(false)] {
        if (std::exchange(*done, true) || fetch != m_loginFetch || !m_fetchingLogin)
            return;
        fetchLogin(fetch);
    };
    connect(&m_host->profile()->cookies(), &SessionCookieWatch::sessionCookieSet, this, go,
            Qt::SingleShotConnection);
    QTimer::singleShot(kHandedCookieWait, this, go);
}

void NeoSession::fetchLogin(quint64 fetch)
{
    // The credentials are fetched for this login only (from the keychain, by the caller's source).
    const QPointer<NeoSession> self(this);
    m_loginSource([self, fetch](Result<storage::IdexxLogin> login) {
        if (!self || fetch != self->m_loginFetch || !self->m_fetchingLogin) {
            if (login)
                login->wipe();
            return; // the login was abandoned meanwhile
        }
        self->m_fetchingLogin = false;
        if (!login) {
            self->stop(State::Failed, login.error());
            return;
        }
        self->startLoginWith(std::move(*login));
    });
}

void NeoSession::startLoginWith(storage::IdexxLogin login)
{
    if (m_redactor) {
        m_redactor->addSensitiveValue(login.username);
        m_redactor->addSensitiveValue(login.password);
    }
    LoginFlow::Timing timing;
    timing.step = m_config.loginStepTimeout;
    timing.settle = m_config.loginSettle;
    m_loginFlow = new LoginFlow(*m_host->page(), m_host->profile()->cookies(), m_origin, std::move(login),
                                timing, this);
    m_loginFlow->start([this](LoginOutcome outcome) { onLoginFinished(std::move(outcome)); });
}

void NeoSession::startRelogin()
{
    if (loginRunning()) {
        return; // the call waits for the login already running
    }
    if (!m_loginSource || m_relogins >= m_config.maxRelogins) {
        stop(State::Failed,
             makeError(neo_session_error::kSessionLost,
                       QStringLiteral("the Neo session expired again after %1 new logins").arg(m_relogins)));
        return;
    }
    ++m_relogins;
    qCInfo(lcSession) << "Neo session expired; logging in again, time" << m_relogins;
    startLogin();
}

void NeoSession::abortLogin()
{
    m_fetchingLogin = false;
    ++m_loginFetch;
    if (m_loginFlow) {
        if (m_loginFlow->formSubmitted()) {
            ++m_loginSubmissions;
        }
        delete m_loginFlow; // its queued callback goes with it
        m_loginFlow = nullptr;
        m_host->setPaused(false);
    }
}

void NeoSession::onLoginFinished(LoginOutcome outcome)
{
    m_loginFlow->deleteLater();
    m_loginFlow = nullptr;
    m_host->setPaused(false);
    if (outcome.formSubmitted) {
        ++m_loginSubmissions;
    }
    if (outcome.status) {
        ++m_loginGeneration;
        m_host->markOnOrigin();
        setState(State::Ready);
        settleLoginWaiters(ok());
        schedulePump();
        return;
    }
    const Error& error = outcome.status.error();
    const bool pageTrouble = error.code == neo_session_error::kPageHung;
    if (pageTrouble && !outcome.formSubmitted) {
        recoverPage(error); // nothing reached Neo yet: a new page may try the same login
        return;
    }
    if (error.code == neo_session_error::kLoginRejected) {
        m_loginSource = nullptr;
        m_loginPageMessage = outcome.pageMessage;
        stop(State::Rejected, error);
    } else if (error.code == neo_session_error::kSecondFactorRequired) {
        stop(State::NeedsSecondFactor, error);
    } else {
        stop(State::Failed, error);
    }
}

// --- pages -------------------------------------------------------------------------------------------

void NeoSession::onRendererGone(int status, int exitCode)
{
    qCWarning(lcSession) << "the Neo page's renderer stopped, status" << status << "exit code" << exitCode;
    const Error reason =
        makeError(neo_session_error::kRendererCrashed,
                  QStringLiteral("the Neo page's renderer process stopped (status %1)").arg(status));
    if (m_state == State::Ready || m_state == State::LoggingIn) {
        recoverPage(reason);
    } else {
        abandonInFlight();
        m_host->destroyPage(); // nothing to resume; a later login makes a new page
    }
}

void NeoSession::recoverPage(const Error& reason)
{
    const bool loginWasRunning = loginRunning();
    const bool loginSent = m_loginFlow != nullptr && m_loginFlow->formSubmitted();
    abortLogin();
    abandonInFlight();
    m_host->destroyPage();
    if (loginSent) {
        // Whether Neo counted that attempt is unknown: sending it again could be a second failure
        // against the clinic's shared account.
        stop(State::Failed,
             makeError(neo_session_error::kLoginUnknownOutcome,
                       QStringLiteral("%1 (%2) after the login form was sent; it is not sent again")
                           .arg(reason.message, reason.code)));
        return;
    }
    if (m_recoveries >= m_config.maxPageRecoveries) {
        stop(State::Failed,
             Error{reason.code,
                   reason.message + QStringLiteral(" (after %1 page recreations)").arg(m_recoveries)});
        return;
    }
    ++m_recoveries;
    qCWarning(lcSession) << "recreating the Neo page, recovery" << m_recoveries << "reason" << reason.code;
    if (auto page = m_host->ensurePage(); !page) {
        stop(State::Failed, page.error());
        return;
    }
    Q_EMIT pageRecreated(m_recoveries);
    if (loginWasRunning || m_state == State::LoggingIn) {
        startLogin();
    } else {
        schedulePump();
    }
}

void NeoSession::onDocumentLost()
{
    // Neo's own page navigated (or the origin page is loading): fetches in the old document are gone.
    const QList<quint64> lost = m_calls.idsWhere([](const NeoCall& c) { return c.inFlight; });
    abandonInFlight();
    for (const quint64 id : lost) {
        if (++m_calls.find(id)->redispatches > m_config.maxRedispatches) {
            m_calls.complete(id, fail(QString(neo_session_error::kPageLoadFailed),
                                      QStringLiteral("the Neo page kept navigating during a call")));
        }
    }
}

// --- calls -------------------------------------------------------------------------------------------

void NeoSession::get(const QString& pathAndQuery, CallCallback done)
{
    const quint64 id = m_calls.add(NeoCall{.path = pathAndQuery}, std::move(done));
    if (auto url = m_origin.resolve(pathAndQuery); !url) {
        m_calls.complete(id, propagate(url));
    } else if (m_state != State::Ready && m_state != State::LoggingIn) {
        m_calls.complete(id, std::unexpected(stateError()));
    } else {
        schedulePump();
    }
}

void NeoSession::schedulePump()
{
    if (!m_pumpScheduled) {
        m_pumpScheduled = true;
        QMetaObject::invokeMethod(this, &NeoSession::pump, Qt::QueuedConnection);
    }
}

void NeoSession::pump()
{
    m_pumpScheduled = false;
    if (m_state != State::Ready || loginRunning() || !m_host->page() || m_host->loading() || m_activeVisit) {
        return;
    }
    if (!m_visits.isEmpty()) {
        // A visit replaces the document the calls' fetches run in: it starts once they have answered.
        if (m_calls.idsWhere([](const NeoCall& c) { return c.inFlight; }).isEmpty()) {
            startVisit();
        }
        return;
    }
    const QList<quint64> waiting = m_calls.idsWhere([](const NeoCall& c) { return !c.inFlight; });
    if (waiting.isEmpty()) {
        return;
    }
    if (!m_host->onOrigin()) {
        m_host->loadOrigin(); // fetch works only from a document on the Neo origin
        return;
    }
    for (const quint64 id : waiting) {
        dispatch(*m_calls.find(id));
    }
}

void NeoSession::dispatch(NeoCall& call)
{
    call.inFlight = true;
    call.loginGeneration = m_loginGeneration;
    startPageFetch(*m_host->page(), call.path, m_config.callTimeout, m_config.watchdogGrace,
                   m_config.maxAnswerBytes,
                   [this, id = call.id, epoch = m_epoch](Result<PageFetchResult> result) {
                       onFetched(id, epoch, std::move(result));
                   });
}

void NeoSession::onFetched(quint64 callId, quint64 epoch, Result<PageFetchResult> result)
{
    NeoCall* call = m_calls.find(callId);
    if (epoch != m_epoch || !call || !call->inFlight) {
        return; // abandoned with its page or document; it was sent again or settled
    }
    schedulePump(); // a page visit may be waiting for the calls in flight
    if (!result) {
        if (result.error().code == neo_session_error::kPageHung) {
            recoverPage(result.error());
        } else {
            m_calls.complete(callId, propagate(result));
        }
        return;
    }
    if (!isSessionExpired(*result)) {
        m_calls.complete(callId, std::move(result->response));
        return;
    }
    call->inFlight = false;
    if (call->loginGeneration < m_loginGeneration) {
        schedulePump(); // sent before a newer login: simply send it again
    } else if (call->reloginUsed) {
        m_calls.complete(callId,
                         fail(QString(neo_session_error::kSessionLost),
                              QStringLiteral("the Neo session was still expired after logging in again")));
    } else {
        call->reloginUsed = true;
        startRelogin();
    }
}

void NeoSession::abandonInFlight()
{
    if (m_host->page()) {
        m_host->page()->calls().abandonAll();
    }
    endVisit(); // the visit stays queued and runs again
    ++m_epoch;
    m_calls.forEach([](NeoCall& c) { c.inFlight = false; }); // their page or document is gone
}

void NeoSession::failCalls(const Error& error)
{
    m_calls.failAll(error);
    m_visits.failAll(error);
}

void NeoSession::settleLoginWaiters(const Status& status)
{
    const QList<StatusCallback> waiters = std::exchange(m_loginWaiters, {});
    for (const StatusCallback& waiter : waiters) {
        QMetaObject::invokeMethod(
            this, [waiter, status] { waiter(status); }, Qt::QueuedConnection);
    }
}

void NeoSession::stop(State state, const Error& error)
{
    qCInfo(lcSession) << "Neo session stopped:" << stateName(state) << error.code;
    m_stopError = error;
    setState(state);
    settleLoginWaiters(std::unexpected(error));
    failCalls(error);
}

Error NeoSession::stateError() const
{
    if (m_state == State::Idle || !m_stopError) {
        return makeError(neo_session_error::kNotLoggedIn, QStringLiteral("log in before calling Neo"));
    }
    return *m_stopError; // Rejected, NeedsSecondFactor, Failed, Closed: what stopped the session
}

void NeoSession::setState(State state)
{
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged(state);
    }
}

// --- teardown ----------------------------------------------------------------------------------------

void NeoSession::close()
{
    if (m_state == State::Closed) {
        return;
    }
    abortLogin();
    abandonInFlight();
    m_host->destroyAll(); // the page before the profile: QtWebEngine requires it
    m_loginSource = nullptr;
    stop(State::Closed,
         makeError(neo_session_error::kSessionClosed, QStringLiteral("the session was closed")));
}

} // namespace odis::sync
