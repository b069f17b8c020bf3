#include "tests/integration/posthog_fixture.h"

#include "storage/schema.h"
#include "tests/sim/backend_test_kit.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

namespace odis::test {

using namespace std::chrono_literals;

PostHogFixture::PostHogFixture(const sim::TestPki& pki)
    : m_pki(pki)
{}

PostHogFixture::~PostHogFixture()
{
    db.reset();
    m_admin.reset();
    server.reset();
}

Status PostHogFixture::start()
{
    if (!m_dir.isValid())
        return fail(QStringLiteral("test_setup"), QStringLiteral("no temporary directory"));
    auto started = sim::test::startBackend(m_dir.filePath(QStringLiteral("backend")), m_pki,
                                           QStringLiteral("ENROLL-POSTHOG"));
    if (!started)
        return std::unexpected(started.error());
    server = std::move(*started);
    m_admin = std::make_unique<sim::test::SimTestClient>(m_pki.clientConfiguration());
    QByteArray key(storage::Database::kKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()), key.size() / 4);
    auto opened =
        storage::Database::open(m_dir.filePath(QStringLiteral("agent.db")), key, storage::agentMigrations());
    if (!opened)
        return std::unexpected(opened.error());
    db = std::move(*opened);
    clock.set(QDateTime(QDate(2026, 3, 10), QTime(16, 0), Qt::UTC));
    return ok();
}

agent::TelemetrySettings PostHogFixture::settings(int capacity) const
{
    agent::TelemetrySettings s;
    s.capacity = capacity;
    s.posthog.host = server->baseUrl();
    s.posthog.apiKey = kPostHogApiKey;
    s.posthog.caFile = m_pki.caCertificatePath();
    s.posthog.transferTimeout = 800ms;
    s.posthog.totalTimeout = 1500ms;
    return s;
}

std::unique_ptr<agent::Telemetry> PostHogFixture::make(const agent::TelemetrySettings& settings)
{
    auto made = agent::Telemetry::create(*db, clock, settings);
    if (!made)
        qFatal("%s", qPrintable(made.error().toString()));
    (*made)->setDistinctId(kPostHogAgentId);
    return std::move(*made);
}

std::optional<agent::TelemetryFlushResult> PostHogFixture::flushAndWait(agent::Telemetry& telemetry,
                                                                        int timeoutMs)
{
    auto result = std::make_shared<std::optional<agent::TelemetryFlushResult>>();
    telemetry.flush([result](agent::TelemetryFlushResult r) { *result = std::move(r); });
    (void)QTest::qWaitFor([&result] { return result->has_value(); }, timeoutMs);
    return *result;
}

agent::TelemetryEvent PostHogFixture::discharge(qint64 count)
{
    auto event = agent::dischargeScheduledEvent(kPostHogRunId, count, clock.nowUtc());
    if (!event)
        qFatal("%s", qPrintable(event.error().toString()));
    clock.advanceSecs(1);
    return *event;
}

qint64 PostHogFixture::queued(agent::Telemetry& telemetry)
{
    auto size = telemetry.queue().size();
    if (!size)
        qFatal("%s", qPrintable(size.error().toString()));
    return *size;
}

QUrl PostHogFixture::admin(const QString& path) const
{
    return server->baseUrl().resolved(QUrl(QStringLiteral("/__admin") + path));
}

QJsonArray PostHogFixture::received()
{
    const auto r = m_admin->get(admin(QStringLiteral("/posthog-events")));
    if (r.status != 200)
        qFatal("posthog-events answered %d", r.status);
    return r.json().value(QStringLiteral("posthog_events")).toArray();
}

QList<qint64> PostHogFixture::receivedCounts()
{
    QList<qint64> out;
    const QJsonArray events = received();
    for (const auto& e : events) {
        const QJsonObject properties = e.toObject().value(QStringLiteral("properties")).toObject();
        out.append(properties.value(QStringLiteral("count")).toInteger());
    }
    return out;
}

int PostHogFixture::batchRequests()
{
    const auto r = m_admin->get(admin(QStringLiteral("/requests")));
    if (r.status != 200)
        qFatal("requests answered %d", r.status);
    return r.json().value(QStringLiteral("counts")).toObject().value(QStringLiteral("posthog_batch")).toInt();
}

int PostHogFixture::setFault(const QJsonObject& fault)
{
    return m_admin->sendJson("PUT", admin(QStringLiteral("/faults/posthog_batch")), fault).status;
}

int PostHogFixture::clearFaults()
{
    return m_admin->send("DELETE", admin(QStringLiteral("/faults"))).status;
}

int PostHogFixture::setConfig(const QJsonObject& config)
{
    return m_admin->sendJson("PUT", admin(QStringLiteral("/config")), config).status;
}

void verifyOnlyCodesNumbersAndBooleans(const QJsonObject& properties)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    static const QRegularExpression word(QStringLiteral("^[a-z][a-z_]{0,63}$"));
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QJsonValue v = it.value();
        if (v.isDouble() || v.isBool())
            continue;
        QVERIFY2(v.isString(), qPrintable(it.key()));
        const QString text = v.toString();
        QVERIFY2(uuid.match(text).hasMatch() || word.match(text).hasMatch(), qPrintable(it.key()));
    }
}

} // namespace odis::test
