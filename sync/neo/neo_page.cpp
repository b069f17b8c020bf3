#include "sync/neo/neo_page.h"

#include "sync/neo/neo_profile.h"
#include "sync/neo/page_bridge.h"
#include "sync/neo/page_script_calls.h"
#include "sync/neo/page_scripts.h"

#include <QLoggingCategory>
#include <QWebChannel>
#include <QWebEngineCertificateError>
#include <QWebEngineClientCertificateSelection>
#include <QWebEngineFileSystemAccessRequest>
#include <QWebEngineFullScreenRequest>
#include <QWebEngineProfile>
#include <QWebEngineRegisterProtocolHandlerRequest>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>

#include <algorithm>
#include <array>

namespace odis::sync {

namespace {

Q_LOGGING_CATEGORY(lcPage, "odis.sync.neo.page")

QWebEngineScript isolatedScript(const QString& name, const QString& source)
{
    QWebEngineScript script;
    script.setName(name);
    script.setSourceCode(source);
    script.setWorldId(QWebEngineScript::ApplicationWorld);
    script.setInjectionPoint(QWebEngineScript::DocumentCreation);
    script.setRunsOnSubFrames(false);
    return script;
}

} // namespace

Result<NeoPage*> NeoPage::create(NeoProfile& profile, const NeoOrigin& origin, QObject* parent)
{
    auto channelJs = page_scripts::webChannelSource();
    if (!channelJs) {
        return propagate(channelJs);
    }
    auto bridgeJs = page_scripts::source(page_scripts::kBridge);
    if (!bridgeJs) {
        return propagate(bridgeJs);
    }
    auto* page = new NeoPage(profile, origin, parent);
    // Both in the ApplicationWorld, in this order: the prelude needs QWebChannel.
    page->scripts().insert(isolatedScript(QStringLiteral("odis-qwebchannel"), *channelJs));
    page->scripts().insert(isolatedScript(QStringLiteral("odis-bridge"), *bridgeJs));
    return page;
}

NeoPage::NeoPage(NeoProfile& profile, NeoOrigin origin, QObject* parent)
    : QWebEnginePage(profile.profile(), parent)
    , m_origin(std::move(origin))
    , m_channel(new QWebChannel(this))
    , m_bridge(new PageBridge(this))
    , m_calls(new PageScriptCalls(this, m_bridge, this))
{
    m_channel->registerObject(QStringLiteral("odisBridge"), m_bridge);
    setWebChannel(m_channel, QWebEngineScript::ApplicationWorld);
    // A page without a view counts as a background tab, whose timers Chromium throttles (down to about
    // one wake-up a second), and Neo's own scripts run on timers. Visible, it runs at full pace; it still
    // draws nowhere.
    setVisible(true);
    refuseRequests();
    connect(this, &QWebEnginePage::certificateError, this, [this](const QWebEngineCertificateError& error) {
        // Never accepted, not even "overridable" ones: tests trust the simulator's CA instead.
        QWebEngineCertificateError copy = error;
        copy.rejectCertificate();
        qCWarning(lcPage) << "refused a TLS certificate, error type" << error.type();
        Q_EMIT tlsRefused();
    });
}

NeoPage::~NeoPage()
{
    // Results still on their way back belong to work the session has already settled.
    m_calls->abandonAll();
    setWebChannel(nullptr, QWebEngineScript::ApplicationWorld);
}

void NeoPage::refuseRequests()
{
    connect(this, &QWebEnginePage::featurePermissionRequested, this,
            [this](const QUrl& securityOrigin, Feature feature) {
                setFeaturePermission(securityOrigin, feature, PermissionDeniedByUser);
            });
    connect(this, &QWebEnginePage::fileSystemAccessRequested, this,
            [](QWebEngineFileSystemAccessRequest request) { request.reject(); });
    connect(this, &QWebEnginePage::registerProtocolHandlerRequested, this,
            [](QWebEngineRegisterProtocolHandlerRequest request) { request.reject(); });
    connect(this, &QWebEnginePage::fullScreenRequested, this,
            [](QWebEngineFullScreenRequest request) { request.reject(); });
    connect(this, &QWebEnginePage::selectClientCertificate, this,
            [](QWebEngineClientCertificateSelection selection) { selection.selectNone(); });
}

bool NeoPage::acceptNavigationRequest(const QUrl& url, NavigationType type, bool isMainFrame)
{
    Q_UNUSED(type)
    if (m_origin.contains(url)) {
        return true;
    }
    // Empty frames Neo's own markup may create cannot load anything; every other place is refused.
    if (!isMainFrame &&
        (url == QUrl(QStringLiteral("about:blank")) || url == QUrl(QStringLiteral("about:srcdoc")))) {
        return true;
    }
    ++m_refusedNavigations;
    qCInfo(lcPage) << "refused a navigation outside the Neo origin, main frame:" << isMainFrame;
    return false;
}

QWebEnginePage* NeoPage::createWindow(WebWindowType type)
{
    Q_UNUSED(type)
    ++m_refusedWindows;
    qCInfo(lcPage) << "refused a new window";
    return nullptr;
}

void NeoPage::javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString& message,
                                       int lineNumber, const QString& sourceId)
{
    // Neo's console may print patients or tokens: only that something was said, and how loudly.
    Q_UNUSED(message)
    Q_UNUSED(sourceId)
    if (level == ErrorMessageLevel) {
        qCDebug(lcPage) << "page console error at line" << lineNumber;
    }
}

void NeoPage::javaScriptAlert(const QUrl& securityOrigin, const QString& msg)
{
    Q_UNUSED(securityOrigin)
    Q_UNUSED(msg)
}

bool NeoPage::javaScriptConfirm(const QUrl& securityOrigin, const QString& msg)
{
    Q_UNUSED(securityOrigin)
    Q_UNUSED(msg)
    return false; // nobody is there to confirm anything, and the agent never agrees to a write
}

bool NeoPage::javaScriptPrompt(const QUrl& securityOrigin, const QString& msg, const QString& defaultValue,
                               QString* result)
{
    Q_UNUSED(securityOrigin)
    Q_UNUSED(msg)
    Q_UNUSED(defaultValue)
    Q_UNUSED(result)
    return false;
}

QStringList NeoPage::chooseFiles(FileSelectionMode mode, const QStringList& oldFiles,
                                 const QStringList& acceptedMimeTypes)
{
    Q_UNUSED(mode)
    Q_UNUSED(oldFiles)
    Q_UNUSED(acceptedMimeTypes)
    return {};
}

bool isCertificateFailure(const QWebEngineLoadingInfo& info)
{
    if (info.errorDomain() == QWebEngineLoadingInfo::CertificateErrorDomain) {
        return true;
    }
    // net/base/net_error_list.h: SSL_BAD_PEER_PUBLIC_KEY, SSL_PINNED_KEY_NOT_IN_CERT_CHAIN,
    // SSL_SERVER_CERT_CHANGED, SSL_SERVER_CERT_BAD_FORMAT, SSL_KEY_USAGE_INCOMPATIBLE.
    static constexpr std::array kServerCertificateErrors{-149, -150, -156, -167, -181};
    return info.errorDomain() == QWebEngineLoadingInfo::ConnectionErrorDomain &&
           std::ranges::find(kServerCertificateErrors, info.errorCode()) != kServerCertificateErrors.end();
}

} // namespace odis::sync
