// SPKI pins with several requests in flight: a pin mismatch sends nothing with the token, over HTTP/1.1
// and when the server offers HTTP/2 (nghttpd from Debian's nghttp2-server, with a certificate of the test
// PKI). On a mismatch every request in flight is aborted and no kept-alive connection is reused: shown
// with a TLS server that presents the pinned key on some connections and another (still CA-verified) key
// on others, as an interception proxy would. Everything on loopback.

#include "sync/backend/backend_client.h"
#include "sync/backend/spki_pins.h"
#include "tests/sim/common/test_pki.h"
#include "tests/support/manual_clock.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <optional>

using odis::sync::BackendClient;
using odis::sync::BackendConfig;
using odis::sync::BackendReply;
using odis::sync::BackendRequest;
namespace backend_error = odis::sync::backend_error;

namespace {

constexpr int kWaitMs = 30000;
const QByteArray kToken = "pin-test-token-6c1f9e";

QString pinOf(const QSslCertificate& certificate)
{
    return QString::fromLatin1(odis::sync::SpkiPins::spkiSha256(certificate).toBase64());
}

BackendRequest clinicRequest()
{
    BackendRequest r;
    r.path = QStringLiteral("/v1/clinic");
    return r;
}

// Replies collected from several requests sent at once.
struct Batch
{
    QList<std::optional<BackendReply>> replies;
    [[nodiscard]] bool allAnswered() const
    {
        return std::all_of(replies.begin(), replies.end(), [](const auto& r) { return r.has_value(); });
    }
};

std::shared_ptr<Batch> sendAll(BackendClient& client, int count)
{
    auto batch = std::make_shared<Batch>();
    batch->replies.resize(count);
    for (int i = 0; i < count; ++i)
        client.send(clinicRequest(),
                    [batch, i](BackendReply reply) { batch->replies[i] = std::move(reply); });
    return batch;
}

// A TLS server on 127.0.0.1 that picks the certificate per connection (by its number, from 1) and speaks
// just enough HTTP/1.1: it records every request head it receives, answers 200 {} at once, or holds the
// request until release() when told to.
class SwitchingTlsServer : public QTcpServer
{
public:
    struct Identity
    {
        QSslCertificate certificate;
        QSslKey key;
    };

    SwitchingTlsServer(Identity pinned, Identity other)
        : m_pinned(std::move(pinned))
        , m_other(std::move(other))
    {}

    std::function<bool(int connection)> presentOther = [](int) { return false; };
    bool holdRequests = false;

    [[nodiscard]] int connections() const { return m_connections; }
    [[nodiscard]] const QList<QByteArray>& heads() const { return m_heads; }
    [[nodiscard]] int held() const { return int(m_held.size()); }

    void release()
    {
        for (const auto& socket : std::exchange(m_held, {}))
            if (socket)
                answer(socket);
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        const int number = ++m_connections;
        auto* socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        const Identity& identity = presentOther(number) ? m_other : m_pinned;
        socket->setLocalCertificate(identity.certificate);
        socket->setPrivateKey(identity.key);
        socket->setProtocol(QSsl::TlsV1_2OrLater);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QSslSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            qsizetype end = 0;
            while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
                m_heads << buffer->left(end);
                buffer->remove(0, end + 4);
                if (holdRequests)
                    m_held << socket;
                else
                    answer(socket);
            }
        });
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        socket->startServerEncryption();
    }

private:
    static void answer(QSslSocket* socket)
    {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                      "Connection: keep-alive\r\n\r\n{}");
    }

    Identity m_pinned;
    Identity m_other;
    int m_connections = 0;
    QList<QByteArray> m_heads;
    QList<QPointer<QSslSocket>> m_held;
};

} // namespace

