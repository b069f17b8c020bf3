#include "agent/agent_context.h"

#include "storage/codes/agent_codes.h"
#include "storage/install_identity.h"
#include "storage/install_registry.h"
#include "storage/key_provisioning.h"
#include "storage/keychain_probe.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMetaObject>

#include <spdlog/spdlog.h>

namespace odis::agent {

namespace {

using Done = std::function<void(Result<std::unique_ptr<AgentContext>>)>;

// The bootstrap's steps share one context; each step either hands it on or ends with its error.
struct Bootstrap
{
    BootstrapOptions options;
    std::unique_ptr<AgentContext> context;
    std::unique_ptr<storage::KeychainProbe> probe;
    Done done;

    void finish(Result<std::unique_ptr<AgentContext>> result)
    {
        // The probe may be the caller of this function: delete it only after the callback returns.
        auto keepProbe = std::move(probe);
        done(std::move(result));
    }
};

void startBootstrap(const std::shared_ptr<Bootstrap>& run);

void openAuditLog(const std::shared_ptr<Bootstrap>& run)
{
    auto onKey = [run](Result<QByteArray> key) {
        if (!key) {
            run->finish(propagate(key));
            return;
        }
        AgentContext& ctx = *run->context;
        ctx.audit = std::make_unique<storage::AuditLog>(ctx.db(), *key, ctx.clock);
        ctx.credentials = std::make_unique<storage::IdexxCredentials>(*ctx.secrets, ctx.db(), ctx.clock);
        run->finish(std::move(run->context));
    };
    if (run->options.createIfMissing)
        storage::loadOrCreateAuditKey(*run->context->secrets, onKey);
    else
        storage::readAuditKey(*run->context->secrets, onKey);
}

void openStore(const std::shared_ptr<Bootstrap>& run)
{
    const QString path = run->context->paths.databaseFile;
    if (!run->options.createIfMissing && !QFileInfo::exists(path)) {
        run->finish(fail(codes::kStoreMissing,
                         QStringLiteral("this install has no encrypted store yet (%1)").arg(path)));
        return;
    }
    storage::openAgentStore(*run->context->secrets, path, [run](Result<storage::OpenedStore> opened) {
        if (!opened) {
            run->finish(propagate(opened));
            return;
        }
        run->context->store = std::move(*opened);
        const storage::OpenReport& report = run->context->store.report;
        if (run->context->store.replacedDeprovisioned)
            spdlog::warn("this install was deprovisioned by Odis and its data wiped; its emptied store was "
                         "replaced by a fresh one: enroll it again with a new code to use it");
        if (report.recovered)
            spdlog::critical("the encrypted store failed its integrity check; the damaged file was moved "
                             "aside and a fresh store was started");
        spdlog::info("store open: schema {}, {} migration(s) applied, created={}", report.schemaVersion,
                     report.migrationsApplied, report.created);
        openAuditLog(run);
    });
}

} // namespace

AgentContext::~AgentContext()
{
    credentials.reset();
    audit.reset();
    const bool open = store.database != nullptr;
    store.database.reset();
    if (open)
        if (auto finished = storage::finishDeprovisionedStore(paths.databaseFile); !finished)
            spdlog::error("the deprovisioned store stays until the next start: {}",
                          finished.error().code.toStdString());
}

QString AgentPaths::syncLockFile() const
{
    return QFileInfo(databaseFile).absolutePath() + QStringLiteral("/sync.lock");
}

sync::InstallFootprint installFootprint(AgentContext& context)
{
    sync::InstallFootprint footprint;
    footprint.installIdFile = context.paths.installIdFile;
    footprint.logging = context.logging.get();
    footprint.wipeEarlierInstalls = [installIdFile =
                                         context.paths.installIdFile](std::function<void(Status)> done) {
        // Kept alive by its own callback until it answers.
        auto registry = std::make_shared<storage::InstallRegistry>(installIdFile);
        registry->wipeAll([registry, done = std::move(done)](Status wiped) mutable {
            QMetaObject::invokeMethod(
                QCoreApplication::instance(), [registry, wiped, done = std::move(done)] { done(wiped); },
                Qt::QueuedConnection);
        });
    };
    return footprint;
}

AgentPaths AgentPaths::defaults()
{
    return AgentPaths{storage::InstallIdentity::defaultPath(), storage::defaultDatabasePath(),
                      storage::Logging::defaultDirectory()};
}

void bootstrapAgent(const BootstrapOptions& options, Done done)
{
    auto run = std::make_shared<Bootstrap>();
    run->options = options;
    run->done = std::move(done);
    // Started from the event loop so that even the synchronous first steps answer asynchronously.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [run] { startBootstrap(run); }, Qt::QueuedConnection);
}

namespace {

void startBootstrap(const std::shared_ptr<Bootstrap>& run)
{
    const BootstrapOptions& options = run->options;
    run->context = std::make_unique<AgentContext>();
    AgentContext& ctx = *run->context;
    ctx.paths = options.paths;

    storage::LoggingOptions logOptions;
    logOptions.directory = options.paths.logDirectory;
    logOptions.mirrorToStderr = options.logToStderr;
    auto logging = storage::Logging::start(logOptions);
    if (!logging) {
        run->finish(propagate(logging));
        return;
    }
    ctx.logging = std::move(*logging);

    auto installId = storage::InstallIdentity::loadOrCreate(options.paths.installIdFile);
    if (!installId) {
        run->finish(propagate(installId));
        return;
    }
    ctx.installId = *installId;
    ctx.secrets = std::make_unique<storage::KeychainStore>(ctx.installId);

    run->probe = std::make_unique<storage::KeychainProbe>(*ctx.secrets, options.keychainRetryDelay);
    run->probe->setRetryObserver([](const Error& why) {
        spdlog::warn("keychain not available yet ({}); trying once more shortly", why.code.toStdString());
    });
    run->probe->run([run](Status available) {
        if (!available) {
            run->finish(propagate(available));
            return;
        }
        // Remembered in the keychain, so that a deprovisioning also finds this install's entries once its
        // install-id file is gone (storage/install_registry.h). Not a reason to stop.
        auto registry = std::make_shared<storage::InstallRegistry>(run->context->paths.installIdFile);
        registry->add(run->context->installId, [run, registry](Status recorded) {
            if (!recorded)
                spdlog::warn("this install was not recorded in the keychain's list of installs: {}",
                             recorded.error().code.toStdString());
            QMetaObject::invokeMethod(
                QCoreApplication::instance(), [run, registry] { openStore(run); }, Qt::QueuedConnection);
        });
    });
}

} // namespace

} // namespace odis::agent
