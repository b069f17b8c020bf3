#include "sync/neo/neo_page_host.h"

#include "sync/neo/neo_page.h"
#include "sync/neo/neo_profile.h"
#include "sync/neo/neo_session_errors.h"
#include "sync/neo/page_script_calls.h"

#include <QAuthenticator>

namespace odis::sync {

NeoPageHost::NeoPageHost(NeoOrigin origin, std::chrono::milliseconds loadTimeout, QObject* parent)
    : QObject(parent)
    , m_origin(std::move(origin))
    , m_loadTimeout(loadTimeout)
{
    m_loadTimer.setSingleShot(true);
    connect(&m_loadTimer, &QTimer::timeout, this, &NeoPageHost::onLoadTimeout);
}

NeoPageHost::~NeoPageHost()
{
    destroyAll();
}

void NeoPageHost::setProxyLogin(const QString& user, const QString& password)
{
    m_proxyUser = user;
    m_proxyPassword = password;
}

Status NeoPageHost::ensurePage()
{
    if (m_page) {
        return ok();
    }
    if (!m_profile) {
        m_profile = std::make_unique<NeoProfile>(m_origin);
    }
    auto page = NeoPage::create(*m_profile, m_origin);
    if (!page) {
        return propagate(page);
    }
    m_page = *page;
    const quint64 generation = ++m_generation;
    m_onOrigin = false;
    m_loading = false;
    connect(m_page, &QWebEnginePage::loadStarted, this, &NeoPageHost::onLoadStarted);
    connect(m_page, &QWebEnginePage::loadFinished, this, &NeoPageHost::onLoadFinished);
    connect(m_page, &QWebEnginePage::loadingChanged, this, &NeoPageHost::onLoadingChanged);
    connect(m_page, &NeoPage::tlsRefused, this, [this] { m_tlsRefused = true; });
    connect(m_page, &QWebEnginePage::proxyAuthenticationRequired, this,
            [this](const QUrl&, QAuthenticator* authenticator, const QString&) {
                // Given once per challenge; a wrong login is not retried by Chromium in a loop.
                if (m_proxyUser.isEmpty())
                    return;
                authenticator->setUser(m_proxyUser);
                authenticator->setPassword(m_proxyPassword);
            });
    // Queued: the page must not be deleted inside its own signal.
    connect(
        m_page, &QWebEnginePage::renderProcessTerminated, this,
        [this, generation](QWebEnginePage::RenderProcessTerminationStatus status, int exitCode) {
            if (generation == m_generation) {
                Q_EMIT rendererGone(static_cast<int>(status), exitCode);
            }
        },
        Qt::QueuedConnection);
    return ok();
}

void NeoPageHost::destroyPage()
{
    if (!m_page) {
        return;
    }
    disconnect(m_page, nullptr, this, nullptr);
    m_page->calls().abandonAll();
    delete m_page;
    m_page = nullptr;
    ++m_generation;
    m_onOrigin = false;
    m_loading = false;
    m_loadTimer.stop();
}

void NeoPageHost::destroyAll()
{
    destroyPage(); // before the profile: QtWebEngine requires it
    m_profile.reset();
}

void NeoPageHost::loadOrigin()
{
    m_loading = true;
    m_tlsRefused = false;
    m_loadTimer.start(m_loadTimeout);
    m_page->load(*m_origin.resolve(QStringLiteral("/")));
}

void NeoPageHost::markOnOrigin()
{
    m_onOrigin = m_page && m_origin.contains(m_page->url());
    m_loading = false;
}

void NeoPageHost::onLoadStarted()
{
    if (m_paused) {
        return;
    }
    m_loading = true;
    m_onOrigin = false;
    m_loadTimer.start(m_loadTimeout);
    Q_EMIT documentLost();
}

void NeoPageHost::onLoadFinished(bool ok)
{
    // A failed load is judged by onLoadingChanged(), which knows why (certificate, HTTP, network).
    if (!ok || m_paused || !m_loading) {
        return;
    }
    m_loading = false;
    m_loadTimer.stop();
    if (m_origin.contains(m_page->url())) {
        m_onOrigin = true;
        Q_EMIT originReady();
        return;
    }
    Q_EMIT originFailed(Error{QString(neo_session_error::kPageLoadFailed),
                              QStringLiteral("the Neo page did not load on its origin")});
}

void NeoPageHost::onLoadingChanged(const QWebEngineLoadingInfo& info)
{
    if ((info.status() != QWebEngineLoadingInfo::LoadFailedStatus &&
         info.status() != QWebEngineLoadingInfo::LoadStoppedStatus) ||
        m_paused || !m_loading) {
        return;
    }
    m_loading = false;
    m_loadTimer.stop();
    // Every certificate failure, also one refused without QWebEnginePage::certificateError (a self-signed
    // leaf). A failed load is otherwise a network failure or an HTTP error status.
    Q_EMIT originFailed(m_tlsRefused || isCertificateFailure(info)
                            ? Error{QString(neo_session_error::kTlsError),
                                    QStringLiteral("the Neo server's certificate was refused")}
                            : Error{QString(neo_session_error::kPageLoadFailed),
                                    QStringLiteral("the Neo page did not load (network or HTTP error)")});
}

void NeoPageHost::onLoadTimeout()
{
    if (!m_loading || !m_page) {
        return;
    }
    m_loading = false;
    m_page->triggerAction(QWebEnginePage::Stop);
    Q_EMIT originFailed(
        Error{QString(neo_session_error::kPageLoadFailed),
              QStringLiteral("the Neo page did not load within %1 ms").arg(m_loadTimeout.count())});
}

} // namespace odis::sync