class TestBackendPins : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<odis::sim::TestPki> m_pinned; // the backend's real key
    std::optional<odis::sim::TestPki> m_other;  // another key under another trusted CA (an interceptor)
    QString m_caFile;                           // trusts both CAs: only the pin tells them apart
    odis::test::ManualClock m_clock;

    std::unique_ptr<BackendClient> client(const QUrl& url, const QStringList& pins)
    {
        BackendConfig config;
        config.baseUrl = url;
        config.caFile = m_caFile;
        config.spkiPins = pins;
        config.transferTimeout = std::chrono::seconds(20);
        config.totalTimeout = std::chrono::seconds(25);
        auto made = BackendClient::create(config, m_clock);
        if (!made)
            qFatal("%s", qPrintable(made.error().toString()));
        (*made)->setIdentity(QStringLiteral("agent-pins"), QString::fromLatin1(kToken));
        return std::move(*made);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        auto pinned = odis::sim::TestPki::loadOrCreate(m_dir.filePath(QStringLiteral("pinned")));
        auto other = odis::sim::TestPki::loadOrCreate(m_dir.filePath(QStringLiteral("other")));
        QVERIFY(pinned && other);
        m_pinned = *pinned;
        m_other = *other;
        QVERIFY(pinOf(m_pinned->serverCertificate()) != pinOf(m_other->serverCertificate()));
        m_caFile = m_dir.filePath(QStringLiteral("both-cas.pem"));
        QFile cas(m_caFile);
        QVERIFY(cas.open(QIODevice::WriteOnly));
        cas.write(m_pinned->caCertificate().toPem() + m_other->caCertificate().toPem());
    }

    // Eight requests at once to a server whose key is not pinned: none of them reaches it with the token.
    void mismatchWithRequestsInFlightOverHttp11()
    {
        SwitchingTlsServer server({m_other->serverCertificate(), m_other->serverKey()},
                                  {m_other->serverCertificate(), m_other->serverKey()});
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl url(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
        auto http = client(url, {pinOf(m_pinned->serverCertificate())});
        auto batch = sendAll(*http, 8);
        QTRY_VERIFY_WITH_TIMEOUT(batch->allAnswered(), kWaitMs);
        for (const auto& reply : batch->replies) {
            QCOMPARE(reply->status, 0);
            QCOMPARE(reply->error.code, backend_error::kTlsPinMismatch);
        }
        QVERIFY(server.connections() >= 1); // the handshakes happened
        QVERIFY2(server.heads().isEmpty(), server.heads().value(0).constData());
        QCOMPARE(http->requestsInFlight(), 0);
    }

    // The pinned key on connection 1 (its request held by the server), another key on connection 2: the
    // request already on connection 1 is aborted too, and the next request does not reuse connection 1.
    void mismatchAbortsEveryRequestAndDropsKeptConnections()
    {
        SwitchingTlsServer server({m_pinned->serverCertificate(), m_pinned->serverKey()},
                                  {m_other->serverCertificate(), m_other->serverKey()});
        server.presentOther = [](int connection) { return connection == 2; };
        server.holdRequests = true;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QUrl url(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
        auto http = client(url, {pinOf(m_pinned->serverCertificate())});

        auto first = sendAll(*http, 1);
        QTRY_COMPARE_WITH_TIMEOUT(server.held(), 1, kWaitMs); // on the pinned connection, waiting
        auto second = sendAll(*http, 1);                      // a second connection: the other key
        QTRY_VERIFY_WITH_TIMEOUT(second->allAnswered(), kWaitMs);
        QCOMPARE(second->replies[0]->error.code, backend_error::kTlsPinMismatch);
        QCOMPARE(server.connections(), 2);
        QCOMPARE(server.heads().size(), 1); // only the first request, on the pinned connection
        // The server now answers the first request; the client has stopped listening to it.
        server.release();
        QTRY_VERIFY_WITH_TIMEOUT(first->allAnswered(), kWaitMs);
        QCOMPARE(first->replies[0]->error.code, backend_error::kTlsPinMismatch);
        QCOMPARE(http->pinMismatches(), 1);

        // A fresh connection with a fresh handshake (the pinned key again) for the next request.
        server.holdRequests = false;
        const auto third = sendAll(*http, 1);
        QTRY_VERIFY_WITH_TIMEOUT(third->allAnswered(), kWaitMs);
        QVERIFY2(third->replies[0]->error.code.isEmpty(), qPrintable(third->replies[0]->error.toString()));
        QCOMPARE(third->replies[0]->status, 200);
        QCOMPARE(server.connections(), 3);
    }

    // A server that speaks HTTP/2 only, with a key that is not pinned, and six requests at once. Over
    // HTTP/2 they would share one connection, of which only the first request is checked; the client
    // speaks HTTP/1.1 only, so none of them is ever written there, token or not.
    void mismatchOverAnHttp2Server()
    {
        QString nghttpd = QStandardPaths::findExecutable(QStringLiteral("nghttpd"));
        if (nghttpd.isEmpty())
            nghttpd =
                QStandardPaths::findExecutable(QStringLiteral("nghttpd"), {QStringLiteral("/usr/sbin")});
        QVERIFY2(!nghttpd.isEmpty(), "nghttpd is missing: install nghttp2-server (scripts/setup-debian.sh)");

        QTcpServer probe; // a free port for nghttpd, which takes no port 0
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString root = m_dir.filePath(QStringLiteral("h2-root"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/v1")));
        QFile body(root + QStringLiteral("/v1/clinic"));
        QVERIFY(body.open(QIODevice::WriteOnly));
        body.write("{}");
        body.close();

        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(nghttpd, {QStringLiteral("--verbose"), QStringLiteral("--address=127.0.0.1"),
                               QStringLiteral("--htdocs=") + root, QString::number(port),
                               m_other->directory() + QStringLiteral("/server.key"),
                               m_other->directory() + QStringLiteral("/server.pem")});
        QVERIFY(server.waitForStarted(kWaitMs));
        const auto stop = qScopeGuard([&] {
            server.terminate();
            if (!server.waitForFinished(5000))
                server.kill();
        });
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QTcpSocket s;
                s.connectToHost(QHostAddress::LocalHost, port);
                return s.waitForConnected(200);
            }(),
            kWaitMs);
        QByteArray log;

        // First the control: with the pinned key nghttpd would be fine, so show that a request with a
        // matching pin does reach it as HTTP/2 when the client allows HTTP/2 (a bare QNAM request), so the
        // server is a real HTTP/2 server that logs the headers it receives.
        {
            QNetworkAccessManager manager;
            QNetworkRequest request(QUrl(QStringLiteral("https://127.0.0.1:%1/v1/clinic").arg(port)));
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setCaCertificates({m_other->caCertificate()});
            request.setSslConfiguration(tls);
            request.setRawHeader("Authorization", "Bearer control-token");
            std::unique_ptr<QNetworkReply> reply(manager.get(request));
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QVERIFY(reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool());
            const auto logged = [&] {
                log += server.readAll();
                return log.contains("control-token");
            };
            QTRY_VERIFY_WITH_TIMEOUT(logged(), kWaitMs);
        }

        // Requests in flight together, then more once those were refused: over HTTP/2 the connection whose
        // first request was refused stayed open, and the later ones went out on it, token and all, without
        // a new handshake to check.
        auto http = client(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(port)),
                           {pinOf(m_pinned->serverCertificate())});
        auto batch = sendAll(*http, 3);
        QTRY_VERIFY_WITH_TIMEOUT(batch->allAnswered(), kWaitMs);
        auto later = sendAll(*http, 3);
        QTRY_VERIFY_WITH_TIMEOUT(later->allAnswered(), kWaitMs);
        QTest::qWait(500); // whatever nghttpd still had to print
        log += server.readAll();
        QVERIFY2(!log.contains(kToken), log.right(3000).constData());
        QVERIFY2(!log.contains("agent-pins"), log.right(3000).constData());
        for (const auto& reply : batch->replies + later->replies)
            QCOMPARE(reply->error.code, backend_error::kTlsPinMismatch);

        // And with the pin matching, the client still does not speak HTTP/2: an HTTP/2-only server gives
        // it no answer.
        auto matching = client(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(port)),
                               {pinOf(m_other->serverCertificate())});
        auto refused = sendAll(*matching, 2);
        QTRY_VERIFY_WITH_TIMEOUT(refused->allAnswered(), kWaitMs);
        for (const auto& reply : refused->replies)
            QCOMPARE(reply->status, 0);
    }
};

QTEST_GUILESS_MAIN(TestBackendPins)
#include "tst_backend_pins.moc"
