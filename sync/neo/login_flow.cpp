#include "sync/neo/login_flow.h"

#include "sync/neo/neo_page.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_script_calls.h"
#include "sync/neo/page_scripts.h"
#include "sync/neo/session_cookie_watch.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcLogin, "odis.sync.neo.login")

QString seconds(std::chrono::milliseconds ms)
{
    return QString::number(static_cast<double>(ms.count()) / 1000.0, 'f', 1) + QStringLiteral(" s");
}
} // namespace

LoginFlow::LoginFlow(NeoPage& page, SessionCookieWatch& cookies, NeoOrigin origin, storage::IdexxLogin login,
                     Timing timing, QObject* parent)
    : QObject(parent)
    , m_page(&page)
    , m_cookies(cookies)
    , m_origin(std::move(origin))
    , m_login(std::move(login))
    , m_timing(timing)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LoginFlow::onTimeout);
}

const char* LoginFlow::stepName(Step step)
{
    switch (step) {
    case Step::OpenLoginPage:
        return "open_login_page";
    case Step::FillForm:
        return "fill_form";
    case Step::AwaitOutcome:
        return "await_outcome";
    case Step::Done:
        return "done";
    }
    return "unknown";
}

void LoginFlow::start(Callback done)
{
    m_done = std::move(done);
    connect(m_page, &QWebEnginePage::loadFinished, this, &LoginFlow::onLoadFinished);
    connect(m_page, &QWebEnginePage::loadingChanged, this, &LoginFlow::onLoadingChanged);
    connect(m_page, &NeoPage::tlsRefused, this, [this] { m_tlsRefused = true; });
    connect(&m_cookies, &SessionCookieWatch::sessionCookieSet, this, [this] {
        if (m_step == Step::AwaitOutcome && m_haveLastPage) {
            judge();
        }
    });
    const auto loginUrl = m_origin.resolve(QStringLiteral("/login"));
    enter(Step::OpenLoginPage);
    m_page->load(*loginUrl);
}

void LoginFlow::enter(Step step)
{
    qCDebug(lcLogin) << "login step" << stepName(step);
    m_step = step;
    m_timer.start(m_timing.step);
}

void LoginFlow::onLoadFinished(bool ok)
{
    qCDebug(lcLogin) << "login page load finished, ok:" << ok;
    if (m_step == Step::Done) {
        return;
    }
    if (!ok) {
        return; // onLoadingChanged() judges a failed load: it knows why (certificate, HTTP, network)
    }
    if (m_step == Step::OpenLoginPage) {
        fillAndSubmit();
        return;
    }
    // The document after the submit (or a later one of the same login): read what it shows.
    enter(Step::AwaitOutcome);
    readOutcome(m_timing.settle);
}

void LoginFlow::onLoadingChanged(const QWebEngineLoadingInfo& info)
{
    if (m_step == Step::Done || (info.status() != QWebEngineLoadingInfo::LoadFailedStatus &&
                                 info.status() != QWebEngineLoadingInfo::LoadStoppedStatus)) {
        return;
    }
    qCDebug(lcLogin) << "login page load failed, error domain" << info.errorDomain() << "code"
                     << info.errorCode();
    // Every certificate failure, also one Chromium refuses without QWebEnginePage::certificateError (a
    // self-signed leaf): the load's error says so.
    if (m_tlsRefused || isCertificateFailure(info)) {
        finish(fail(QString(neo_session_error::kTlsError),
                    QStringLiteral("login step %1: the Neo server's certificate was refused")
                        .arg(QLatin1StringView(stepName(m_step)))));
    } else if (!m_page->isLoading()) {
        // A failed load is also an HTTP 4xx/5xx answer, not only a network failure.
        unexpected(QStringLiteral("the page did not load (network error or HTTP error status)"));
    }
}

