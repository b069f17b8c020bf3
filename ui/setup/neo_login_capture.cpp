#include "ui/setup/neo_login_capture.h"

#include "storage/codes/neo_codes.h"
#include "storage/codes/ui_codes.h"
#include "sync/neo/login_verdict.h"
#include "sync/neo/neo_page.h"
#include "sync/neo/neo_profile.h"
#include "sync/neo/origin_cookie_jar.h"
#include "sync/neo/page_script_calls.h"
#include "sync/neo/session_cookie_watch.h"
#include "sync/neo/session_handover.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QWebEngineProfile>
#include <QWebEngineView>

#include <spdlog/spdlog.h>

namespace odis::ui {

namespace {

// A person may take their time to type (and to find the code IDEXX sent).
constexpr std::chrono::minutes kPersonWatchdog{30};
constexpr std::chrono::seconds kOutcomeWatchdog{30};
constexpr int kSettleMs = 5000;

[[nodiscard]] Result<QString> captureScript()
{
    QFile file(QStringLiteral(":/odis/scripts/login_capture.js"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(codes::kNeoScriptFailed, QStringLiteral("login_capture.js is missing"));
    return QString::fromUtf8(file.readAll());
}

[[nodiscard]] Result<QString> outcomeScript()
{
    QFile file(QStringLiteral(":/odis/scripts/login_outcome.js"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(codes::kNeoScriptFailed, QStringLiteral("login_outcome.js is missing"));
    return QString::fromUtf8(file.readAll());
}

} // namespace

NeoLoginCapture::NeoLoginCapture(sync::NeoOrigin origin, QObject* parent)
    : QObject(parent)
    , m_origin(std::move(origin))
{}

NeoLoginCapture::~NeoLoginCapture()
{
    stop();
}

QWebEngineView* NeoLoginCapture::view() const
{
    return m_view;
}

sync::NeoPage* NeoLoginCapture::page() const
{
    return m_page;
}

Status NeoLoginCapture::start(QWidget* viewParent)
{
    stop();
    if (auto scripts = captureScript(); !scripts)
        return propagate(scripts);
    m_profile = std::make_unique<sync::NeoProfile>(m_origin);
    m_jar = std::make_unique<sync::OriginCookieJar>(m_origin, m_profile->profile()->cookieStore());
    auto page = sync::NeoPage::create(*m_profile, m_origin);
    if (!page) {
        m_jar.reset();
        m_profile.reset();
        return propagate(page);
    }
    m_page = *page;
    m_view = new QWebEngineView(viewParent);
    m_view->setObjectName(QStringLiteral("neo_login_view"));
    m_view->setAccessibleName(tr("IDEXX Neo login page"));
    m_view->setPage(m_page);
    m_view->setFocusPolicy(Qt::StrongFocus);
    connect(m_page, &QWebEnginePage::loadFinished, this, &NeoLoginCapture::onLoadFinished);
    connect(m_page, &sync::NeoPage::tlsRefused, this, [this] {
        enter(State::Failed);
        Q_EMIT failed(
            Error{codes::kNeoTlsError,
                  tr("The connection to IDEXX Neo is not trusted (certificate error): nothing was sent.")});
    });
    auto login = m_origin.resolve(QStringLiteral("/login"));
    if (!login)
        return propagate(login);
    enter(State::Loading);
    m_page->load(*login);
    return ok();
}

void NeoLoginCapture::stop()
{
    ++m_generation;
    if (m_page)
        m_page->calls().abandonAll();
    if (m_view)
        m_view->setPage(nullptr);
    delete m_page; // the page before its profile, always
    m_jar.reset();
    m_profile.reset();
}

QByteArray NeoLoginCapture::sessionHandover() const
{
    if (m_state != State::Accepted || !m_jar)
        return {};
    // Chromium judges a cookie's expiry by the machine's time, not by any clock of the agent's.
    return sync::encodeSessionHandover(m_jar->cookies(QDateTime::currentDateTimeUtc()));
}

void NeoLoginCapture::enter(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void NeoLoginCapture::onLoadFinished(bool ok)
{
    if (m_state == State::Accepted || m_state == State::Failed || !m_page)
        return;
    ++m_generation;
    if (!ok) {
        // An HTTP error page, or the network: the person sees it in the view and may reload.
        spdlog::warn("setup: an IDEXX Neo page did not load");
    }
    if (m_state == State::Checking || m_state == State::WaitingForCode) {
        readOutcome();
        return;
    }
    armCapture();
}

void NeoLoginCapture::armCapture()
{
    auto script = captureScript();
    if (!script) {
        enter(State::Failed);
        Q_EMIT failed(script.error());
        return;
    }
    const quint64 generation = m_generation;
    m_page->calls().runAsync(*script, {}, kPersonWatchdog, [this, generation](Result<QJsonValue> result) {
        if (generation != m_generation)
            return; // that document is gone
        if (!result) {
            spdlog::warn("setup: the login form could not be read ({})", result.error().code.toStdString());
            return; // the person may reload the page; nothing was captured
        }
        const QJsonObject r = result->toObject();
        if (r.value(QStringLiteral("status")).toString() != QLatin1String("submitted")) {
            // Not the login form (the second-factor page, or the dashboard of a live session).
            if (m_state != State::Checking && m_state != State::WaitingForCode)
                readOutcome();
            return;
        }
        m_submitted = storage::IdexxLogin{r.value(QStringLiteral("companyId")).toString().trimmed(),
                                          r.value(QStringLiteral("username")).toString().trimmed(),
                                          r.value(QStringLiteral("password")).toString()};
        ++m_submissions;
        m_cookieGeneration = m_profile->cookies().generation();
        spdlog::info("setup: the person submitted the IDEXX Neo login form (attempt {})", m_submissions);
        enter(State::Checking);
    });
    if (m_state != State::Checking && m_state != State::WaitingForCode)
        enter(State::WaitingForLogin);
}

void NeoLoginCapture::readOutcome()
{
    auto script = outcomeScript();
    if (!script) {
        enter(State::Failed);
        Q_EMIT failed(script.error());
        return;
    }
    const quint64 generation = m_generation;
    m_page->calls().runAsync(*script, QJsonObject{{QStringLiteral("settleMs"), kSettleMs}}, kOutcomeWatchdog,
                             [this, generation](Result<QJsonValue> result) {
                                 if (generation != m_generation)
                                     return;
                                 if (!result) {
                                     enter(State::Failed);
                                     Q_EMIT failed(result.error());
                                     return;
                                 }
                                 judge(sync::LoginPageState::fromJson(result->toObject()));
                             });
}

void NeoLoginCapture::judge(const sync::LoginPageState& page)
{
    const bool newCookie = m_profile->cookies().generation() != m_cookieGeneration;
    const sync::LoginVerdict verdict = sync::judgeLoginPage(page, newCookie);
    spdlog::info("setup: IDEXX Neo answered the login: {}", sync::loginVerdictName(verdict));
    switch (verdict) {
    case sync::LoginVerdict::Success:
        if (!m_submitted) {
            // A dashboard without a login typed here (cannot happen on a fresh profile): nothing to save.
            enter(State::Failed);
            Q_EMIT failed(Error{codes::kSetupNoLogin, tr("No login was typed on this page.")});
            return;
        }
        enter(State::Accepted);
        Q_EMIT accepted(*m_submitted);
        return;
    case sync::LoginVerdict::AwaitCookie:
        // The dashboard is there; the cookie store reports a moment later.
        QMetaObject::invokeMethod(this, &NeoLoginCapture::readOutcome, Qt::QueuedConnection);
        return;
    case sync::LoginVerdict::Rejected:
        m_submitted.reset();
        enter(State::WaitingForLogin);
        Q_EMIT rejected(page.errorText);
        armCapture(); // the person may type again; each attempt is theirs
        return;
    case sync::LoginVerdict::SecondFactor:
        if (!page.errorText.isEmpty() && m_state == State::WaitingForCode)
            Q_EMIT rejected(page.errorText); // a wrong code: Neo says so on its page
        enter(State::WaitingForCode);
        return;
    case sync::LoginVerdict::Unexpected:
        if (page.loginForm) { // back at the login form (an expired second factor): type again
            m_submitted.reset();
            enter(State::WaitingForLogin);
            armCapture();
            return;
        }
        enter(State::Failed);
        Q_EMIT failed(Error{codes::kNeoLoginUnexpected,
                            tr("IDEXX Neo showed a page the agent does not know after the login.")});
        return;
    }
}

} // namespace odis::ui
