#pragma once

#include "storage/result.h"

#include <QJsonArray>
#include <QString>

namespace odis::sim::backend {

class BackendDatabase;

struct Enrollment
{
    QString agentId;
    QString agentToken; // returned once, to the enrolling agent; only its hash is stored
    QString clinicId;
};

// Who a bearer token belongs to, and whether it still works.
struct AgentIdentity
{
    QString agentId;
    QString clinicId;
    bool tokenRevoked = false;
    bool deprovisioned = false;
};

struct EnrollmentRequest
{
    QString code;
    QString hostname;
    QString os;
    QString agentVersion;
};

// Enrollment codes (single use), agents and their bearer tokens.
class AgentRegistry
{
public:
    explicit AgentRegistry(BackendDatabase& db);

    // A code for `clinicId`; a random one when `code` is empty. "code_exists" when it was issued before.
    Result<QString> createEnrollmentCode(const QString& clinicId, const QString& code = {});
    // "enrollment_code_not_found" for an unknown or used code.
    Result<Enrollment> enroll(const EnrollmentRequest& request);
    // "token_unknown" when no agent holds the token.
    Result<AgentIdentity> authenticate(const QString& token);

    // Both return how many rows changed: 0 means the agent is unknown (or already in that state).
    Result<int> revokeTokens(const QString& agentId);
    Result<int> deprovision(const QString& agentId);
    Result<bool> exists(const QString& agentId);

    Result<QJsonArray> agents();
    Result<QJsonArray> enrollmentCodes();

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