void LoginFlow::fillAndSubmit()
{
    auto script = page_scripts::source(page_scripts::kLoginSubmit);
    if (!script) {
        finish(propagate(script));
        return;
    }
    enter(Step::FillForm);
    // Counted as sent from here on: the click may reach Neo even if the answer to the script does not
    // come back (a renderer that dies right after clicking).
    m_submitted = true;
    m_cookieGenerationAtSubmit = m_cookies.generation();
    const QJsonObject args{{QStringLiteral("companyId"), m_login.companyId},
                           {QStringLiteral("username"), m_login.username},
                           {QStringLiteral("password"), m_login.password}};
    // The page's call registry may outlive this flow: the callbacks check that the flow still exists.
    m_page->calls().runSync(*script, args, m_timing.step,
                            [self = QPointer(this)](const Result<QJsonValue>& result) {
                                if (self) {
                                    self->onSubmitted(result);
                                }
                            });
}

void LoginFlow::onSubmitted(const Result<QJsonValue>& result)
{
    if (m_step == Step::Done) {
        return;
    }
    if (!result) {
        finish(propagate(result));
        return;
    }
    const QJsonObject answer = result->toObject();
    const QString status = answer.value(QLatin1StringView("status")).toString();
    if (status == QLatin1StringView("submitted")) {
        for (const QJsonValue text : answer.value(QLatin1StringView("errorTextsBefore")).toArray())
            m_errorTextsBefore << text.toString().trimmed();
        qCInfo(lcLogin) << "login form submitted, company id field:"
                        << answer.value(QLatin1StringView("companyIdField")).toBool()
                        << "user name field:" << answer.value(QLatin1StringView("usernameField")).toString();
        if (m_step == Step::FillForm) {
            enter(Step::AwaitOutcome);
        }
        return;
    }
    m_submitted = false; // the script says it did not click
    if (status == QLatin1StringView("not_login_page")) {
        // /login sent us on (a session that is still valid): judge that page, nothing is submitted.
        m_alreadySignedIn = true;
        enter(Step::AwaitOutcome);
        readOutcome(m_timing.settle);
    } else if (status == QLatin1StringView("missing_credential")) {
        finish(fail(QString(neo_session_error::kCredentialsIncomplete),
                    QStringLiteral(
                        "login step fill_form: Neo's login form asks for a company id and none is saved")));
    } else if (status == QLatin1StringView("invalid_form")) {
        unexpected(
            QStringLiteral("the login form refuses the saved value of its %1 field (for example a user name "
                           "that is not an e-mail address); nothing was sent")
                .arg(answer.value(QLatin1StringView("field")).toString()));
    } else if (status == QLatin1StringView("missing_field")) {
        unexpected(QStringLiteral("the login form has no %1 field")
                       .arg(answer.value(QLatin1StringView("field")).toString()));
    } else {
        unexpected(QStringLiteral("the login script answered '%1'").arg(status.left(40)));
    }
}

void LoginFlow::readOutcome(std::chrono::milliseconds settle)
{
    auto script = page_scripts::source(page_scripts::kLoginOutcome);
    if (!script) {
        finish(propagate(script));
        return;
    }
    // A newer document replaces an older one's reading; the older answer (or its watchdog) is ignored.
    const quint64 reading = ++m_readings;
    m_page->calls().runAsync(*script, QJsonObject{{QStringLiteral("settleMs"), qint64(settle.count())}},
                             settle + m_timing.step,
                             [self = QPointer(this), reading](const Result<QJsonValue>& result) {
                                 if (self && reading == self->m_readings) {
                                     self->onOutcome(result);
                                 }
                             });
}

void LoginFlow::onOutcome(const Result<QJsonValue>& result)
{
    if (m_step == Step::Done) {
        return;
    }
    if (!result) {
        finish(propagate(result));
        return;
    }
    m_lastPage = LoginPageState::fromJson(result->toObject());
    m_haveLastPage = true;
    judge();
}

