#include "agent/verbs/verb_support.h"

#include "agent/provisioning/provisioned_enrollment.h"
#include "agent/proxy/proxy_setup.h"
#include "storage/redactor.h"

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
    void setRedactor(const storage::Redactor* redactor) { m_redactor = redactor; }
    [[nodiscard]] const storage::Redactor* redactor() const { return m_redactor; }

private:
    void release()
    {
        m_redactor = nullptr; // it goes with the context it belongs to
        while (!m_values.empty())
            m_values.pop_back();
    }

    std::vector<std::shared_ptr<void>> m_values;
    const storage::Redactor* m_redactor = nullptr;
};

Keeper* keeper(bool create)
{
    // One keeper per application object, found again through a property (Keeper has no meta-object).
    constexpr const char* property = "odis_verb_keeper";
    QCoreApplication* app = QCoreApplication::instance();
    if (!app)
        return nullptr;
    auto* found = static_cast<Keeper*>(app->property(property).value<QObject*>());
    if (!found && create) {
        found = new Keeper(app);
        app->setProperty(property, QVariant::fromValue<QObject*>(found));
    }
    return found;
}

// What a verb prints to the terminal passes the same redaction as its log (docs/architecture.md,
// "Logging"): the rules always, the values the install registered (its secrets, the names a sync read)
// once its context exists. Cut to a few lines first.
QString forTerminal(const QString& text)
{
    constexpr qsizetype kMaxChars = 2000;
    const Keeper* k = keeper(false);
    if (k && k->redactor())
        return k->redactor()->redactTruncated(text, kMaxChars);
    return storage::Redactor().redactTruncated(text, kMaxChars);
}

} // namespace

void keepUntilExitImpl(std::shared_ptr<void> value)
{
    keeper(true)->keep(std::move(value));
}

void printVerbError(const QString& verb, const QString& what, const Error& error)
{
    QTextStream(stderr) << "odis-agent " << verb << ": " << forTerminal(what) << ": "
                        << forTerminal(error.message) << " [" << error.code << "]" << Qt::endl;
}

void printUsageError(const QString& verb, const QString& problem)
{
    QTextStream(stderr) << "odis-agent " << verb << ": " << forTerminal(problem)
                        << "\n(see odis-agent --help)" << Qt::endl;
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
        keeper(true)->setRedactor(&(*context)->logging->redactor());
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
