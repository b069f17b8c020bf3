#include "agent/verbs/verb_support.h"

#include "agent/provisioning/provisioned_enrollment.h"
#include "agent/proxy/proxy_setup.h"

#include <QCoreApplication>
#include <QObject>
#include <QTextStream>
#include <QVariant>

#include <spdlog/spdlog.h>

#include <vector>

namespace odis::agent {

namespace {

// A child of the application object. What it keeps goes when the event loop ends (aboutToQuit), while
// the application object still exists: Qt's network classes look it up while they are torn down, and a
// QNetworkAccessManager destroyed with the application warns from its thread. It goes in reverse order,
// so that an object never outlives what it was made from.
class Keeper final : public QObject
{
public:
    explicit Keeper(QCoreApplication* app)
        : QObject(app)
    {
        connect(app, &QCoreApplication::aboutToQuit, this, [this] { release(); });
    }
    ~Keeper() override { release(); }
    void keep(std::shared_ptr<void> value) { m_values.push_back(std::move(value)); }

private:
    void release()
    {
        while (!m_values.empty())
            m_values.pop_back();
    }

    std::vector<std::shared_ptr<void>> m_values;
};

} // namespace

void keepUntilExitImpl(std::shared_ptr<void> value)
{
    // One keeper per application object, found again through a property (Keeper has no meta-object).
    constexpr const char* property = "odis_verb_keeper";
    QCoreApplication* app = QCoreApplication::instance();
    auto* keeper = static_cast<Keeper*>(app->property(property).value<QObject*>());
    if (!keeper) {
        keeper = new Keeper(app);
        app->setProperty(property, QVariant::fromValue<QObject*>(keeper));
    }
    keeper->keep(std::move(value));
}

void printVerbError(const QString& verb, const QString& what, const Error& error)
{
    QTextStream(stderr) << "odis-agent " << verb << ": " << what << ": " << error.message << " ["
                        << error.code << "]" << Qt::endl;
}

void printUsageError(const QString& verb, const QString& problem)
{
    QTextStream(stderr) << "odis-agent " << verb << ": " << problem << "\n(see odis-agent --help)"
                        << Qt::endl;
}

void startVerb(const QString& verb, std::function<void(int)> exit, ReadyCallback ready)
{
    auto loaded = loadAgentConfig();
    if (!loaded) {
        printVerbError(verb, QStringLiteral("invalid configuration"), loaded.error());
        exit(exit_code::kCannotRun);
        return;
    }
    AgentConfig& config = keepUntilExit(std::make_unique<AgentConfig>(std::move(*loaded)));
    bootstrapAgent(BootstrapOptions{}, [verb, &config, exit = std::move(exit), ready = std::move(ready)](
                                           Result<std::unique_ptr<AgentContext>> context) {
        if (!context) {
            printVerbError(verb, QStringLiteral("cannot open this install's store"), context.error());
            exit(exit_code::kCannotRun);
            return;
        }
        (*context)->logging->setLevel(config.logLevel);
        AgentContext& ctx = keepUntilExit(std::move(*context));
        // The proxy (and its login from the keychain) before anything reaches the network; then a
        // pre-provisioned enrollment code is used at the first start, whatever the verb (`enroll`
        // brings its own code).
        applyProxySettings(*ctx.secrets, config, [&ctx, &config, ready, verb](Status applied) {
            if (!applied)
                spdlog::warn("proxy: its login cannot be read ({}); using it without one",
                             applied.error().code.toStdString());
            if (verb == QLatin1String("enroll")) {
                ready(ctx, config);
                return;
            }
            useProvisionedEnrollment(ctx, config,
                                     [&ctx, &config, ready](ProvisionedOutcome) { ready(ctx, config); });
        });
    });
}

} // namespace odis::agent
