// The backend client and enrollment against the real backend double over HTTPS: headers, verified TLS
// (configured CA, wrong CA, SPKI pins), gzip, typed errors for every fault, enrollment into the keychain.
// Needs the private session's keychain (scripts/in-private-session.sh).

#include "sync/backend/spki_pins.h"
#include "tests/integration/backend_fixture.h"
#include "tests/sim/backend_test_kit.h"
#include "tests/sim/common/bad_certificates.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

#include <openssl/x509.h>

using odis::sync::BackendOutcome;
using odis::sync::BackendReply;
using odis::sync::BackendRequest;
using odis::test::awaitCallback;
namespace backend_error = odis::sync::backend_error;

namespace {

BackendReply call(odis::sync::BackendClient& client, BackendRequest request)
{
    auto reply = awaitCallback<BackendReply>([&](auto done) { client.send(request, done); });
    if (!reply)
        qFatal("the backend client never answered");
    return *reply;
}

BackendRequest clinicRequest()
{
    BackendRequest r;
    r.path = QStringLiteral("/v1/clinic");
    return r;
}

// SPKI SHA-256 computed with OpenSSL directly, independently of the client's own computation.
QString opensslPin(const QSslCertificate& certificate)
{
    const QByteArray der = certificate.toDer();
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    X509* x509 = d2i_X509(nullptr, &p, der.size());
    if (!x509)
        qFatal("d2i_X509 failed");
    unsigned char* spki = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), &spki);
    const QByteArray hash = QCryptographicHash::hash(
        QByteArrayView(reinterpret_cast<const char*>(spki), length), QCryptographicHash::Sha256);
    OPENSSL_free(spki);
    X509_free(x509);
    return QString::fromLatin1(hash.toBase64());
}

QString randomPin()
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QUuid::createUuid().toByteArray(), QCryptographicHash::Sha256).toBase64());
}

} // namespace

