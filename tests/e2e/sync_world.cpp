#include "tests/e2e/sync_world.h"

#include "tests/support/nss_trust.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>

#include <algorithm>

namespace odis::test {

namespace {

const QString kAgentExe = QStringLiteral(ODIS_AGENT_EXE);
const QString kNeoSimExe = QStringLiteral(ODIS_NEO_SIM_EXE);
const QString kBackendSimExe = QStringLiteral(ODIS_BACKEND_SIM_EXE);

// Half past the minute: the agent's clock runs on from the simulator's while a run lasts, and decisions
// are made on whole minutes (agent/run/clock_seam.h).
QString instant(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODate);
}

Error httpError(const QString& what, const sim::test::HttpResult& r)
{
    return Error{QStringLiteral("e2e_admin_failed"), QStringLiteral("%1 answered %2: %3")
                                                         .arg(what)
                                                         .arg(r.status)
                                                         .arg(QString::fromUtf8(r.body.left(300)))};
}

// A zone in each country the simulator generates clinics in.
QString zoneIn(const QString& country)
{
    if (country == QLatin1String("CA"))
        return QStringLiteral("America/Toronto");
    if (country == QLatin1String("GB"))
        return QStringLiteral("Europe/London");
    return QStringLiteral("America/Los_Angeles");
}

} // namespace

QByteArray AgentRun::describe() const
{
    return QStringLiteral("finished %1, crashed %2, exit %3\n--- stdout\n%4\n--- stderr\n%5")
        .arg(finished)
        .arg(crashed)
        .arg(exitCode)
        .arg(out, err.right(4000))
        .toUtf8();
}

Result<std::unique_ptr<SyncWorld>> SyncWorld::create(const WorldOptions& options)
{
    std::unique_ptr<SyncWorld> world(new SyncWorld);
    if (!world->m_dir.isValid())
        return fail(QStringLiteral("e2e_no_temp_dir"), world->m_dir.errorString());
    const QString pki = world->path(QStringLiteral("pki"));
    auto backend = SimProcess::start(kBackendSimExe, world->backendArguments(0),
                                     world->path(QStringLiteral("backend-sim.log")));
    if (!backend)
        return std::unexpected(backend.error());
    world->m_backend = std::move(*backend);
    world->m_backendUrl = world->m_backend->url();
    world->m_caFile = pki + QStringLiteral("/ca.pem");
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(world->m_caFile));
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    world->m_http = std::make_unique<sim::test::SimTestClient>(tls);

    QStringList neoArguments{QStringLiteral("--port"),    QStringLiteral("0"),
                             QStringLiteral("--tls-dir"), pki,
                             QStringLiteral("--seed"),    QString::number(options.seed),
                             QStringLiteral("--days"),    QString::number(options.days)};
    if (options.neoNow.isValid())
        neoArguments << QStringLiteral("--now") << instant(options.neoNow);
    if (options.phoneChanges)
        neoArguments << QStringLiteral("--phone-changes");
    if (!options.country.isEmpty()) {
        const auto profile = world->backendAdmin("GET", QStringLiteral("/clinic-profile"));
        if (profile.status != 200)
            return std::unexpected(httpError(QStringLiteral("GET clinic-profile"), profile));
        world->m_clinicProfile = profile.json().value(QStringLiteral("profile")).toObject();
        world->m_clinicProfile.insert(QStringLiteral("country"), options.country);
        world->m_clinicProfile.insert(QStringLiteral("timezone"), zoneIn(options.country));
        QFile file(world->path(QStringLiteral("clinic-profile.json")));
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(QJsonDocument(world->m_clinicProfile).toJson()) < 0)
            return fail(QStringLiteral("e2e_config"), file.errorString());
        file.close();
        neoArguments << QStringLiteral("--clinic-profile") << file.fileName();
    }
    auto neo = SimProcess::start(kNeoSimExe, neoArguments, world->path(QStringLiteral("neo-sim.log")));
    if (!neo)
        return std::unexpected(neo.error());
    world->m_neo = std::move(*neo);
    world->m_neoUrl = world->m_neo->url();
    world->m_neoArguments = neoArguments;

    world->m_seed = options.seed;
    world->m_days = options.days;
    world->m_backendTransferTimeoutS = options.backendTransferTimeoutS;
    if (auto trusted = trustCaInNss(world->m_caFile); !trusted)
        return std::unexpected(trusted.error());
    return world;
}

SyncWorld::~SyncWorld() = default;

