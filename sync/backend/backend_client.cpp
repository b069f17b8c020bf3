#include "sync/backend/backend_client.h"

#include "storage/clock.h"
#include "storage/codes/backend_codes.h"
#include "sync/backend/gzip_body.h"

#include <QFile>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSslError>
#include <QStringList>
#include <QSysInfo>
#include <QTimer>
#include <QVariant>

namespace odis::sync {

namespace {

Q_LOGGING_CATEGORY(lcBackend, "odis.sync.backend")

constexpr const char* kAbortProperty = "odis_abort_reason";
constexpr const char* kSslErrorsProperty = "odis_ssl_errors";

std::unexpected<Error> configInvalid(const QString& message)
{
    return fail(codes::kBackendConfigInvalid, message);
}

// Header values must be visible ASCII: an OS name with other characters loses them rather than the
// whole header.
QString printableAscii(const QString& text)
{
    QString out;
    for (const QChar c : text) {
        if (c.unicode() >= 0x20 && c.unicode() < 0x7f)
            out.append(c);
    }
    return out.simplified();
}

} // namespace

Result<std::unique_ptr<BackendClient>> BackendClient::create(BackendConfig config, const Clock& clock,
                                                             QObject* parent)
{
    const QUrl& base = config.baseUrl;
    if (!base.isValid() || base.scheme() != QStringLiteral("https") || base.host().isEmpty())
        return configInvalid(QStringLiteral("the backend URL must be an https:// URL"));
    if (!base.query().isEmpty() || !base.fragment().isEmpty() || !base.userInfo().isEmpty())
        return configInvalid(QStringLiteral("the backend URL must not carry a query, fragment or user"));
    if (config.transferTimeout.count() <= 0 || config.totalTimeout.count() <= 0)
        return configInvalid(QStringLiteral("the backend time-outs must be positive"));
    if (config.agentVersion.isEmpty())
        return configInvalid(QStringLiteral("the agent version is empty"));

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration(); // the system store
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!config.caFile.isEmpty()) {
        if (!QFile::exists(config.caFile))
            return configInvalid(QStringLiteral("the CA file %1 does not exist").arg(config.caFile));
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(config.caFile, QSsl::Pem);
        if (cas.isEmpty())
            return configInvalid(
                QStringLiteral("the CA file %1 holds no PEM certificate").arg(config.caFile));
        for (const QSslCertificate& ca : cas) {
            if (ca.isNull())
                return configInvalid(
                    QStringLiteral("the CA file %1 holds an unreadable certificate").arg(config.caFile));
        }
        tls.addCaCertificates(cas);
    }
    auto pins = SpkiPins::fromBase64(config.spkiPins);
    if (!pins)
        return propagate(pins);
    if (config.osName.trimmed().isEmpty())
        config.osName = QSysInfo::prettyProductName();
    return std::unique_ptr<BackendClient>(
        new BackendClient(std::move(config), tls, std::move(*pins), clock, parent));
}

BackendClient::BackendClient(BackendConfig config, const QSslConfiguration& tls, SpkiPins pins,
                             const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_tls(tls)
    , m_pins(std::move(pins))
    , m_clock(clock)
    , m_manager(new QNetworkAccessManager(this))
{
    // Clinics often sit behind a proxy configured in the OS; Qt only consults it when asked to. A proxy the
    // configuration names is this client's own (it wins over the system's).
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    if (m_config.proxy)
        m_manager->setProxy(*m_config.proxy);
    // A redirect would carry the bearer token to wherever the answer points: none are followed.
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_manager->setAutoDeleteReplies(false);
}

BackendClient::~BackendClient()
{
    const QSet<QNetworkReply*> replies = std::exchange(m_inFlight, {});
    for (QNetworkReply* reply : replies) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        delete reply;
    }
}

void BackendClient::setIdentity(const QString& agentId, const QString& token)
{
    m_agentId = agentId;
    m_token = token;
}

void BackendClient::clearIdentity()
{
    m_agentId.clear();
    m_token.clear();
}

QString BackendClient::userAgent() const
{
    QString os = printableAscii(m_config.osName);
    if (os.isEmpty())
        os = QStringLiteral("unknown");
    return QStringLiteral("odis-agent/%1 (%2)").arg(printableAscii(m_config.agentVersion), os);
}

QNetworkRequest BackendClient::networkRequest(const BackendRequest& request, bool gzipped) const
{
    QUrl url = m_config.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + request.path);

    QNetworkRequest out(url);
    out.setSslConfiguration(m_tls);
    out.setTransferTimeout(static_cast<int>(m_config.transferTimeout.count()));
    out.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // HTTP/1.1 only. Over HTTP/2 the requests multiplexed on one connection are written without their own
    // `encrypted` signal, so the pin check below would see only the first of them: the others would carry
    // the token to an unpinned server. Over HTTP/1.1 each connection's first request gets the signal
    // before it is written, and later requests reuse only a connection that passed.
    out.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    out.setAttribute(QNetworkRequest::Http2DirectAttribute, false);
    out.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    out.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    out.setRawHeader(QByteArrayLiteral("X-Agent-Version"), m_config.agentVersion.toUtf8());
    if (request.authenticated) {
        out.setRawHeader(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + m_token.toUtf8());
        out.setRawHeader(QByteArrayLiteral("X-Agent-Id"), m_agentId.toUtf8());
    }
    if (!request.body.isEmpty())
        out.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (gzipped)
        out.setRawHeader(QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip"));
    if (!request.idempotencyKey.isEmpty())
        out.setRawHeader(QByteArrayLiteral("Idempotency-Key"), request.idempotencyKey.toLatin1());
    for (const auto& [name, value] : request.headers)
        out.setRawHeader(name, value);
    return out;
}

