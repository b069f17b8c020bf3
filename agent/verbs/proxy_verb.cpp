#include "agent/verbs/proxy_verb.h"

#include "agent/proxy/proxy_setup.h"
#include "agent/verbs/verb_support.h"

#include <QNetworkProxyFactory>
#include <QNetworkProxyQuery>
#include <QTextStream>

#include <cstdio>

namespace odis::agent {

namespace {

const QString kVerb = QStringLiteral("proxy");

void status(AgentContext& ctx, const AgentConfig& config, const std::function<void(int)>& exit)
{
    loadProxyLogin(*ctx.secrets, [&config, exit](Result<std::optional<ProxyLogin>> login) {
        QTextStream out(stdout);
        const ProxyMode mode = proxyModeOf(config);
        out << "proxy: " << proxyModeName(mode);
        if (mode == ProxyMode::Explicit)
            out << " " << config.proxyUrl.toString();
        out << "\n";
        if (mode == ProxyMode::System) {
            const QUrl backend = config.backendUrl;
            const QList<QNetworkProxy> proxies =
                QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(backend));
            const QNetworkProxy first =
                proxies.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : proxies.first();
            out << "  the system's for " << backend.host() << ": "
                << (first.type() == QNetworkProxy::NoProxy
                        ? QStringLiteral("direct")
                        : QStringLiteral("%1:%2").arg(first.hostName()).arg(first.port()))
                << "\n";
        }
        if (!login)
            out << "  login: the keychain cannot be read (" << login.error().code << ")\n";
        else
            out << "  login: " << (*login ? QStringLiteral("stored in the keychain") : QStringLiteral("none"))
                << "\n";
        out.flush();
        exit(login ? exit_code::kOk : exit_code::kCannotRun);
    });
}

void setLogin(AgentContext& ctx, const std::function<void(int)>& exit)
{
    // Two lines, nothing echoed back; the password never reaches a log or an argument list.
    QTextStream in(stdin);
    const QString user = in.readLine();
    const QString password = in.readLine();
    if (user.trimmed().isEmpty() || password.isEmpty()) {
        printUsageError(
            kVerb,
            QStringLiteral("set-login reads the user name and the password on two lines of standard input"));
        exit(exit_code::kUsage);
        return;
    }
    ctx.logging->redactor().addSensitiveValue(password);
    saveProxyLogin(*ctx.secrets, ProxyLogin{user.trimmed(), password}, [&ctx, exit](Status saved) {
        if (!saved) {
            printVerbError(kVerb, QStringLiteral("cannot save the login"), saved.error());
            exit(exit_code::kCannotRun);
            return;
        }
        if (auto audited =
                ctx.audit->append(QStringLiteral("user:local"), QStringLiteral("proxy_login.saved"),
                                  QStringLiteral("credential:proxy"), QStringLiteral("ok"));
            !audited)
            printVerbError(kVerb, QStringLiteral("the audit entry was not written"), audited.error());
        QTextStream(stdout) << "proxy login saved in the OS keychain" << Qt::endl;
        exit(exit_code::kOk);
    });
}

void clearLogin(AgentContext& ctx, const std::function<void(int)>& exit)
{
    removeProxyLogin(*ctx.secrets, [&ctx, exit](Status removed) {
        if (!removed) {
            printVerbError(kVerb, QStringLiteral("cannot remove the login"), removed.error());
            exit(exit_code::kCannotRun);
            return;
        }
        (void)ctx.audit->append(QStringLiteral("user:local"), QStringLiteral("proxy_login.deleted"),
                                QStringLiteral("credential:proxy"), QStringLiteral("ok"));
        QTextStream(stdout) << "proxy login removed" << Qt::endl;
        exit(exit_code::kOk);
    });
}

} // namespace

void runProxyVerb(const QStringList& arguments, const std::function<void(int)>& exit)
{
    const QString action = arguments.size() == 1 ? arguments.first() : QString();
    if (action != QLatin1String("status") && action != QLatin1String("set-login") &&
        action != QLatin1String("clear-login")) {
        printUsageError(kVerb, QStringLiteral("proxy takes status, set-login or clear-login"));
        exit(exit_code::kUsage);
        return;
    }
    startVerb(kVerb, exit, [action, exit](AgentContext& ctx, const AgentConfig& config) {
        if (action == QLatin1String("status"))
            status(ctx, config, exit);
        else if (action == QLatin1String("set-login"))
            setLogin(ctx, exit);
        else
            clearLogin(ctx, exit);
    });
}

} // namespace odis::agent
