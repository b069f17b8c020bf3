#pragma once

// The agent's HTTPS transport to the Odis backend: one QNetworkAccessManager, the contract's headers on
// every request, gzip for large bodies, verified TLS (system store plus an optional CA file, optional
// SPKI pins), the system proxy, time-outs, and typed replies (backend_reply.h). Transport only: what a
// reply means for the outbox, the profile or enrollment is decided by their owners.

#include "storage/result.h"
#include "sync/backend/backend_config.h"
#include "sync/backend/backend_reply.h"
#include "sync/backend/spki_pins.h"

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QSslConfiguration>
#include <QString>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace odis {
class Clock;
}

namespace odis::sync {

struct BackendRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QString path;           // "/v1/clinic", appended to the base URL's path
    QByteArray body;        // JSON, UTF-8; empty: no body
    QString idempotencyKey; // a UUID, the same across retries of one request; empty: none (reads)
    QList<QPair<QByteArray, QByteArray>> headers; // extra ones, e.g. If-None-Match
    bool authenticated = true; // false only for enrollment: no Authorization, no X-Agent-Id
};

class BackendClient : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(BackendReply)>;

    // Checks the configuration: an https base URL, a readable CA file with at least one certificate
    // when one is named, well-formed pins. Error code: backend_config_invalid.
    [[nodiscard]] static Result<std::unique_ptr<BackendClient>>
    create(BackendConfig config, const Clock& clock, QObject* parent = nullptr);
    // Requests still in flight are aborted; their callbacks are not called.
    ~BackendClient() override;
    BackendClient(const BackendClient&) = delete;
    BackendClient& operator=(const BackendClient&) = delete;

    // Who the agent is, from enrollment: sent as X-Agent-Id and Authorization: Bearer.
    void setIdentity(const QString& agentId, const QString& token);
    void clearIdentity();
    [[nodiscard]] bool hasIdentity() const { return !m_agentId.isEmpty() && !m_token.isEmpty(); }
    [[nodiscard]] const QString& agentId() const { return m_agentId; }

    // Sends the request; `done` is called exactly once, later, from the event loop (never from inside
    // send()), unless the client is destroyed first. An authenticated request without an identity
    // fails with agent_not_enrolled without going on the network.
    void send(const BackendRequest& request, Callback done);

    [[nodiscard]] const BackendConfig& config() const { return m_config; }
    [[nodiscard]] QString userAgent() const;
    [[nodiscard]] int requestsInFlight() const { return static_cast<int>(m_inFlight.size()); }
    // How often a server showed a key that is not pinned (each time every request in flight was aborted
    // and the kept-alive connections dropped).
    [[nodiscard]] int pinMismatches() const { return m_pinMismatches; }

private:
    BackendClient(BackendConfig config, const QSslConfiguration& tls, SpkiPins pins, const Clock& clock,
                  QObject* parent);

    [[nodiscard]] QNetworkRequest networkRequest(const BackendRequest& request, bool gzipped) const;
    void watch(QNetworkReply* reply, Callback done);
    void finish(QNetworkReply* reply, const Callback& done);
    void failLater(Error error, Callback done);
    // A pin mismatch: aborts `offender` (may be null) and every other request in flight, and drops the
    // connection cache.
    void refuseUnpinnedServer(QNetworkReply* offender);

    BackendConfig m_config;
    QSslConfiguration m_tls;
    SpkiPins m_pins;
    const Clock& m_clock;
    QNetworkAccessManager* m_manager; // child
    QSet<QNetworkReply*> m_inFlight;
    QString m_agentId;
    QString m_token;
    int m_pinMismatches = 0;
};

} // namespace odis::sync
