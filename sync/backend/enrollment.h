#pragma once

// Enrollment (`POST /v1/agents/enroll`, docs/backend-api.md): an enrollment code from the installer or
// the setup window becomes this install's agent id, clinic id and agent token. The token goes to the OS
// keychain only (never a file, never a log: it is registered with the Redactor the moment it arrives);
// the ids go to kv.

#include "storage/result.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class CredentialStore;
class Database;
class Redactor;
} // namespace odis::storage

namespace odis::sync {

class BackendClient;

struct EnrollmentRequest
{
    QString code;
    QString hostname; // empty: QSysInfo::machineHostName()
    QString os;       // empty: the client's configured OS name
    // Re-enrollment of an install that holds a clinic's data (its token was revoked): the new identity is
    // kept only when the backend gives the same clinic, so that one clinic's waiting data can never go up
    // under another's. Empty: a first enrollment, any clinic.
    QString expectedClinicId;
};

struct AgentIdentity
{
    QString agentId;
    QString clinicId;
    QDateTime enrolledAt;
};

// What an enrollment code looks like before it is sent anywhere: 4 to 64 letters, digits and inner
// hyphens, as Odis prints them ("K7QM-2XRP"). Error enrollment_code_malformed (the message does not
// repeat the code).
[[nodiscard]] Status checkEnrollmentCode(const QString& code);

// kv keys.
namespace enrollment_kv {
inline const QString kAgentId = QStringLiteral("agent.id");
inline const QString kClinicId = QStringLiteral("agent.clinic_id");
inline const QString kEnrolledAt = QStringLiteral("agent.enrolled_at");
} // namespace enrollment_kv

// Error codes: enrollment_code_invalid (404: unknown or already used), enrollment_bad_response,
// enrollment_clinic_mismatch (a re-enrollment code of another clinic: nothing stored),
// agent_not_enrolled, agent_token_missing (kv names an agent but the keychain has no token), the
// backend's (backend_reply.h), the keychain's and the store's.
class Enrollment
{
public:
    using Done = std::function<void(Result<AgentIdentity>)>;

    Enrollment(BackendClient& client, storage::Database& db, storage::CredentialStore& credentials,
               storage::Redactor& redactor, const Clock& clock);
    ~Enrollment();
    Enrollment(const Enrollment&) = delete;
    Enrollment& operator=(const Enrollment&) = delete;

    // Enrolls with the backend, stores the token (keychain) and ids (kv), and gives the client its
    // identity. Retrying the same code through this object reuses its Idempotency-Key, so an answer
    // lost on the way (time-out, reset) is given again instead of "code already used". `done` is called
    // once, later, unless this object is destroyed first.
    void enroll(const EnrollmentRequest& request, Done done);

    // The stored identity: ids from kv, token from the keychain; gives the client its identity. `done` is
    // called once, later, unless this object is destroyed first.
    void load(Done done);

    // The ids in kv alone (no keychain access); nullopt when not enrolled.
    [[nodiscard]] Result<std::optional<AgentIdentity>> storedIdentity();

private:
    void store(const QString& code, const QString& agentId, const QString& clinicId, const QString& token,
               Done done);

    BackendClient& m_client;
    storage::Database& m_db;
    storage::CredentialStore& m_credentials;
    storage::Redactor& m_redactor;
    const Clock& m_clock;
    QHash<QString, QString> m_idempotencyKeys;               // enrollment code -> key of its attempts
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // callbacks check it before touching this
};

} // namespace odis::sync
