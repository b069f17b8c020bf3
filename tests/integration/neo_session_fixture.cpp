#include "tests/integration/neo_session_fixture.h"

#include "tests/sim/neo/clinic_model.h"
#include "tests/support/nss_trust.h"

#include <QFile>
#include <QJsonObject>
#include <QTest>
#include <QWebEnginePage>
#include <QWebEngineScript>

#include <memory>

namespace odis::test {

Status NeoSessionFixture::init()
{
    if (!m_trustedDir.isValid() || !m_untrustedDir.isValid()) {
        return fail(QStringLiteral("fixture"), QStringLiteral("no temporary directory"));
    }
    auto trusted = sim::TestPki::loadOrCreate(m_trustedDir.path());
    if (!trusted) {
        return std::unexpected(trusted.error());
    }
    auto untrusted = sim::TestPki::loadOrCreate(m_untrustedDir.path());
    if (!untrusted) {
        return std::unexpected(untrusted.error());
    }
    m_trusted = *trusted;
    m_untrusted = *untrusted;
    return trustCaInNss(m_trusted->caCertificatePath());
}

Result<std::unique_ptr<sim::neo::NeoServer>> NeoSessionFixture::startSim(const SimOptions& options) const
{
    sim::neo::ClinicOptions clinic;
    clinic.seed = 11;
    clinic.providers = 2;
    clinic.days = 2;
    sim::neo::ClinicModel model = sim::neo::ClinicModel::generate(clinic);
    if (!options.username.isEmpty()) {
        model.setCredentials(model.companyId(), options.username, model.password());
    }
    sim::neo::NeoServerConfig config{std::move(model)};
    config.variants = options.variants;
    config.lockout = options.lockout;
    auto server = sim::neo::NeoServer::create(std::move(config));
    if (!server) {
        return std::unexpected(server.error());
    }
    (*server)->useTls(options.trusted ? *m_trusted : *m_untrusted);
    if (auto started = (*server)->start(); !started) {
        return std::unexpected(started.error());
    }
    return std::move(*server);
}

sync::NeoSessionConfig NeoSessionFixture::config(const QUrl& baseUrl)
{
    sync::NeoSessionConfig config;
    config.baseUrl = baseUrl;
    config.pageLoadTimeout = std::chrono::seconds(10);
    config.loginStepTimeout = std::chrono::seconds(10);
    config.loginSettle = std::chrono::seconds(2);
    config.callTimeout = std::chrono::seconds(10);
    config.watchdogGrace = std::chrono::seconds(2);
    return config;
}

std::unique_ptr<sync::NeoSession> NeoSessionFixture::session(const sync::NeoSessionConfig& config)
{
    auto created = sync::NeoSession::create(config);
    if (!created) {
        qFatal("NeoSession::create failed: %s", qPrintable(created.error().toString()));
    }
    return std::move(*created);
}

storage::IdexxLogin NeoSessionFixture::credentials(const sim::neo::NeoServer& sim)
{
    const sim::neo::NeoAccount& account = sim.state().login.account();
    return storage::IdexxLogin{account.companyId, account.username, account.password};
}

storage::IdexxLogin NeoSessionFixture::wrongPassword(const sim::neo::NeoServer& sim)
{
    storage::IdexxLogin login = credentials(sim);
    login.password += QStringLiteral("-wrong\"'</script>");
    return login;
}

int NeoSessionFixture::loginAttempts(const sim::neo::NeoServer& sim)
{
    return sim.state().login.countsJson(sim.state().now()).value(QStringLiteral("attempts")).toInt();
}

std::optional<Status> waitLogin(sync::NeoSession& session, const storage::IdexxLogin& login, int timeoutMs)
{
    // Shared: an answer that comes after the wait gave up must not write into a dead frame.
    auto result = std::make_shared<std::optional<Status>>();
    session.login(login, [result](Status status) { *result = std::move(status); });
    if (!QTest::qWaitFor([&result] { return result->has_value(); }, timeoutMs)) {
        return std::nullopt;
    }
    return *result;
}

bool loginSucceeds(sync::NeoSession& session, const storage::IdexxLogin& login)
{
    const auto result = waitLogin(session, login);
    if (!result.has_value()) {
        qWarning("the login did not finish in time");
        return false;
    }
    if (!*result) {
        qWarning("the login failed: %s", qPrintable(result->error().toString()));
        return false;
    }
    return true;
}

std::optional<Result<sync::NeoResponse>> waitGet(sync::NeoSession& session, const QString& path,
                                                 int timeoutMs)
{
    auto result = std::make_shared<std::optional<Result<sync::NeoResponse>>>();
    session.get(path, [result](Result<sync::NeoResponse> response) { *result = std::move(response); });
    if (!QTest::qWaitFor([&result] { return result->has_value(); }, timeoutMs)) {
        return std::nullopt;
    }
    return *result;
}

std::optional<QVariant> runInMainWorld(QWebEnginePage& page, const QString& script, int timeoutMs)
{
    auto result = std::make_shared<std::optional<QVariant>>();
    page.runJavaScript(script, QWebEngineScript::MainWorld,
                       [result](const QVariant& value) { *result = value; });
    if (!QTest::qWaitFor([&result] { return result->has_value(); }, timeoutMs)) {
        return std::nullopt;
    }
    return *result;
}

bool processRuns(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly)) {
        return false;
    }
    // "pid (name) S ...": the state follows the closing parenthesis of the name.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && close + 2 < line.size() && line.at(close + 2) != 'Z' && line.at(close + 2) != 'X';
}

} // namespace odis::test
