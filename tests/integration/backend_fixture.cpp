#include "tests/integration/backend_fixture.h"

#include "storage/schema.h"
#include "sync/core/canonical_json.h"
#include "tests/sim/backend_test_kit.h"

#include <QRandomGenerator>
#include <QUuid>

namespace odis::test {

namespace {

QByteArray randomBytes(qsizetype n)
{
    QByteArray out((n + 3) / 4 * 4, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(out.data()), out.size() / 4);
    out.truncate(n);
    return out;
}

sync::OutboxItem itemOf(const QJsonObject& payload, const QDateTime& observedAt)
{
    const QByteArray canonical = sync::canonicalJson(payload);
    const QString id = payload.value(QStringLiteral("neo_appointment_id")).toString();
    return sync::OutboxItem{QStringLiteral("appointment"), QStringLiteral("appointment:") + id,
                            sync::sha256Hex(canonical), observedAt, canonical};
}

} // namespace

BackendFixture::BackendFixture() = default;

BackendFixture::~BackendFixture()
{
    // Leave nothing of this install in the session's keyring.
    if (keychain)
        (void)awaitCallback<Status>([this](auto done) { keychain->wipeAll(done); });
}

Status BackendFixture::start()
{
    if (!dir.isValid())
        return fail(QStringLiteral("test_setup"), QStringLiteral("no temporary directory"));
    auto loaded = sim::TestPki::loadOrCreate(dir.filePath(QStringLiteral("pki")));
    if (!loaded)
        return std::unexpected(loaded.error());
    pki = *loaded;
    auto started = sim::test::startBackend(dir.filePath(QStringLiteral("backend")), *pki, enrollmentCode);
    if (!started)
        return std::unexpected(started.error());
    server = std::move(*started);

    dbKey = QByteArray(storage::Database::kKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(dbKey.data()), dbKey.size() / 4);
    if (auto opened = reopenStore(); !opened)
        return opened;

    auto made = makeClient();
    if (!made)
        return std::unexpected(made.error());
    client = std::move(*made);
    keychain = std::make_unique<storage::KeychainStore>(QUuid::createUuid());
    enrollment = std::make_unique<sync::Enrollment>(*client, *db, *keychain, redactor, clock);
    admin = std::make_unique<sim::test::SimTestClient>(pki->clientConfiguration());
    return ok();
}

Status BackendFixture::reopenStore()
{
    enrollment.reset();
    db.reset();
    auto opened =
        storage::Database::open(dir.filePath(QStringLiteral("agent.db")), dbKey, storage::agentMigrations());
    if (!opened)
        return std::unexpected(opened.error());
    db = std::move(*opened);
    if (client && keychain)
        enrollment = std::make_unique<sync::Enrollment>(*client, *db, *keychain, redactor, clock);
    return ok();
}

sync::BackendConfig BackendFixture::testConfig() const
{
    sync::BackendConfig config;
    config.baseUrl = server->baseUrl();
    config.caFile = pki->caCertificatePath();
    config.transferTimeout = std::chrono::milliseconds(3000);
    config.totalTimeout = std::chrono::milliseconds(10000);
    config.osName = QStringLiteral("Debian GNU/Linux 12 (bookworm)");
    return config;
}

Result<std::unique_ptr<sync::BackendClient>>
BackendFixture::makeClient(const std::function<void(sync::BackendConfig&)>& tweak)
{
    sync::BackendConfig config = testConfig();
    if (tweak)
        tweak(config);
    return sync::BackendClient::create(config, clock);
}

Result<sync::AgentIdentity> BackendFixture::enroll()
{
    auto enrolled = awaitCallback<Result<sync::AgentIdentity>>([this](auto done) {
        enrollment->enroll(sync::EnrollmentRequest{enrollmentCode, {}, {}}, done);
    });
    if (!enrolled)
        return fail(QStringLiteral("test_timeout"), QStringLiteral("enrollment did not answer"));
    return *enrolled;
}

QJsonObject BackendFixture::adminGet(const QString& path)
{
    const auto r = admin->get(server->baseUrl().resolved(QUrl(QStringLiteral("/__admin") + path)));
    if (r.status != 200)
        qFatal("admin GET %s answered %d (network error %d, %lld ms)", qPrintable(path), r.status,
               int(r.error), r.elapsedMs);
    return r.json();
}

int BackendFixture::adminSend(const QByteArray& method, const QString& path, const QJsonObject& body)
{
    return admin->sendJson(method, server->baseUrl().resolved(QUrl(QStringLiteral("/__admin") + path)), body)
        .status;
}

void BackendFixture::setFault(const QString& route, const QJsonObject& faults)
{
    const int status = adminSend("PUT", QStringLiteral("/faults/") + route, faults);
    if (status != 200)
        qFatal("setting faults on %s answered %d", qPrintable(route), status);
}

void BackendFixture::clearFaults()
{
    const auto r = admin->send("DELETE", server->baseUrl().resolved(QUrl(QStringLiteral("/__admin/faults"))));
    if (r.status != 200 && r.status != 204)
        qFatal("clearing faults answered %d", r.status);
}

qint64 BackendFixture::duplicates()
{
    return adminGet(QStringLiteral("/duplicates")).value(QStringLiteral("duplicates")).toInteger(-1);
}

QJsonArray BackendFixture::storedItems()
{
    return adminGet(QStringLiteral("/items")).value(QStringLiteral("items")).toArray();
}

QJsonArray BackendFixture::receivedBatches()
{
    return adminGet(QStringLiteral("/batches")).value(QStringLiteral("batches")).toArray();
}

int BackendFixture::routeCount(const QString& route)
{
    return adminGet(QStringLiteral("/requests"))
        .value(QStringLiteral("counts"))
        .toObject()
        .value(route)
        .toInt();
}

qint64 BackendFixture::outboxRows(const QString& where)
{
    auto count = db->scalar(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE ") + where);
    if (!count)
        qFatal("%s", qPrintable(count.error().toString()));
    return count->toLongLong();
}

qint64 BackendFixture::frozenBatches()
{
    auto count = db->scalar(QStringLiteral("SELECT COUNT(*) FROM outbox_batches"));
    if (!count)
        qFatal("%s", qPrintable(count.error().toString()));
    return count->toLongLong();
}

sync::OutboxItem appointmentItem(int appointmentId, const QDateTime& observedAt, int variant)
{
    QJsonObject payload = sim::test::appointmentPayload(QString::number(appointmentId));
    if (variant != 0)
        payload.insert(QStringLiteral("reason"), QStringLiteral("Recheck %1").arg(variant));
    return itemOf(payload, observedAt);
}

sync::OutboxItem bulkyAppointmentItem(int appointmentId, const QDateTime& observedAt, int noteBytes)
{
    QJsonObject payload = sim::test::appointmentPayload(QString::number(appointmentId));
    payload.insert(QStringLiteral("reason"),
                   QString::fromLatin1(randomBytes(noteBytes * 3 / 4 + 4).toBase64().left(noteBytes)));
    return itemOf(payload, observedAt);
}

sync::OutboxItem invalidAppointmentItem(int appointmentId, const QDateTime& observedAt)
{
    QJsonObject payload = sim::test::appointmentPayload(QString::number(appointmentId));
    payload.insert(QStringLiteral("date"), QStringLiteral("10/03/2026"));
    return itemOf(payload, observedAt);
}

Status enqueueAll(storage::Database& db, sync::Outbox& outbox, const QList<sync::OutboxItem>& items)
{
    return db.transaction([&]() -> Status {
        for (const sync::OutboxItem& item : items) {
            if (auto queued = outbox.enqueue(item); !queued)
                return queued;
        }
        return ok();
    });
}

} // namespace odis::test