void LoginFlow::judge()
{
    const bool cookieSet = m_alreadySignedIn ? m_cookies.hasSessionCookie()
                                             : m_cookies.generation() > m_cookieGenerationAtSubmit;
    const LoginVerdict verdict = judgeLoginPage(m_lastPage, cookieSet, m_errorTextsBefore);
    qCDebug(lcLogin) << "login page verdict" << loginVerdictName(verdict);
    switch (verdict) {
    case LoginVerdict::Success:
        finish(ok());
        return;
    case LoginVerdict::AwaitCookie:
        return; // the cookie signal or the step's time-out decides
    case LoginVerdict::Rejected:
        finish(fail(QString(neo_session_error::kLoginRejected),
                    QStringLiteral(
                        "IDEXX Neo refused the clinic's login; it is not tried again until someone saves "
                        "the credentials again")),
               m_lastPage.errorText);
        return;
    case LoginVerdict::SecondFactor:
        finish(fail(
            QString(neo_session_error::kSecondFactorRequired),
            QStringLiteral("IDEXX Neo asks for a second-factor code: a person must complete the login")));
        return;
    case LoginVerdict::Unexpected:
        if (!m_page->isLoading()) {
            unexpected(QStringLiteral("Neo showed a page that is neither the dashboard, a login error nor a "
                                      "second-factor form"));
        }
        return;
    }
}

void LoginFlow::onTimeout()
{
    switch (m_step) {
    case Step::OpenLoginPage:
        unexpected(QStringLiteral("the login page did not load within ") + seconds(m_timing.step));
        return;
    case Step::FillForm:
        unexpected(QStringLiteral("the login form did not answer within ") + seconds(m_timing.step));
        return;
    case Step::AwaitOutcome:
        if (m_haveLastPage && judgeLoginPage(m_lastPage, false) == LoginVerdict::AwaitCookie) {
            unexpected(QStringLiteral("the dashboard showed but no session cookie was set"));
        } else {
            unexpected(QStringLiteral("Neo did not answer the login within ") + seconds(m_timing.step));
        }
        return;
    case Step::Done:
        return;
    }
}

void LoginFlow::unexpected(const QString& what)
{
    finish(fail(QString(neo_session_error::kLoginUnexpected),
                QStringLiteral("login step %1: %2").arg(QLatin1StringView(stepName(m_step)), what)));
}

void LoginFlow::finish(Status status, QString pageMessage)
{
    if (m_step == Step::Done) {
        return;
    }
    const Step failedStep = m_step;
    m_step = Step::Done;
    m_timer.stop();
    m_login.wipe(); // no copy of the password outlives the attempt
    m_errorTextsBefore.clear();
    // Once the form may have reached Neo, whatever is not Neo's known verdict is an unknown outcome: the
    // password may have been wrong, and the caller must not take it for a rejection nor try it blindly.
    if (!status && m_submitted) {
        const QString code = status.error().code;
        const bool known =
            code == neo_session_error::kLoginRejected || code == neo_session_error::kSecondFactorRequired ||
            code == neo_session_error::kTlsError || code == neo_session_error::kCredentialsIncomplete;
        if (!known)
            status = fail(QString(neo_session_error::kLoginUnknownOutcome),
                          QStringLiteral("the login form was submitted and Neo's answer is not one the agent "
                                         "knows (%1: %2)")
                              .arg(code, status.error().message));
    }
    if (m_page) {
        disconnect(m_page, nullptr, this, nullptr);
    }
    disconnect(&m_cookies, nullptr, this, nullptr);
    qCInfo(lcLogin) << "login attempt ended at step" << stepName(failedStep) << "with"
                    << (status ? QStringLiteral("success") : status.error().code);
    LoginOutcome outcome{std::move(status), std::move(pageMessage), m_submitted};
    // Later, from the event loop: the receiver may delete the page, and we may be inside its signal.
    QMetaObject::invokeMethod(
        this, [this, outcome = std::move(outcome)]() mutable { m_done(std::move(outcome)); },
        Qt::QueuedConnection);
}

} // namespace odis::sync
