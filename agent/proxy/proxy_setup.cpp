#include "agent/proxy/proxy_setup.h"

#include "agent/agent_config.h"
#include "storage/credential_store.h"

#include <memory>

namespace odis::agent {

ProxyMode proxyModeOf(const AgentConfig& config)
{
    if (config.proxyDirect)
        return ProxyMode::Direct;
    return config.proxyUrl.isEmpty() ? ProxyMode::System : ProxyMode::Explicit;
}

QString proxyModeName(ProxyMode mode)
{
    switch (mode) {
    case ProxyMode::System:
        return QStringLiteral("system");
    case ProxyMode::Direct:
        return QStringLiteral("direct");
    case ProxyMode::Explicit:
        return QStringLiteral("explicit");
    }
    Q_UNREACHABLE();
    return QString();
}

std::optional<QNetworkProxy> networkProxyFor(const AgentConfig& config,
                                             const std::optional<ProxyLogin>& login)
{
    switch (proxyModeOf(config)) {
    case ProxyMode::System:
        return std::nullopt;
    case ProxyMode::Direct:
        return QNetworkProxy(QNetworkProxy::NoProxy);
    case ProxyMode::Explicit:
        break;
    }
    const QUrl& url = config.proxyUrl;
    QNetworkProxy proxy(url.scheme() == QLatin1String("socks5") ? QNetworkProxy::Socks5Proxy
                                                                : QNetworkProxy::HttpProxy,
                        url.host(), quint16(url.port()));
    if (login) {
        proxy.setUser(login->user);
        proxy.setPassword(login->password);
    }
    return proxy;
}

QStringList chromiumProxySwitches(const AgentConfig& config)
{
    switch (proxyModeOf(config)) {
    case ProxyMode::System:
        return {};
    case ProxyMode::Direct:
        return {QStringLiteral("--no-proxy-server")};
    case ProxyMode::Explicit:
        break;
    }
    const QUrl& url = config.proxyUrl;
    return {QStringLiteral("--proxy-server=%1://%2:%3").arg(url.scheme(), url.host()).arg(url.port()),
            QStringLiteral("--proxy-bypass-list=<-loopback>")};
}

void addChromiumSwitches(const QStringList& switches)
{
    if (switches.isEmpty())
        return;
    QString flags = qEnvironmentVariable("QTWEBENGINE_CHROMIUM_FLAGS");
    for (const QString& s : switches) {
        if (!flags.split(u' ', Qt::SkipEmptyParts).contains(s))
            flags += (flags.isEmpty() ? QString() : QStringLiteral(" ")) + s;
    }
    qputenv("QTWEBENGINE_CHROMIUM_FLAGS", flags.toLocal8Bit());
}

void loadProxyLogin(storage::CredentialStore& secrets,
                    std::function<void(Result<std::optional<ProxyLogin>>)> done)
{
    secrets.read(storage::secret::kProxyUsername, [&secrets, done = std::move(done)](
                                                      Result<std::optional<QByteArray>> user) {
        if (!user || !*user) {
            done(user ? Result<std::optional<ProxyLogin>>(std::nullopt) : propagate(user));
            return;
        }
        secrets.read(storage::secret::kProxyPassword, [userName = QString::fromUtf8(**user),
                                                       done](Result<std::optional<QByteArray>> password) {
            if (!password) {
                done(propagate(password));
                return;
            }
            done(std::optional<ProxyLogin>(
                ProxyLogin{userName, *password ? QString::fromUtf8(**password) : QString()}));
        });
    });
}

void saveProxyLogin(storage::CredentialStore& secrets, const ProxyLogin& login,
                    std::function<void(Status)> done)
{
    secrets.write(storage::secret::kProxyPassword, login.password.toUtf8(),
                  [&secrets, user = login.user, done = std::move(done)](Status written) {
                      if (!written) {
                          done(written);
                          return;
                      }
                      // The user name last: a login is only seen once both parts are there.
                      secrets.write(storage::secret::kProxyUsername, user.toUtf8(), done);
                  });
}

void removeProxyLogin(storage::CredentialStore& secrets, std::function<void(Status)> done)
{
    secrets.remove(storage::secret::kProxyUsername, [&secrets, done = std::move(done)](Status removed) {
        if (!removed) {
            done(removed);
            return;
        }
        secrets.remove(storage::secret::kProxyPassword, done);
    });
}

void applyProxySettings(storage::CredentialStore& secrets, AgentConfig& config,
                        std::function<void(Status)> done)
{
    addChromiumSwitches(chromiumProxySwitches(config));
    if (proxyModeOf(config) != ProxyMode::Explicit) {
        config.networkProxy = networkProxyFor(config, std::nullopt);
        done(ok());
        return;
    }
    loadProxyLogin(secrets, [&config, done = std::move(done)](Result<std::optional<ProxyLogin>> login) {
        config.networkProxy = networkProxyFor(config, login ? *login : std::nullopt);
        done(login ? ok() : Status(propagate(login)));
    });
}

} // namespace odis::agent
