#pragma once

#include "storage/result.h"
#include "sync/neo/neo_origin.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QWebEngineLoadingInfo>

#include <chrono>
#include <memory>

namespace odis::sync {

class NeoPage;
class NeoProfile;

// Owns the session's profile and its one page, and keeps the page on the Neo origin: makes the page
// (the profile first, lazily), loads "/" when a call needs a document on the origin, reports when Neo's
// page navigates by itself (fetches in the old document are gone) and when the renderer dies. Pages
// are always deleted before the profile. While `paused` (a login flow drives the page) it reports no
// load events. Its signals are never emitted from inside a QtWebEngine signal that could delete the
// page, except documentLost/originReady/originFailed, whose receivers must not delete the page.
class NeoPageHost final : public QObject
{
    Q_OBJECT

public:
    NeoPageHost(NeoOrigin origin, std::chrono::milliseconds loadTimeout, QObject* parent = nullptr);
    ~NeoPageHost() override;

    // Makes the profile and the page when missing; neo_script_failed if the page scripts are missing.
    [[nodiscard]] Status ensurePage();
    // Deletes the page (the profile stays: its cookies keep the login).
    void destroyPage();
    // Deletes the page, then the profile: the end of the session.
    void destroyAll();

    // Loads "/" (fetch needs a document on the origin); originReady or originFailed follows.
    void loadOrigin();
    void setPaused(bool paused) { m_paused = paused; }
    // After a login the page shows a Neo document already.
    void markOnOrigin();

    // The login a proxy gets when it asks (QWebEnginePage::proxyAuthenticationRequired); empty: none, and
    // the proxy's refusal fails the page's loads.
    void setProxyLogin(const QString& user, const QString& password);

    [[nodiscard]] NeoPage* page() const { return m_page; }
    [[nodiscard]] NeoProfile* profile() const { return m_profile.get(); }
    [[nodiscard]] bool onOrigin() const { return m_onOrigin; }
    [[nodiscard]] bool loading() const { return m_loading; }

Q_SIGNALS:
    void documentLost();
    void originReady();
    void originFailed(const odis::Error& error);
    void rendererGone(int status, int exitCode); // queued: the receiver may delete the page

private:
    void onLoadStarted();
    void onLoadFinished(bool ok);
    void onLoadingChanged(const QWebEngineLoadingInfo& info);
    void onLoadTimeout();

    NeoOrigin m_origin;
    std::chrono::milliseconds m_loadTimeout;
    std::unique_ptr<NeoProfile> m_profile;
    NeoPage* m_page = nullptr; // deleted before m_profile, always
    QTimer m_loadTimer;
    quint64 m_generation = 0; // raised for every page, so a late signal of an old page is ignored
    bool m_onOrigin = false;
    bool m_loading = false;
    bool m_tlsRefused = false;
    bool m_paused = false;
    QString m_proxyUser;
    QString m_proxyPassword;
};

} // namespace odis::sync
