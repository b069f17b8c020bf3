#pragma once

// The proxy the agent uses (agent_config.h, proxy.url), for Qt Network (the backend, PostHog) and for the
// Neo web page (QtWebEngine) alike:
//   system    Qt Network asks the operating system (QNetworkProxyFactory's system configuration: the
//             environment's http_proxy/https_proxy/no_proxy on Linux, the system settings and PAC on Windows
//             and macOS); QtWebEngine does the same through Chromium's own system settings.
//   direct    no proxy whatever the system says: NoProxy for Qt Network, --no-proxy-server for Chromium.
//   explicit  that proxy for every request: Qt Network's clients take it with the login stored in the
//             keychain (proxy set-login); Chromium gets --proxy-server=<url> and
//             --proxy-bypass-list=<-loopback> (without it Chromium sends loopback addresses around the proxy)
//             and the same login when the proxy asks (the page's proxyAuthenticationRequired).
// Chromium reads its switches once, when QtWebEngine starts: they are added to QTWEBENGINE_CHROMIUM_FLAGS
// before any web engine object exists.

#include "storage/result.h"

#include <QNetworkProxy>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace odis::storage {
class CredentialStore;
}

namespace odis::agent {

struct AgentConfig;

struct ProxyLogin
{
    QString user;
    QString password;
};

enum class ProxyMode
{
    System,
    Direct,
    Explicit,
};

[[nodiscard]] ProxyMode proxyModeOf(const AgentConfig& config);
[[nodiscard]] QString proxyModeName(ProxyMode mode); // "system", "direct", "explicit"

// Qt Network's proxy for this configuration: none for system (the factory decides), NoProxy for direct, the
// configured one with `login` for explicit.
[[nodiscard]] std::optional<QNetworkProxy> networkProxyFor(const AgentConfig& config,
                                                           const std::optional<ProxyLogin>& login);

// Chromium's switches for this configuration (none for system).
[[nodiscard]] QStringList chromiumProxySwitches(const AgentConfig& config);

// Adds `switches` to QTWEBENGINE_CHROMIUM_FLAGS (after what is there). Call before QtWebEngine starts.
void addChromiumSwitches(const QStringList& switches);

// Reads the proxy login from the keychain (nullopt when none is stored). Errors: the keychain's.
void loadProxyLogin(storage::CredentialStore& secrets,
                    std::function<void(Result<std::optional<ProxyLogin>>)> done);
void saveProxyLogin(storage::CredentialStore& secrets, const ProxyLogin& login,
                    std::function<void(Status)> done);
void removeProxyLogin(storage::CredentialStore& secrets, std::function<void(Status)> done);

// What the verbs do once storage is up: for an explicit proxy the login is read, then `config.networkProxy`
// is set and Chromium's switches are added. `done` gets the keychain's error, if any (the proxy is then used
// without a login).
void applyProxySettings(storage::CredentialStore& secrets, AgentConfig& config,
                        std::function<void(Status)> done);

} // namespace odis::agent
