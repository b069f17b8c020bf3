#pragma once

// Request builders and an agent session for the backend double's tests: valid bodies exactly as
// docs/backend-api.md describes them, so a test changes only what it is about.

#include "tests/sim/backend/backend_server.h"
#include "tests/sim/common/test_pki.h"
#include "tests/sim/sim_test_client.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

namespace odis::sim::test {

QString newUuid();

// A backend double over `stateDirectory`, listening over HTTPS with `pki`, issuing `enrollmentCode`.
Result<std::unique_ptr<backend::BackendServer>>
startBackend(const QString& stateDirectory, const TestPki& pki, const QString& enrollmentCode);

QJsonObject appointmentPayload(const QString& appointmentId,
                               const QString& status = QStringLiteral("completed"));
QJsonObject consultationPayload(const QString& consultationId, const QString& appointmentId);
QJsonObject dischargeCallPayload(const QString& appointmentId,
                                 const QString& decision = QStringLiteral("planned"));
// {kind, key, version, observed_at, payload}: the key from the payload's id, the version from its canonical
// JSON.
QJsonObject item(const QString& kind, const QJsonObject& payload, const QString& observedAt);
QJsonObject batchBody(const QString& clinicId, const QJsonArray& items, const QString& batchId = newUuid());
QJsonObject runReport(const QString& runId, const QString& status);
QJsonObject heartbeatBody();
// Entries seq from..to of a chain whose hashes are derived from the seq (the double does not recompute them).
QJsonArray auditEntries(int from, int to);
QString auditHash(int seq);
QJsonObject posthogBody(const QString& distinctId, int events);

// An agent as the contract sees it: the headers every request carries, a token after enrollment.
class AgentSession
{
public:
    AgentSession(SimTestClient& client, QUrl base);

    HttpResult enroll(const QString& code, const QString& idempotencyKey = newUuid());
    // A state-changing request with a JSON body and an Idempotency-Key (a new one unless given).
    HttpResult change(const QByteArray& method, const QString& path, const QJsonObject& body,
                      const QString& idempotencyKey = newUuid());
    HttpResult get(const QString& path, const QList<QPair<QByteArray, QByteArray>>& extra = {});
    QList<QPair<QByteArray, QByteArray>> headers(bool withToken = true) const;

    [[nodiscard]] QUrl url(const QString& path) const { return m_base.resolved(QUrl(path)); }
    [[nodiscard]] QJsonObject admin(const QString& path) const;

    QString agentId;
    QString token;
    QString clinicId;

private:
    SimTestClient& m_client;
    QUrl m_base;
};

// The set-up every backend-double test case shares (it was written out in each): a test PKI and a client
// that trusts it, made once (prepare(), from initTestCase); then, for each test function, a double on a fresh
// state directory and an agent enrolled with `enrollmentCode` (start(), from init; stop(), from cleanup).
class BackendTestBed
{
public:
    explicit BackendTestBed(QString enrollmentCode)
        : code(std::move(enrollmentCode))
    {}

    [[nodiscard]] Status prepare();
    [[nodiscard]] Status start();
    void stop();

    // The double's admin API (/__admin/...).
    [[nodiscard]] QUrl adminUrl(const QString& path) const;

    const QString code;
    std::optional<TestPki> pki;
    std::unique_ptr<SimTestClient> client;
    std::unique_ptr<backend::BackendServer> server;
    std::unique_ptr<AgentSession> agent; // enrolled

private:
    QTemporaryDir m_pkiDir;
    std::unique_ptr<QTemporaryDir> m_state;
};

} // namespace odis::sim::test