void BackendClient::send(const BackendRequest& request, Callback done)
{
    if (request.authenticated && !hasIdentity()) {
        failLater(
            {backend_error::kNotEnrolled, QStringLiteral("the agent is not enrolled: no agent id or token")},
            std::move(done));
        return;
    }
    auto wire = wireBody(request.body);
    if (!wire) {
        failLater(wire.error(), std::move(done));
        return;
    }
    const QNetworkRequest networkRequest = this->networkRequest(request, wire->gzipped);
    QNetworkReply* reply = nullptr;
    if (request.method == "GET" && request.body.isEmpty())
        reply = m_manager->get(networkRequest);
    else
        reply = m_manager->sendCustomRequest(networkRequest, request.method, wire->bytes);
    qCDebug(lcBackend).noquote() << "request" << request.method << request.path << "bytes"
                                 << wire->bytes.size() << (wire->gzipped ? "gzip" : "plain");
    watch(reply, std::move(done));
}

void BackendClient::watch(QNetworkReply* reply, Callback done)
{
    m_inFlight.insert(reply);
    // The handshake is done and nothing (no token, no body) has been sent yet: the last moment to refuse
    // a server whose key is not pinned.
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] {
        if (m_pins.accepts(reply->sslConfiguration().peerCertificateChain()))
            return;
        qCWarning(lcBackend).noquote() << "TLS pin mismatch: aborting the request before anything is sent";
        refuseUnpinnedServer(reply);
    });
    // Reported, never ignored: the request fails with SslHandshakeFailedError.
    connect(reply, &QNetworkReply::sslErrors, this, [reply](const QList<QSslError>& errors) {
        QStringList texts;
        for (const QSslError& e : errors)
            texts.append(e.errorString());
        reply->setProperty(kSslErrorsProperty, texts.join(QStringLiteral("; ")));
        qCWarning(lcBackend).noquote() << "TLS verification failed:" << texts.join(QStringLiteral("; "));
    });
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply] {
        reply->setProperty(kAbortProperty, int(AbortReason::Deadline));
        reply->abort();
    });
    deadline->start(static_cast<int>(m_config.totalTimeout.count()));
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, done = std::move(done)] { finish(reply, done); });
}

void BackendClient::finish(QNetworkReply* reply, const Callback& done)
{
    m_inFlight.remove(reply);
    reply->deleteLater();

    auto reason = static_cast<AbortReason>(reply->property(kAbortProperty).toInt());
    BackendReply out;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    out.status = status.isValid() ? status.toInt() : 0;
    // A connection reused from an earlier, pinned handshake emits no `encrypted`: check the reply's chain
    // as well, so no answer from an unpinned server is ever used.
    if (reason == AbortReason::None && out.status != 0 &&
        !m_pins.accepts(reply->sslConfiguration().peerCertificateChain())) {
        reason = AbortReason::PinMismatch;
        refuseUnpinnedServer(nullptr);
    }

    // An answer cut short (connection closed mid-body, a protocol failure) is a network failure even
    // when its status line arrived: the body is not the backend's whole answer.
    const QNetworkReply::NetworkError error = reply->error();
    const bool transportFailed =
        (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied) ||
        error == QNetworkReply::ProtocolFailure;
    if (reason != AbortReason::None || out.status == 0 || transportFailed) {
        QString detail = reply->property(kSslErrorsProperty).toString();
        if (detail.isEmpty())
            detail = reply->errorString();
        out.status = 0;
        std::tie(out.outcome, out.error) = classifyNetworkFailure(error, reason, detail);
    } else {
        out.body = reply->readAll();
        out.etag = reply->rawHeader(QByteArrayLiteral("ETag"));
        out.replayed = reply->rawHeader(QByteArrayLiteral("Idempotent-Replayed")) == "true";
        classifyHttpAnswer(out, reply->rawHeader(QByteArrayLiteral("Retry-After")), m_clock.nowUtc());
    }
    qCDebug(lcBackend).noquote() << "reply" << reply->url().path() << "status" << out.status << "outcome"
                                 << backendOutcomeName(out.outcome) << out.error.code;
    // Queued: `finished` may come from inside QNetworkAccessManager (an abort in `encrypted`), and the
    // callback may well destroy this client and its manager.
    QMetaObject::invokeMethod(
        this, [done, out = std::move(out)]() mutable { done(std::move(out)); }, Qt::QueuedConnection);
}

void BackendClient::refuseUnpinnedServer(QNetworkReply* offender)
{
    ++m_pinMismatches;
    // A server that shows an unpinned key on one connection is not trusted on any: every request in
    // flight stops, and no kept-alive connection is reused. The cache is cleared from the event loop:
    // this may run inside the network thread's blocking `encrypted` call, and clearing joins that thread.
    QMetaObject::invokeMethod(
        this, [this] { m_manager->clearConnectionCache(); }, Qt::QueuedConnection);
    if (offender) {
        offender->setProperty(kAbortProperty, int(AbortReason::PinMismatch));
        offender->abort();
    }
    const QSet<QNetworkReply*> inFlight = m_inFlight; // abort() finishes (and removes) each at once
    for (QNetworkReply* reply : inFlight) {
        if (!m_inFlight.contains(reply) || reply == offender)
            continue;
        reply->setProperty(kAbortProperty, int(AbortReason::PinMismatch));
        reply->abort();
    }
}

void BackendClient::failLater(Error error, Callback done)
{
    QTimer::singleShot(0, this, [error = std::move(error), done = std::move(done)] {
        BackendReply out;
        out.outcome = BackendOutcome::Unexpected;
        out.error = error;
        done(std::move(out));
    });
}

} // namespace odis::sync
