#include "tests/e2e/sync_bench.h"

#include "agent/run/neo_clinic_reader.h"
#include "storage/database.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/enrollment.h"
#include "sync/neo/selector_profile_source.h"
#include "tests/e2e/truth_compare.h"
#include "tests/sim/backend_test_kit.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/ground_truth.h"
#include "tests/support/nss_trust.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QUrlQuery>

namespace odis::test {

namespace {

const QString kEnrollmentCode = QStringLiteral("BENCH-7731-XY");

Error benchError(const QString& what)
{
    return Error{QStringLiteral("bench_setup"), what};
}

// Runs the event loop until `done` or the deadline.
bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

} // namespace

Result<std::unique_ptr<SyncBench>> SyncBench::create(const BenchOptions& options)
{
    std::unique_ptr<SyncBench> bench(new SyncBench);
    if (!bench->m_dir.isValid())
        return std::unexpected(benchError(bench->m_dir.errorString()));
    auto pki = sim::TestPki::loadOrCreate(bench->m_dir.filePath(QStringLiteral("pki")));
    if (!pki)
        return std::unexpected(pki.error());
    bench->m_pki = *pki;
    if (auto trusted = trustCaInNss(pki->caCertificatePath()); !trusted)
        return std::unexpected(trusted.error());
    bench->m_http = std::make_unique<sim::test::SimTestClient>(pki->clientConfiguration());

    sim::neo::ClinicOptions clinic;
    clinic.seed = options.seed;
    clinic.providers = options.providers;
    clinic.days = options.days;
    sim::neo::NeoServerConfig config{sim::neo::ClinicModel::generate(clinic)};
    config.variants = options.variants;
    config.faultSeed = options.seed;
    config.startUtc = options.now.isValid()
                          ? options.now.toUTC()
                          : sim::neo::localToUtc(clinic.firstDay.addDays(2), QTime(12, 0), clinic.zone);
    bench->m_clock.set(config.startUtc);
    auto neo = sim::neo::NeoServer::create(std::move(config));
    if (!neo)
        return std::unexpected(neo.error());
    bench->m_neo = std::move(*neo);
    bench->m_neo->useTls(*bench->m_pki);
    if (auto started = bench->m_neo->start(); !started)
        return std::unexpected(started.error());

    auto backend = sim::test::startBackend(bench->m_dir.filePath(QStringLiteral("backend")), *bench->m_pki,
                                           kEnrollmentCode);
    if (!backend)
        return std::unexpected(backend.error());
    bench->m_backend = std::move(*backend);
    if (auto installed = bench->install(options); !installed)
        return std::unexpected(installed.error());
    return bench;
}

SyncBench::~SyncBench() = default;

sim::test::HttpResult SyncBench::backendAdmin(const QByteArray& method, const QString& path,
                                              const QJsonObject& body) const
{
    const QUrl url = m_backend->baseUrl().resolved(QUrl(QStringLiteral("/__admin") + path));
    return method == "GET" ? m_http->get(url) : m_http->sendJson(method, url, body);
}

Status SyncBench::install(const BenchOptions& options)
{
    // The clinic profile points at this Neo, with the test's sync settings.
    const auto profile = backendAdmin("GET", QStringLiteral("/clinic-profile"));
    if (profile.status != 200)
        return std::unexpected(benchError(QStringLiteral("GET clinic-profile: %1").arg(profile.status)));
    QJsonObject clinic = profile.json().value(QStringLiteral("profile")).toObject();
    QJsonObject idexx = clinic.value(QStringLiteral("idexx")).toObject();
    idexx.insert(QStringLiteral("base_url"), m_neo->baseUrl().toString());
    clinic.insert(QStringLiteral("idexx"), idexx);
    QJsonObject sync = clinic.value(QStringLiteral("sync")).toObject();
    for (auto it = options.syncSettings.constBegin(); it != options.syncSettings.constEnd(); ++it)
        sync.insert(it.key(), it.value());
    clinic.insert(QStringLiteral("sync"), sync);
    if (const auto put = backendAdmin("PUT", QStringLiteral("/clinic-profile"), clinic); put.status != 200)
        return std::unexpected(benchError(QStringLiteral("PUT clinic-profile: %1").arg(put.status)));
    // The Neo simulator's ground truth reads the same sync settings.
    QJsonObject truthProfile = m_neo->state().clinicProfileJson;
    truthProfile.insert(QStringLiteral("sync"), sync);
    m_neo->state().clinicProfileJson = truthProfile;

    agent::BootstrapOptions boot;
    boot.paths.installIdFile = m_dir.filePath(QStringLiteral("agent/install-id"));
    boot.paths.databaseFile = m_dir.filePath(QStringLiteral("agent/odis.db"));
    boot.paths.logDirectory = m_dir.filePath(QStringLiteral("agent/logs"));
    QDir().mkpath(m_dir.filePath(QStringLiteral("agent/logs")));
    std::optional<Result<std::unique_ptr<agent::AgentContext>>> booted;
    agent::bootstrapAgent(
        boot, [&](Result<std::unique_ptr<agent::AgentContext>> context) { booted = std::move(context); });
    if (!waitFor([&] { return booted.has_value(); }, 60'000) || !*booted)
        return std::unexpected(booted && !*booted ? booted->error()
                                                  : benchError(QStringLiteral("bootstrap")));
    m_context = std::move(**booted);

    m_config.backendUrl = m_backend->baseUrl();
    m_config.backendCaFile = m_pki->caCertificatePath();
    m_config.telemetryEnabled = false;
    // The simulator is no IDEXX Neo origin: allowed as IT's managed settings would allow it.
    const QUrl neo = m_neo->baseUrl();
    m_config.neoAllowedOrigins = {QStringLiteral("https://%1:%2").arg(neo.host()).arg(neo.port(443))};
    auto client = sync::BackendClient::create(m_config.backend(), m_clock);
    if (!client)
        return std::unexpected(client.error());
    sync::Enrollment enrollment(**client, m_context->db(), *m_context->secrets,
                                m_context->logging->redactor(), m_context->clock);
    std::optional<Result<sync::AgentIdentity>> enrolled;
    enrollment.enroll(sync::EnrollmentRequest{kEnrollmentCode, {}, {}, {}},
                      [&](Result<sync::AgentIdentity> identity) { enrolled = std::move(identity); });
    if (!waitFor([&] { return enrolled.has_value(); }, 60'000) || !*enrolled)
        return std::unexpected(enrolled && !*enrolled ? enrolled->error()
                                                      : benchError(QStringLiteral("enroll")));

    const sim::neo::NeoAccount& account = m_neo->state().login.account();
    std::optional<Status> saved;
    m_context->credentials->save(storage::IdexxLogin{account.companyId, account.username, account.password},
                                 [&](Status done) { saved = done; });
    if (!waitFor([&] { return saved.has_value(); }, 60'000) || !*saved)
        return std::unexpected(saved && !*saved ? saved->error() : benchError(QStringLiteral("credentials")));
    return ok();
}

void SyncBench::setShortTimeouts(bool on)
{
    const agent::AgentConfig usual;
    m_neoCallTimeout = on ? std::chrono::milliseconds(2'000) : kNeoCallTimeout;
    m_config.transferTimeout = on ? std::chrono::seconds(2) : usual.transferTimeout;
    m_config.totalTimeout = on ? std::chrono::seconds(10) : usual.totalTimeout;
}

std::unique_ptr<agent::SyncRun> SyncBench::makeRun(agent::SyncRunOptions options)
{
    auto profile = sync::loadSelectorProfile(QString());
    if (!profile)
        qFatal("the shipped selector profile: %s", qPrintable(profile.error().toString()));
    options.neo.pageLoadTimeout = std::chrono::seconds(20);
    options.neo.loginStepTimeout = std::chrono::seconds(20);
    options.neo.loginSettle = std::chrono::seconds(2);
    options.neo.callTimeout = m_neoCallTimeout;
    options.neo.watchdogGrace = std::chrono::seconds(3);
    // Fast pacing against the simulator on loopback: hundreds of runs, each reading tens of visits.
    auto reader = std::make_unique<agent::NeoClinicReader>(
        m_context->db(), *m_context->secrets, m_clock, std::move(*profile), &m_context->logging->redactor(),
        sync::PacerSettings{8, 400, 40});
    return std::make_unique<agent::SyncRun>(*m_context, m_config, m_clock, std::move(reader),
                                            std::move(options));
}

std::optional<agent::SyncRunResult> SyncBench::sync(int timeoutMs)
{
    auto run = makeRun({});
    std::optional<agent::SyncRunResult> result;
    run->start([&](agent::SyncRunResult r) { result = std::move(r); });
    if (!waitFor([&] { return result.has_value(); }, timeoutMs))
        return std::nullopt;
    return result;
}

QString SyncBench::abandonAfter(QLatin1StringView step, int timeoutMs)
{
    QString runId;
    bool later = false; // a step was stored after `step` before the run could be dropped
    bool ended = false;
    std::unique_ptr<agent::SyncRun> run;
    QObject dropper; // the drop posted below is discarded with it, should the wait end first
    agent::SyncRunOptions options;
    options.stepStored = [&](const QString& id, const QString& stored) {
        if (!runId.isEmpty()) {
            later = later || stored != step;
        } else if (stored == step) {
            runId = id;
            // Dropped by the first event the loop handles once the step has returned: posted now, before
            // the step sends what it waits for, so it comes before the answer however fast the loopback
            // is. (Waiting in slices of the event loop instead let a quick answer slip in before the drop,
            // and the run went on to the next step.)
            QMetaObject::invokeMethod(
                &dropper, [&run] { run.reset(); }, Qt::QueuedConnection);
        }
    };
    run = makeRun(std::move(options));
    run->start([&](const agent::SyncRunResult&) { ended = true; });
    // Steps that wait for no answer run in one go with the next: those cannot be told apart here.
    waitFor([&] { return !run || ended; }, timeoutMs);
    run.reset();
    return ended || later ? QString() : runId;
}

void SyncBench::advance(qint64 seconds)
{
    m_neo->state().clock.advance(seconds);
    m_clock.advanceSecs(seconds);
}

Result<QJsonObject> SyncBench::truth(const QList<QDateTime>& syncTimes) const
{
    const QList<QDateTime> times = syncTimes.isEmpty() ? QList<QDateTime>{now()} : syncTimes;
    return sim::neo::computeGroundTruth(m_neo->state().model, m_neo->state().clinicProfileJson, times);
}

Result<QJsonObject> SyncBench::truthOfSyncs(const QList<sim::neo::TruthSync>& syncs) const
{
    return sim::neo::computeGroundTruthOfSyncs(m_neo->state().model, m_neo->state().clinicProfileJson, syncs);
}

Result<QJsonArray> SyncBench::backendItems() const
{
    const auto r = backendAdmin("GET", QStringLiteral("/items"));
    if (r.status != 200)
        return std::unexpected(benchError(QStringLiteral("GET items: %1").arg(r.status)));
    return r.json().value(QStringLiteral("items")).toArray();
}

QStringList SyncBench::differences(const QJsonObject& truth) const
{
    const auto items = backendItems();
    if (!items)
        return {items.error().toString()};
    return truthDifferences(truth, *items);
}

QJsonObject SyncBench::runReport(const QString& runId) const
{
    const auto r = backendAdmin("GET", QStringLiteral("/run-reports?run_id=") + runId);
    const QJsonArray reports = r.json().value(QStringLiteral("run_reports")).toArray();
    return reports.isEmpty() ? QJsonObject()
                             : reports.last().toObject().value(QStringLiteral("report")).toObject();
}

QJsonObject SyncBench::backendSummary() const
{
    return backendAdmin("GET", QStringLiteral("/summary")).json();
}

Status SyncBench::ageReads(qint64 seconds)
{
    auto done =
        db().execute(QStringLiteral("UPDATE neo_reads SET fetched_at = ? WHERE fetched_at IS NOT NULL"),
                     {now().addSecs(-seconds).toUTC().toString(Qt::ISODateWithMs)});
    return done ? ok() : Status(std::unexpected(done.error()));
}

Status SyncBench::failReads()
{
    auto done = db().execute(QStringLiteral("UPDATE neo_reads SET failures = 1, last_error = 'bench'"));
    return done ? ok() : Status(std::unexpected(done.error()));
}

Status SyncBench::setFault(const QString& route, const QJsonObject& faults)
{
    m_neo->faults().clearMutationCounts();
    return m_neo->faults().setRoute(route, faults);
}

void SyncBench::clearFaults()
{
    m_neo->faults().clear();
    m_neo->state().scheduleDays = {};
}

Status SyncBench::setBackendFault(const QString& route, const QJsonObject& faults)
{
    return m_backend->faults().setRoute(route, faults);
}

void SyncBench::clearBackendFaults()
{
    m_backend->faults().clear();
}

qint64 SyncBench::mutatedValues(const QString& route) const
{
    return m_neo->faults().mutationCounts().value(route).toInteger();
}

QJsonArray reportWarnings(const QJsonObject& report, const QString& code, const QString& field,
                          const QString& endpoint)
{
    QJsonArray out;
    for (const QJsonValue v : report.value(QStringLiteral("warnings")).toArray()) {
        const QJsonObject w = v.toObject();
        if (w.value(QStringLiteral("code")).toString() != code)
            continue;
        if (!field.isEmpty() && w.value(QStringLiteral("field")).toString() != field)
            continue;
        if (!endpoint.isEmpty() && w.value(QStringLiteral("endpoint")).toString() != endpoint)
            continue;
        out.append(w);
    }
    return out;
}

} // namespace odis::test