class TestBackendClient : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<odis::test::BackendFixture> f;

    // A second client over the double, with the enrolled identity loaded from kv and the keychain.
    std::unique_ptr<odis::sync::BackendClient>
    enrolledClient(const std::function<void(odis::sync::BackendConfig&)>& tweak = {})
    {
        auto client = f->makeClient(tweak);
        if (!client)
            qFatal("%s", qPrintable(client.error().toString()));
        odis::sync::Enrollment loader(**client, *f->db, *f->keychain, f->redactor, f->clock);
        auto loaded =
            awaitCallback<odis::Result<odis::sync::AgentIdentity>>([&](auto done) { loader.load(done); });
        if (!loaded || !*loaded)
            qFatal("could not load the enrolled identity");
        return std::move(*client);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        f = std::make_unique<odis::test::BackendFixture>();
        const auto started = f->start();
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
    }
    void cleanup() { f.reset(); }

    void configurationIsChecked()
    {
        const auto refused = [this](const std::function<void(odis::sync::BackendConfig&)>& tweak) {
            auto made = f->makeClient(tweak);
            return !made && made.error().code == QStringLiteral("backend_config_invalid");
        };
        QVERIFY(refused([](auto& c) { c.baseUrl.setScheme(QStringLiteral("http")); }));
        QVERIFY(refused([](auto& c) { c.baseUrl = QUrl(); }));
        QVERIFY(refused([this](auto& c) { c.caFile = f->dir.filePath(QStringLiteral("missing.pem")); }));
        QVERIFY(refused([](auto& c) { c.spkiPins = {QStringLiteral("not base64 !")}; }));
        QVERIFY(refused([](auto& c) { c.spkiPins = {QString::fromLatin1(QByteArray(16, 'x').toBase64())}; }));
        QVERIFY(refused([](auto& c) { c.transferTimeout = std::chrono::milliseconds(0); }));
        QVERIFY(f->makeClient().has_value());
    }

    void userAgentNamesVersionAndOs()
    {
        QCOMPARE(f->client->userAgent(),
                 QStringLiteral("odis-agent/" ODIS_VERSION " (Debian GNU/Linux 12 (bookworm))"));
    }

    void unenrolledRequestsNeverLeave()
    {
        const BackendReply reply = call(*f->client, clinicRequest());
        QCOMPARE(reply.error.code, backend_error::kNotEnrolled);
        QCOMPARE(reply.status, 0);
        QCOMPARE(f->routeCount(QStringLiteral("clinic")), 0);
    }

    void enrollStoresTokenInKeychainAndIdsInKv()
    {
        const auto identity = f->enroll();
        QVERIFY2(identity, qPrintable(identity ? QString() : identity.error().toString()));
        QVERIFY(!identity->agentId.isEmpty());
        QCOMPARE(identity->clinicId, f->server->clinicId());
        QVERIFY(f->client->hasIdentity());

        // The token: in the keychain, registered with the redactor, nowhere on disk in the clear.
        auto token = awaitCallback<odis::Result<std::optional<QByteArray>>>(
            [this](auto done) { f->keychain->read(odis::storage::secret::kAgentToken, done); });
        QVERIFY(token && *token && **token && !(**token)->isEmpty());
        const QByteArray tokenBytes = ***token;
        QVERIFY(!f->redactor.redact(QStringLiteral("Bearer ") + QString::fromUtf8(tokenBytes))
                     .contains(QString::fromUtf8(tokenBytes)));
        QDirIterator files(f->dir.path(), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            if (path.contains(QStringLiteral("/backend/")))
                continue; // the double's own store (it keeps a hash of the token, and enrollment answers)
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(tokenBytes), qPrintable(path));
        }

        // Ids in kv; a second object reads them back, and the token from the keychain.
        auto stored = f->enrollment->storedIdentity();
        QVERIFY(stored && *stored);
        QCOMPARE((*stored)->agentId, identity->agentId);
        auto other = f->makeClient();
        QVERIFY(other);
        odis::sync::Enrollment again(**other, *f->db, *f->keychain, f->redactor, f->clock);
        auto loaded =
            awaitCallback<odis::Result<odis::sync::AgentIdentity>>([&](auto done) { again.load(done); });
        QVERIFY(loaded && *loaded);
        QCOMPARE((*loaded)->agentId, identity->agentId);
        QCOMPARE((*other)->agentId(), identity->agentId);
        QCOMPARE(call(**other, clinicRequest()).status, 200); // every header the double's gate checks

        // The code was used: enrolling again with it is a clear error.
        auto reused = awaitCallback<odis::Result<odis::sync::AgentIdentity>>([&](auto done) {
            again.enroll(odis::sync::EnrollmentRequest{f->enrollmentCode, {}, {}}, done);
        });
        QVERIFY(reused && !*reused);
        QCOMPARE(reused->error().code, QStringLiteral("enrollment_code_invalid"));
    }

    void enrollmentRetriedAfterALostAnswerGetsTheSameAgent()
    {
        // The double enrolls, then resets the connection: the agent never sees the answer.
        f->setFault(QStringLiteral("enroll"),
                    QJsonObject{{QStringLiteral("reset"), true}, {QStringLiteral("after_handler"), true}});
        const auto lost = f->enroll();
        QVERIFY(!lost);
        QCOMPARE(lost.error().code, backend_error::kConnectionReset);
        f->clearFaults();
        const auto identity = f->enroll(); // same object, same code: same Idempotency-Key
        QVERIFY2(identity, qPrintable(identity ? QString() : identity.error().toString()));
        const QJsonArray agents =
            f->adminGet(QStringLiteral("/agents")).value(QStringLiteral("agents")).toArray();
        QCOMPARE(agents.size(), 1);
        QCOMPARE(agents.first().toObject().value(QStringLiteral("agent_id")).toString(), identity->agentId);
    }

    void loadWithoutEnrollmentSaysSo()
    {
        auto loaded = awaitCallback<odis::Result<odis::sync::AgentIdentity>>(
            [this](auto done) { f->enrollment->load(done); });
        QVERIFY(loaded && !*loaded);
        QCOMPARE(loaded->error().code, QStringLiteral("agent_not_enrolled"));
    }

    void wrongCaIsRefused()
    {
        QVERIFY(f->enroll());
        auto otherPki = odis::sim::TestPki::loadOrCreate(f->dir.filePath(QStringLiteral("other-pki")));
        QVERIFY(otherPki);
        for (const QString& caFile :
             {otherPki->caCertificatePath(), QString()}) { // another CA; the system store only
            auto client = enrolledClient([&](auto& c) { c.caFile = caFile; });
            const BackendReply reply = call(*client, clinicRequest());
            QCOMPARE(reply.status, 0);
            QCOMPARE(reply.outcome, BackendOutcome::Transient); // retried later, never bypassed
            QCOMPARE(reply.error.code, backend_error::kTlsFailed);
        }
        QCOMPARE(f->routeCount(QStringLiteral("clinic")), 0); // no request got through
    }

    // A backend whose certificate is of the trusted CA but for another host, expired, or self-signed: refused
    // before any request (and so before the token) crosses.
    void badCertificateIsRefused_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("wrong host") << int(odis::sim::BadCertificate::WrongHost);
        QTest::newRow("expired") << int(odis::sim::BadCertificate::Expired);
        QTest::newRow("self-signed") << int(odis::sim::BadCertificate::SelfSigned);
    }

    void badCertificateIsRefused()
    {
        QFETCH(int, kind);
        QVERIFY(f->enroll());
        const auto tls = odis::sim::badServerConfiguration(*f->pki, odis::sim::BadCertificate(kind));
        QVERIFY2(tls, qPrintable(tls ? QString() : tls.error().toString()));
        odis::sim::backend::BackendConfig config;
        config.stateDirectory = f->dir.filePath(QStringLiteral("bad-certificate-backend"));
        auto server = odis::sim::backend::BackendServer::create(config);
        QVERIFY2(server, qPrintable(server ? QString() : server.error().toString()));
        (*server)->useTls(*f->pki);
        (*server)->sslSetup(*tls);
        const auto url = (*server)->start();
        QVERIFY2(url, qPrintable(url ? QString() : url.error().toString()));
        auto client = enrolledClient([&](auto& c) { c.baseUrl = *url; });
        const BackendReply reply = call(*client, clinicRequest());
        QCOMPARE(reply.status, 0);
        QCOMPARE(reply.outcome, BackendOutcome::Transient); // retried later, never bypassed
        QCOMPARE(reply.error.code, backend_error::kTlsFailed);
        QCOMPARE((*server)->requestLog().total(), 0);
    }

    void spkiPinsMatchLeafOrCa()
    {
        QVERIFY(f->enroll());
        const QString leafPin = opensslPin(f->pki->serverCertificate());
        QCOMPARE(
            QString::fromLatin1(odis::sync::SpkiPins::spkiSha256(f->pki->serverCertificate()).toBase64()),
            leafPin);
        const QList<QStringList> accepted{{randomPin(), leafPin}, {opensslPin(f->pki->caCertificate())}};
        for (const QStringList& pins : accepted) {
            auto client = enrolledClient([&](auto& c) { c.spkiPins = pins; });
            const BackendReply reply = call(*client, clinicRequest());
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.outcome, BackendOutcome::Ok);
        }
    }

    void spkiPinMismatchAbortsBeforeAnythingIsSent()
    {
        QVERIFY(f->enroll());
        auto pinned = enrolledClient([](auto& c) { c.spkiPins = {randomPin(), randomPin()}; });
        const BackendReply reply = call(*pinned, clinicRequest());
        QCOMPARE(reply.status, 0);
        QCOMPARE(reply.error.code, backend_error::kTlsPinMismatch);
        QCOMPARE(f->routeCount(QStringLiteral("clinic")), 0);
    }

    void gzipAbove8KiB()
    {
        const auto identity = f->enroll();
        QVERIFY(identity);
        for (const int items : {1, 40}) {
            QJsonArray list;
            for (int i = 0; i < items; ++i)
                list.append(
                    odis::sim::test::item(QStringLiteral("appointment"),
                                          odis::sim::test::appointmentPayload(QString::number(1000 + i)),
                                          QStringLiteral("2026-03-10T16:00:00.000Z")));
            const QString batchId = odis::sim::test::newUuid();
            BackendRequest request;
            request.method = "POST";
            request.path = QStringLiteral("/v1/sync/batches");
            request.body = QJsonDocument(odis::sim::test::batchBody(identity->clinicId, list, batchId))
                               .toJson(QJsonDocument::Compact);
            request.idempotencyKey = batchId;
            const BackendReply reply = call(*f->client, request);
            QCOMPARE(reply.status, 200);
            const QJsonObject batch = f->receivedBatches().last().toObject();
            QCOMPARE(batch.value(QStringLiteral("batch_id")).toString(), batchId);
            const bool large = request.body.size() > 8 * 1024;
            QCOMPARE(large, items > 1);
            QCOMPARE(batch.value(QStringLiteral("gzip")).toInteger() == 1, large);
            QCOMPARE(batch.value(QStringLiteral("wire_bytes")).toInteger() < request.body.size(), large);
        }
    }

    void everyFaultIsTyped_data()
    {
        QTest::addColumn<QJsonObject>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("code");
        const auto fault = [](std::initializer_list<QPair<QString, QJsonValue>> members) {
            return QJsonObject(members);
        };
        QTest::newRow("500") << fault({{QStringLiteral("error_rate"), 1.0}}) << 500
                             << int(BackendOutcome::Transient) << backend_error::kServerError;
        QTest::newRow("503") << fault({{QStringLiteral("error_rate"), 1.0},
                                       {QStringLiteral("error_status"), 503}})
                             << 503 << int(BackendOutcome::Transient) << backend_error::kServerError;
        QTest::newRow("reset") << fault({{QStringLiteral("reset"), true}}) << 0
                               << int(BackendOutcome::Transient) << backend_error::kConnectionReset;
        QTest::newRow("slow beyond the time-out")
            << fault({{QStringLiteral("latency_ms"), 5000}}) << 0 << int(BackendOutcome::Transient)
            << backend_error::kTimeout;
        QTest::newRow("hang") << fault({{QStringLiteral("hang"), true}}) << 0
                              << int(BackendOutcome::Transient) << backend_error::kTimeout;
        QTest::newRow("422") << fault({{QStringLiteral("error_rate"), 1.0},
                                       {QStringLiteral("error_status"), 422}})
                             << 422 << int(BackendOutcome::Invalid) << backend_error::kInvalidRequest;
        QTest::newRow("404 removed") << fault({{QStringLiteral("removed"), true}}) << 404
                                     << int(BackendOutcome::Unexpected) << backend_error::kUnexpected;
    }
    void everyFaultIsTyped()
    {
        QFETCH(QJsonObject, fault);
        QFETCH(int, status);
        QFETCH(int, outcome);
        QFETCH(QString, code);
        QVERIFY(f->enroll());
        auto client = enrolledClient([](auto& c) { c.transferTimeout = std::chrono::milliseconds(400); });
        f->setFault(QStringLiteral("clinic"), fault);
        QElapsedTimer timer;
        timer.start();
        const BackendReply reply = call(*client, clinicRequest());
        QCOMPARE(reply.status, status);
        QCOMPARE(int(reply.outcome), outcome);
        QCOMPARE(reply.error.code, code);
        QVERIFY2(timer.elapsed() < 4000, qPrintable(QString::number(timer.elapsed())));
    }

    void rateLimitCarriesRetryAfter()
    {
        QVERIFY(f->enroll());
        f->setFault(QStringLiteral("clinic"), QJsonObject{{QStringLiteral("rate_limit"),
                                                           QJsonObject{{QStringLiteral("requests"), 1},
                                                                       {QStringLiteral("per_seconds"), 60},
                                                                       {QStringLiteral("retry_after"), 7}}}});
        QCOMPARE(call(*f->client, clinicRequest()).status, 200);
        const BackendReply limited = call(*f->client, clinicRequest());
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.outcome, BackendOutcome::RateLimited);
        QVERIFY(limited.retryAfter.has_value());
        QCOMPARE(limited.retryAfter->count(), 7);
    }

    void revokedAndDeprovisionedAgents()
    {
        const auto identity = f->enroll();
        QVERIFY(identity);
        QCOMPARE(f->adminSend("POST", QStringLiteral("/agents/%1/revoke-token").arg(identity->agentId)), 200);
        BackendReply reply = call(*f->client, clinicRequest());
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.outcome, BackendOutcome::AuthRevoked);
        QCOMPARE(reply.error.code, backend_error::kAuthRevoked);
        QCOMPARE(reply.serverError, QStringLiteral("token_revoked"));
        QCOMPARE(f->adminSend("POST", QStringLiteral("/agents/%1/deprovision").arg(identity->agentId)), 200);
        reply = call(*f->client, clinicRequest());
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.outcome, BackendOutcome::Deprovisioned);
        QCOMPARE(reply.error.code, backend_error::kDeprovisioned);
    }

    void reusedKeyWithAnotherBodyIsAConflict()
    {
        const auto identity = f->enroll();
        QVERIFY(identity);
        const QString batchId = odis::sim::test::newUuid();
        BackendRequest request;
        request.method = "POST";
        request.path = QStringLiteral("/v1/sync/batches");
        request.idempotencyKey = batchId;
        request.body = QJsonDocument(odis::sim::test::batchBody(identity->clinicId, {}, batchId))
                           .toJson(QJsonDocument::Compact);
        QCOMPARE(call(*f->client, request).status, 200);
        const BackendReply replayed = call(*f->client, request);
        QCOMPARE(replayed.status, 200);
        QVERIFY(replayed.replayed);
        request.body.replace("\"run-1\"", "\"run-2\"");
        const BackendReply conflict = call(*f->client, request);
        QCOMPARE(conflict.status, 409);
        QCOMPARE(conflict.outcome, BackendOutcome::Conflict);
    }
};

QTEST_GUILESS_MAIN(TestBackendClient)
#include "tst_backend_client.moc"
