#include "sync/neo/neo_profile.h"

#include "sync/neo/neo_request_interceptor.h"
#include "sync/neo/session_cookie_watch.h"

#include <QLoggingCategory>
#include <QWebEngineDownloadRequest>
#include <QWebEngineProfile>
#include <QWebEngineSettings>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcProfile, "odis.sync.neo.profile")
}

NeoProfile::NeoProfile(const NeoOrigin& origin, QObject* parent)
    : QObject(parent)
    , m_interceptor(new NeoRequestInterceptor(origin, this))
    // No storage name: off the record. Nothing of the session reaches the disk.
    , m_profile(new QWebEngineProfile(this))
{
    m_profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
    m_profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);
    m_profile->setSpellCheckEnabled(false);
    m_profile->setUrlRequestInterceptor(m_interceptor);
    connect(m_profile, &QWebEngineProfile::downloadRequested, this,
            [this](QWebEngineDownloadRequest* download) {
                ++m_refusedDownloads;
                qCInfo(lcProfile) << "refused a download";
                download->cancel();
            });
    m_cookies = new SessionCookieWatch(origin, m_profile->cookieStore(), this);
    applySettings();
}

NeoProfile::~NeoProfile()
{
    // The cookie watch listens to the profile's cookie store: disconnect it before the store goes.
    delete m_cookies;
    m_cookies = nullptr;
    delete m_profile;
    m_profile = nullptr;
}

void NeoProfile::applySettings()
{
    QWebEngineSettings* s = m_profile->settings();
    // Neo is a JavaScript application: scripts stay on, everything a data session does not need is off.
    s->setAttribute(QWebEngineSettings::JavascriptEnabled, true);
    s->setAttribute(QWebEngineSettings::AutoLoadImages, false);
    s->setAttribute(QWebEngineSettings::AutoLoadIconsForPage, false);
    s->setAttribute(QWebEngineSettings::PluginsEnabled, false);
    s->setAttribute(QWebEngineSettings::PdfViewerEnabled, false);
    s->setAttribute(QWebEngineSettings::JavascriptCanOpenWindows, false);
    s->setAttribute(QWebEngineSettings::JavascriptCanAccessClipboard, false);
    s->setAttribute(QWebEngineSettings::JavascriptCanPaste, false);
    s->setAttribute(QWebEngineSettings::AllowWindowActivationFromJavaScript, false);
    s->setAttribute(QWebEngineSettings::TouchIconsEnabled, false);
    s->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
    s->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
    s->setAttribute(QWebEngineSettings::AllowRunningInsecureContent, false);
    s->setAttribute(QWebEngineSettings::AllowGeolocationOnInsecureOrigins, false);
    s->setAttribute(QWebEngineSettings::ScreenCaptureEnabled, false);
    s->setAttribute(QWebEngineSettings::WebGLEnabled, false);
    s->setAttribute(QWebEngineSettings::Accelerated2dCanvasEnabled, false);
    s->setAttribute(QWebEngineSettings::DnsPrefetchEnabled, false);
    s->setAttribute(QWebEngineSettings::FullScreenSupportEnabled, false);
    s->setAttribute(QWebEngineSettings::NavigateOnDropEnabled, false);
    s->setAttribute(QWebEngineSettings::HyperlinkAuditingEnabled, false);
    s->setAttribute(QWebEngineSettings::PlaybackRequiresUserGesture, true);
    // An HTTP error must show the server's own page (the login page after a redirect), not Chromium's.
    s->setAttribute(QWebEngineSettings::ErrorPageEnabled, false);
}

} // namespace odis::sync