QStringList SyncWorld::backendArguments(int port) const
{
    return {QStringLiteral("--port"),
            QString::number(port),
            QStringLiteral("--tls-dir"),
            path(QStringLiteral("pki")),
            QStringLiteral("--state-dir"),
            path(QStringLiteral("backend")),
            QStringLiteral("--posthog-api-key"),
            QStringLiteral("phc_odis_e2e")};
}

bool SyncWorld::stopBackend()
{
    const bool clean = m_backend->stop();
    m_backend.reset();
    return clean;
}

Status SyncWorld::restartBackend()
{
    auto backend = SimProcess::start(kBackendSimExe, backendArguments(m_backendUrl.port()),
                                     path(QStringLiteral("backend-sim.log")));
    if (!backend)
        return std::unexpected(backend.error());
    m_backend = std::move(*backend);
    return {};
}

void SyncWorld::killBackend()
{
    m_backend->kill();
    m_backend.reset();
}

void SyncWorld::killNeo()
{
    m_neo->kill();
    m_neo.reset();
}

Status SyncWorld::restartNeo(const QDateTime& now)
{
    QStringList arguments = m_neoArguments;
    arguments[arguments.indexOf(QStringLiteral("--port")) + 1] = QString::number(m_neoUrl.port());
    if (const qsizetype at = arguments.indexOf(QStringLiteral("--now")); at >= 0)
        arguments.remove(at, 2);
    arguments << QStringLiteral("--now") << instant(now);
    auto neo = SimProcess::start(kNeoSimExe, arguments, path(QStringLiteral("neo-sim.log")));
    if (!neo)
        return std::unexpected(neo.error());
    m_neo = std::move(*neo);
    return {};
}

Status SyncWorld::install()
{
    if (auto configured = configure(); !configured)
        return configured;
    const auto enrolled = enrollWithNewCode();
    if (!enrolled || enrolled->exitCode != 0)
        return fail(QStringLiteral("e2e_enroll"),
                    enrolled ? QString::fromUtf8(enrolled->describe()) : enrolled.error().toString());
    const auto saved = saveNeoLogin();
    if (!saved || saved->exitCode != 0)
        return fail(QStringLiteral("e2e_credentials"),
                    saved ? QString::fromUtf8(saved->describe()) : saved.error().toString());
    return {};
}

Status SyncWorld::configure()
{
    const QString configDir = path(QStringLiteral("config/Odis/odis-agent"));
    QDir().mkpath(configDir);
    QJsonObject backend{{QStringLiteral("url"), backendUrl().toString()},
                        {QStringLiteral("ca_file"), m_caFile}};
    if (m_backendTransferTimeoutS > 0)
        backend.insert(QStringLiteral("transfer_timeout_s"), m_backendTransferTimeoutS);
    const QJsonObject config{
        {QStringLiteral("backend"), backend},
        {QStringLiteral("telemetry"),
         QJsonObject{{QStringLiteral("enabled"), true},
                     {QStringLiteral("posthog_host"), backendUrl().toString()},
                     {QStringLiteral("posthog_api_key"), QStringLiteral("phc_odis_e2e")}}},
        {QStringLiteral("log_level"), QStringLiteral("debug")}};
    QFile file(configDir + QStringLiteral("/config.json"));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) < 0)
        return fail(QStringLiteral("e2e_config"), file.errorString());
    file.close();
    // IT's file: the simulated Neo is where the clinic's password may be typed (sync/core/
    // neo_origin_allow_list.h); nothing else than IDEXX's own origins would be.
    if (auto allowed = setAllowedNeoOrigins({neoUrl()}); !allowed)
        return allowed;
    if (auto pointed = setClinicNeoUrl(neoUrl()); !pointed)
        return pointed;
    m_installed = true;
    return {};
}

Status SyncWorld::setAllowedNeoOrigins(const QList<QUrl>& origins) const
{
    QJsonArray allowed;
    for (const QUrl& origin : origins)
        allowed.append(QStringLiteral("https://%1:%2").arg(origin.host()).arg(origin.port(443)));
    QDir().mkpath(QFileInfo(managedConfigPath()).absolutePath());
    QFile managed(managedConfigPath());
    const QJsonObject content{
        {QStringLiteral("neo"), QJsonObject{{QStringLiteral("allowed_origins"), allowed}}}};
    if (!managed.open(QIODevice::WriteOnly) || managed.write(QJsonDocument(content).toJson()) < 0)
        return fail(QStringLiteral("e2e_config"), managed.errorString());
    return {};
}

