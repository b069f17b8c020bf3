#pragma once

#include "storage/result.h"
#include "sync/neo/neo_origin.h"

#include <QWebEngineLoadingInfo>
#include <QWebEnginePage>

class QWebChannel;

namespace odis::sync {

class NeoProfile;
class PageBridge;
class PageScriptCalls;

// A QWebEnginePage without a view, locked to the Neo origin: navigations elsewhere are refused, it
// never opens a window (pop-ups get nullptr), certificate errors are always rejected (and reported),
// permission requests and dialogs are refused, and console output from Neo's scripts is dropped (it
// may echo clinic data). Our own scripts run in the isolated ApplicationWorld with a web channel that
// only that world can see.
class NeoPage final : public QWebEnginePage
{
    Q_OBJECT

public:
    // Fails (neo_script_failed) when the page scripts cannot be loaded from the resources.
    [[nodiscard]] static Result<NeoPage*> create(NeoProfile& profile, const NeoOrigin& origin,
                                                 QObject* parent = nullptr);
    ~NeoPage() override;

    [[nodiscard]] PageScriptCalls& calls() const { return *m_calls; }
    [[nodiscard]] int refusedNavigations() const { return m_refusedNavigations; }
    [[nodiscard]] int refusedWindows() const { return m_refusedWindows; }

Q_SIGNALS:
    // A certificate error was rejected; the page's load fails right after.
    void tlsRefused();

protected:
    bool acceptNavigationRequest(const QUrl& url, NavigationType type, bool isMainFrame) override;
    QWebEnginePage* createWindow(WebWindowType type) override;
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString& message, int lineNumber,
                                  const QString& sourceId) override;
    void javaScriptAlert(const QUrl& securityOrigin, const QString& msg) override;
    bool javaScriptConfirm(const QUrl& securityOrigin, const QString& msg) override;
    bool javaScriptPrompt(const QUrl& securityOrigin, const QString& msg, const QString& defaultValue,
                          QString* result) override;
    QStringList chooseFiles(FileSelectionMode mode, const QStringList& oldFiles,
                            const QStringList& acceptedMimeTypes) override;

private:
    NeoPage(NeoProfile& profile, NeoOrigin origin, QObject* parent);
    void refuseRequests();

    NeoOrigin m_origin;
    QWebChannel* m_channel = nullptr;
    PageBridge* m_bridge = nullptr;
    PageScriptCalls* m_calls = nullptr;
    int m_refusedNavigations = 0;
    int m_refusedWindows = 0;
};

// Whether a failed load failed on the server's certificate: QWebEngineLoadingInfo::CertificateErrorDomain,
// or one of Chromium's TLS errors about the certificate that Qt files under ConnectionErrorDomain and that
// come without QWebEnginePage::certificateError (a CA certificate served as the leaf fails with
// ERR_SSL_KEY_USAGE_INCOMPATIBLE, -181). Every one is neo_tls_error.
[[nodiscard]] bool isCertificateFailure(const QWebEngineLoadingInfo& info);

} // namespace odis::sync
