#include "tests/integration/neo_session_fixture.h"

#include "tests/sim/neo/clinic_model.h"
#include "tests/support/nss_trust.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonObject>
#include <QTimer>
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
    if (options.badCertificate) {
        auto tls = sim::badServerConfiguration(*m_trusted, *options.badCertificate);
        if (!tls) {
            return std::unexpected(tls.error());
        }
        (*server)->sslSetup(*tls);
    }
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

std::unique_ptr<sync::NeoSession> NeoSessionFixture::session(const sync::NeoSessionConfig& config,
                                                             storage::Redactor* redactor)
{
    auto created = sync::NeoSession::create(config, redactor);
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

namespace {

// One answer awaited in an event loop. QTest::qWaitFor naps 10 ms between rounds of events; QtWebEngine
// posts dozens of tasks to the UI thread for one page load, so those naps stretch a login to seconds.
// Shared with the callback: an answer after the wait gave up must not write into a dead frame.
template <typename T> struct Awaited
{
    std::optional<T> value;
    QEventLoop loop;

    void set(T v)
    {
        value = std::move(v);
        loop.quit();
    }

    std::optional<T> wait(int timeoutMs)
    {
        if (!value) {
            QTimer timer;
            timer.setSingleShot(true);
            QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
            timer.start(timeoutMs);
            loop.exec();
        }
        return value;
    }
};

} // namespace

std::optional<Status> waitLogin(sync::NeoSession& session, const storage::IdexxLogin& login, int timeoutMs)
{
    auto awaited = std::make_shared<Awaited<Status>>();
    session.login(login, [awaited](Status status) { awaited->set(std::move(status)); });
    return awaited->wait(timeoutMs);
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
    auto awaited = std::make_shared<Awaited<Result<sync::NeoResponse>>>();
    session.get(path, [awaited](Result<sync::NeoResponse> response) { awaited->set(std::move(response)); });
    return awaited->wait(timeoutMs);
}

std::optional<QVariant> runInMainWorld(QWebEnginePage& page, const QString& script, int timeoutMs)
{
    auto awaited = std::make_shared<Awaited<QVariant>>();
    page.runJavaScript(script, QWebEngineScript::MainWorld,
                       [awaited](const QVariant& value) { awaited->set(value); });
    return awaited->wait(timeoutMs);
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