Status SyncWorld::setClinicNeoUrl(const QUrl& url) const
{
    const auto profile = backendAdmin("GET", QStringLiteral("/clinic-profile"));
    if (profile.status != 200)
        return std::unexpected(httpError(QStringLiteral("GET clinic-profile"), profile));
    // At install, the world's own profile (a country of its own) replaces the double's default.
    QJsonObject clinic = m_clinicProfile.isEmpty() || m_installed
                             ? profile.json().value(QStringLiteral("profile")).toObject()
                             : m_clinicProfile;
    QJsonObject idexx = clinic.value(QStringLiteral("idexx")).toObject();
    idexx.insert(QStringLiteral("base_url"), url.toString());
    clinic.insert(QStringLiteral("idexx"), idexx);
    if (const auto put = backendAdmin("PUT", QStringLiteral("/clinic-profile"), clinic); put.status != 200)
        return std::unexpected(httpError(QStringLiteral("PUT clinic-profile"), put));
    return {};
}

Result<std::unique_ptr<SimProcess>> SyncWorld::startAnotherNeo(const QString& name) const
{
    QStringList arguments{QStringLiteral("--port"),    QStringLiteral("0"),      QStringLiteral("--tls-dir"),
                          path(QStringLiteral("pki")), QStringLiteral("--seed"), QString::number(m_seed),
                          QStringLiteral("--days"),    QString::number(m_days)};
    if (!m_clinicProfile.isEmpty())
        arguments << QStringLiteral("--clinic-profile") << path(QStringLiteral("clinic-profile.json"));
    return SimProcess::start(kNeoSimExe, arguments, path(name + QStringLiteral(".log")));
}

Result<AgentRun> SyncWorld::enrollWithNewCode(const QStringList& extra, const QJsonObject& codeRequest) const
{
    const auto code = backendAdmin("POST", QStringLiteral("/enrollment-codes"), codeRequest);
    if (code.status != 201)
        return std::unexpected(httpError(QStringLiteral("POST enrollment-codes"), code));
    // On standard input, as IT gives it: never on the argument list.
    return agent(QStringList{QStringLiteral("enroll")} + extra,
                 code.json().value(QStringLiteral("code")).toString().toUtf8() + '\n');
}

Result<AgentRun> SyncWorld::saveNeoLogin(const std::optional<QString>& password) const
{
    const auto login = neoAdmin("GET", QStringLiteral("/credentials"));
    if (login.status != 200)
        return std::unexpected(httpError(QStringLiteral("GET credentials"), login));
    const QJsonObject c = login.json();
    const QByteArray input =
        (c.value(QStringLiteral("company_id")).toString() + QLatin1Char('\n') +
         c.value(QStringLiteral("username")).toString() + QLatin1Char('\n') +
         password.value_or(c.value(QStringLiteral("password")).toString()) + QLatin1Char('\n'))
            .toUtf8();
    return agent({QStringLiteral("credentials"), QStringLiteral("set")}, input);
}

QProcessEnvironment SyncWorld::agentEnvironment(const QProcessEnvironment& extra) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), path(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), path(QStringLiteral("state")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("QTWEBENGINE_DISABLE_SANDBOX"), QStringLiteral("1")); // root in CI
    env.insert(QStringLiteral("ODIS_MANAGED_CONFIG"), managedConfigPath());
    for (const QString& key : extra.keys())
        env.insert(key, extra.value(key));
    return env;
}

