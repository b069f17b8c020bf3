#include "sync/backend/enrollment.h"

#include "storage/clock.h"
#include "storage/codes/backend_codes.h"
#include "storage/credential_store.h"
#include "storage/database.h"
#include "storage/redactor.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/utc_text.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTimer>
#include <QUuid>
#include <QVariant>

namespace odis::sync {

namespace {

Q_LOGGING_CATEGORY(lcEnroll, "odis.sync.enrollment")

[[nodiscard]] Status putKv(storage::Database& db, const QString& key, const QString& value,
                           const QString& now)
{
    auto written =
        db.execute(QStringLiteral("INSERT OR REPLACE INTO kv (key, value, updated_at) VALUES (?, ?, ?)"),
                   {key, value, now});
    if (!written)
        return propagate(written);
    return ok();
}

} // namespace

Enrollment::Enrollment(BackendClient& client, storage::Database& db, storage::CredentialStore& credentials,
                       storage::Redactor& redactor, const Clock& clock)
    : m_client(client)
    , m_db(db)
    , m_credentials(credentials)
    , m_redactor(redactor)
    , m_clock(clock)
{}

Enrollment::~Enrollment() = default;

Status checkEnrollmentCode(const QString& code)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9-]{2,62})[A-Za-z0-9]$"));
    if (!shape.match(code).hasMatch())
        return fail(
            codes::kEnrollmentCodeMalformed,
            QStringLiteral("an enrollment code is 4 to 64 letters, digits and hyphens, as Odis prints "
                           "it (for example K7QM-2XRP)"));
    return ok();
}

void Enrollment::enroll(const EnrollmentRequest& request, Done done)
{
    const QString code = request.code.trimmed();
    QString& key = m_idempotencyKeys[code];
    if (key.isEmpty())
        key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // The code is a one-time secret: keep it out of every log.
    m_redactor.addSensitiveValue(code);
    const QJsonObject body{
        {QStringLiteral("enrollment_code"), code},
        {QStringLiteral("hostname"),
         request.hostname.isEmpty() ? QSysInfo::machineHostName() : request.hostname},
        {QStringLiteral("os"), request.os.isEmpty() ? m_client.config().osName : request.os},
        {QStringLiteral("agent_version"), m_client.config().agentVersion},
    };
    BackendRequest http;
    http.method = QByteArrayLiteral("POST");
    http.path = QStringLiteral("/v1/agents/enroll");
    http.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    http.idempotencyKey = key;
    http.authenticated = false;
    std::weak_ptr<int> alive = m_alive;
    m_client.send(http, [this, alive, code, expected = request.expectedClinicId,
                         done = std::move(done)](const BackendReply& reply) mutable {
        if (alive.expired())
            return;
        if (reply.status == 404) {
            done(fail(codes::kEnrollmentCodeInvalid,
                      QStringLiteral("the enrollment code is unknown or was already used")));
            return;
        }
        if (!reply.ok() || reply.status != 201) {
            done(std::unexpected(reply.ok()
                                     ? Error{codes::kEnrollmentBadResponse,
                                             QStringLiteral("enrollment answered HTTP %1").arg(reply.status)}
                                     : reply.error));
            return;
        }
        const QJsonObject answer = reply.object();
        const QString agentId = answer.value(QStringLiteral("agent_id")).toString();
        const QString token = answer.value(QStringLiteral("agent_token")).toString();
        const QString clinicId = answer.value(QStringLiteral("clinic_id")).toString();
        if (!token.isEmpty())
            m_redactor.addSensitiveValue(token);
        if (agentId.isEmpty() || token.isEmpty() || clinicId.isEmpty()) {
            done(fail(codes::kEnrollmentBadResponse,
                      QStringLiteral("the enrollment answer lacks the agent id, token or clinic id")));
            return;
        }
        if (!expected.isEmpty() && clinicId != expected) {
            done(fail(codes::kEnrollmentClinicMismatch,
                      QStringLiteral("the code enrolls clinic %1, but this install holds clinic %2's data: "
                                     "nothing was changed; ask Odis for a code of clinic %2")
                          .arg(clinicId, expected)));
            return;
        }
        store(code, agentId, clinicId, token, std::move(done));
    });
}