AgentRun SyncWorld::agent(const QStringList& arguments, const QByteArray& input,
                          const QProcessEnvironment& extra, int timeoutMs) const
{
    QProcess process;
    process.setProcessEnvironment(agentEnvironment(extra));
    process.start(kAgentExe, arguments);
    AgentRun run;
    if (!process.waitForStarted(10'000)) {
        run.err = process.errorString();
        return run;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    run.finished = process.waitForFinished(timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished(5'000);
    }
    run.crashed = process.exitStatus() == QProcess::CrashExit;
    run.exitCode = run.finished && !run.crashed ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

AgentRun SyncWorld::sync(const QProcessEnvironment& extra, int timeoutMs)
{
    QProcessEnvironment env = extra;
    env.insert(QStringLiteral("ODIS_TEST_NOW"), instant(neoNow()));
    return agent({QStringLiteral("sync"), QStringLiteral("--once"), QStringLiteral("--headless")}, {}, env,
                 timeoutMs);
}

std::unique_ptr<QProcess> SyncWorld::startSync(const QProcessEnvironment& extra, const QStringList& wrapper)
{
    QProcessEnvironment env = extra;
    env.insert(QStringLiteral("ODIS_TEST_NOW"), instant(neoNow()));
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(agentEnvironment(env));
    process->setStandardOutputFile(path(QStringLiteral("sync.out")), QIODevice::Append);
    process->setStandardErrorFile(path(QStringLiteral("sync.err")), QIODevice::Append);
    const QStringList command = wrapper + QStringList{QString(kAgentExe), QStringLiteral("sync"),
                                                      QStringLiteral("--once"), QStringLiteral("--headless")};
    process->start(command.first(), command.mid(1));
    return process;
}

sim::test::HttpResult SyncWorld::neoAdmin(const QByteArray& method, const QString& adminPath,
                                          const QJsonObject& body) const
{
    const QUrl url = neoUrl().resolved(QUrl(QStringLiteral("/__admin") + adminPath));
    return method == "GET" ? m_http->get(url) : m_http->sendJson(method, url, body);
}

sim::test::HttpResult SyncWorld::backendAdmin(const QByteArray& method, const QString& adminPath,
                                              const QJsonObject& body) const
{
    const QUrl url = backendUrl().resolved(QUrl(QStringLiteral("/__admin") + adminPath));
    return method == "GET" ? m_http->get(url) : m_http->sendJson(method, url, body);
}

sim::test::HttpResult SyncWorld::adminAt(const QUrl& simulator, const QByteArray& method,
                                         const QString& adminPath, const QJsonObject& body) const
{
    const QUrl url = simulator.resolved(QUrl(QStringLiteral("/__admin") + adminPath));
    return method == "GET" ? m_http->get(url) : m_http->sendJson(method, url, body);
}

QDateTime SyncWorld::neoNow() const
{
    const auto r = neoAdmin("GET", QStringLiteral("/clock"));
    return QDateTime::fromString(r.json().value(QStringLiteral("now")).toString(), Qt::ISODate);
}

Status SyncWorld::advanceNeo(qint64 seconds) const
{
    const auto r = neoAdmin("POST", QStringLiteral("/clock/advance"),
                            QJsonObject{{QStringLiteral("seconds"), static_cast<double>(seconds)}});
    if (r.status != 200)
        return std::unexpected(httpError(QStringLiteral("POST clock/advance"), r));
    return {};
}

Result<QJsonObject> SyncWorld::groundTruth() const
{
    const auto r = neoAdmin("GET", QStringLiteral("/ground-truth?at=") + instant(neoNow()));
    if (r.status != 200)
        return std::unexpected(httpError(QStringLiteral("GET ground-truth"), r));
    return r.json();
}

Result<QJsonArray> SyncWorld::backendItems() const
{
    const auto r = backendAdmin("GET", QStringLiteral("/items"));
    if (r.status != 200)
        return std::unexpected(httpError(QStringLiteral("GET items"), r));
    return r.json().value(QStringLiteral("items")).toArray();
}

Result<QJsonArray> SyncWorld::backendObservations() const
{
    const auto r = backendAdmin("GET", QStringLiteral("/observations"));
    if (r.status != 200)
        return std::unexpected(httpError(QStringLiteral("GET observations"), r));
    return r.json().value(QStringLiteral("observations")).toArray();
}

QString SyncWorld::agentLog() const
{
    QStringList files;
    QDirIterator it(path(QStringLiteral("data")), {QStringLiteral("odis-agent.log*")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    // odis-agent.log.2 is older than .1, which is older than odis-agent.log.
    std::sort(files.begin(), files.end(), [](const QString& a, const QString& b) {
        return a.size() != b.size() ? a.size() > b.size() : a > b;
    });
    QString text;
    for (const QString& name : std::as_const(files)) {
        QFile file(name);
        if (file.open(QIODevice::ReadOnly))
            text += QString::fromUtf8(file.readAll());
    }
    return text;
}

QJsonObject SyncWorld::backendSummary() const
{
    return backendAdmin("GET", QStringLiteral("/summary")).json();
}

QHash<QString, qint64> SyncWorld::neoRequestCounts() const
{
    QHash<QString, qint64> counts;
    const QJsonObject c =
        neoAdmin("GET", QStringLiteral("/requests")).json().value(QStringLiteral("counts")).toObject();
    for (auto it = c.begin(); it != c.end(); ++it)
        counts.insert(it.key(), it.value().toInteger());
    return counts;
}

void SyncWorld::clearNeoRequests() const
{
    (void)neoAdmin("DELETE", QStringLiteral("/requests"));
}

} // namespace odis::test