void Enrollment::store(const QString& code, const QString& agentId, const QString& clinicId,
                       const QString& token, Done done)
{
    std::weak_ptr<int> alive = m_alive;
    // Keychain first: ids in kv without a token would claim an enrollment that cannot authenticate.
    m_credentials.write(
        storage::secret::kAgentToken, token.toUtf8(),
        [this, alive, code, agentId, clinicId, token, done = std::move(done)](Status written) {
            if (alive.expired())
                return;
            if (!written) {
                done(propagate(written));
                return;
            }
            const QDateTime now = m_clock.nowUtc();
            const QString nowText = utcText(now);
            const Status kept = m_db.transaction([&]() -> Status {
                if (auto s = putKv(m_db, enrollment_kv::kAgentId, agentId, nowText); !s)
                    return s;
                if (auto s = putKv(m_db, enrollment_kv::kClinicId, clinicId, nowText); !s)
                    return s;
                return putKv(m_db, enrollment_kv::kEnrolledAt, nowText, nowText);
            });
            if (!kept) {
                done(propagate(kept));
                return;
            }
            m_idempotencyKeys.remove(code);
            m_client.setIdentity(agentId, token);
            qCInfo(lcEnroll).noquote() << "enrolled as agent" << agentId << "of clinic" << clinicId;
            done(AgentIdentity{agentId, clinicId, now});
        });
}

Result<std::optional<AgentIdentity>> Enrollment::storedIdentity()
{
    auto rows = m_db.query(QStringLiteral("SELECT key, value FROM kv WHERE key IN (?, ?, ?)"),
                           {enrollment_kv::kAgentId, enrollment_kv::kClinicId, enrollment_kv::kEnrolledAt});
    if (!rows)
        return propagate(rows);
    AgentIdentity identity;
    for (const QVariantList& row : std::as_const(*rows)) {
        const QString key = row.at(0).toString();
        if (key == enrollment_kv::kAgentId)
            identity.agentId = row.at(1).toString();
        else if (key == enrollment_kv::kClinicId)
            identity.clinicId = row.at(1).toString();
        else
            identity.enrolledAt = fromUtcText(row.at(1).toString());
    }
    if (identity.agentId.isEmpty() || identity.clinicId.isEmpty())
        return std::optional<AgentIdentity>();
    return std::optional<AgentIdentity>(identity);
}

void Enrollment::load(Done done)
{
    std::weak_ptr<int> alive = m_alive;
    // Like the keychain's answers, a failure found before asking it is reported later, never from inside
    // load().
    const auto later = [this, alive](Done callback, Error error) {
        QTimer::singleShot(0, &m_client, [alive, callback = std::move(callback), error = std::move(error)] {
            if (!alive.expired())
                callback(std::unexpected(error));
        });
    };
    auto stored = storedIdentity();
    if (!stored) {
        later(std::move(done), stored.error());
        return;
    }
    if (!*stored) {
        later(std::move(done),
              Error{codes::kAgentNotEnrolled, QStringLiteral("this install is not enrolled")});
        return;
    }
    m_credentials.read(
        storage::secret::kAgentToken,
        [this, alive, identity = **stored, done = std::move(done)](Result<std::optional<QByteArray>> token) {
            if (alive.expired())
                return;
            if (!token) {
                done(propagate(token));
                return;
            }
            if (!*token || (*token)->isEmpty()) {
                done(fail(codes::kAgentTokenMissing,
                          QStringLiteral("the agent token is missing from the keychain: enroll again")));
                return;
            }
            const QString value = QString::fromUtf8(**token);
            m_redactor.addSensitiveValue(value);
            m_client.setIdentity(identity.agentId, value);
            done(identity);
        });
}

} // namespace odis::sync
