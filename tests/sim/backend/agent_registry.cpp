#include "tests/sim/backend/agent_registry.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"

#include <QRandomGenerator>
#include <QUuid>

namespace odis::sim::backend {

namespace {

// Unambiguous to read aloud and type: no 0/O, 1/I/L.
QString randomCode()
{
    static constexpr char kAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    QString code;
    for (int i = 0; i < 8; ++i) {
        if (i == 4)
            code += u'-';
        code += QLatin1Char(kAlphabet[QRandomGenerator::system()->bounded(int(sizeof kAlphabet - 1))]);
    }
    return code;
}

QString randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString tokenHash(const QString& token)
{
    return sha256Hex(token.toUtf8());
}

} // namespace

AgentRegistry::AgentRegistry(BackendDatabase& db)
    : m_db(db)
{}

Result<QString> AgentRegistry::createEnrollmentCode(const QString& clinicId, const QString& code)
{
    const QString chosen = code.isEmpty() ? randomCode() : code;
    auto existing = m_db.scalar(QStringLiteral("SELECT 1 FROM enrollment_codes WHERE code = ?"), {chosen});
    if (!existing)
        return std::unexpected(existing.error());
    if (existing->isValid())
        return fail(QStringLiteral("code_exists"), QStringLiteral("this enrollment code was issued before"));
    if (auto inserted = m_db.exec(
            QStringLiteral("INSERT INTO enrollment_codes(code, clinic_id, created_at) VALUES(?, ?, ?)"),
            {chosen, clinicId, BackendDatabase::nowText()});
        !inserted)
        return std::unexpected(inserted.error());
    return chosen;
}

Result<Enrollment> AgentRegistry::enroll(const EnrollmentRequest& request)
{
    Transaction tx(m_db);
    if (!tx.started())
        return std::unexpected(tx.started().error());
    auto clinic = m_db.scalar(
        QStringLiteral("SELECT clinic_id FROM enrollment_codes WHERE code = ? AND used_at IS NULL"),
        {request.code});
    if (!clinic)
        return std::unexpected(clinic.error());
    if (!clinic->isValid())
        return fail(QStringLiteral("enrollment_code_not_found"),
                    QStringLiteral("unknown or used enrollment code"));
    Enrollment e{QUuid::createUuid().toString(QUuid::WithoutBraces), randomToken(), clinic->toString()};
    const QString now = BackendDatabase::nowText();
    for (const auto& [sql, binds] :
         {std::pair{QStringLiteral("UPDATE enrollment_codes SET used_at = ?, agent_id = ? WHERE code = ?"),
                    QVariantList{now, e.agentId, request.code}},
          std::pair{
              QStringLiteral(
                  "INSERT INTO agents(agent_id, clinic_id, hostname, os, agent_version, enrolled_at) "
                  "VALUES(?, ?, ?, ?, ?, ?)"),
              QVariantList{e.agentId, e.clinicId, request.hostname, request.os, request.agentVersion, now}},
          std::pair{QStringLiteral("INSERT INTO tokens(token_sha256, agent_id, issued_at) VALUES(?, ?, ?)"),
                    QVariantList{tokenHash(e.agentToken), e.agentId, now}}}) {
        if (auto done = m_db.exec(sql, binds); !done)
            return std::unexpected(done.error());
    }
    if (auto committed = tx.commit(); !committed)
        return std::unexpected(committed.error());
    return e;
}

Result<AgentIdentity> AgentRegistry::authenticate(const QString& token)
{
    auto rows = m_db.rows(
        QStringLiteral("SELECT a.agent_id, a.clinic_id, t.revoked_at, a.deprovisioned_at FROM tokens t "
                       "JOIN agents a ON a.agent_id = t.agent_id WHERE t.token_sha256 = ?"),
        {tokenHash(token)});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return fail(QStringLiteral("token_unknown"), QStringLiteral("no agent holds this token"));
    const QJsonObject row = rows->first().toObject();
    return AgentIdentity{row.value(QStringLiteral("agent_id")).toString(),
                         row.value(QStringLiteral("clinic_id")).toString(),
                         !row.value(QStringLiteral("revoked_at")).isNull(),
                         !row.value(QStringLiteral("deprovisioned_at")).isNull()};
}

Result<int> AgentRegistry::revokeTokens(const QString& agentId)
{
    auto before = m_db.scalar(
        QStringLiteral("SELECT COUNT(*) FROM tokens WHERE agent_id = ? AND revoked_at IS NULL"), {agentId});
    if (!before)
        return std::unexpected(before.error());
    if (auto done = m_db.exec(
            QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL"),
            {BackendDatabase::nowText(), agentId});
        !done)
        return std::unexpected(done.error());
    return before->toInt();
}

Result<int> AgentRegistry::deprovision(const QString& agentId)
{
    auto before = m_db.scalar(
        QStringLiteral("SELECT COUNT(*) FROM agents WHERE agent_id = ? AND deprovisioned_at IS NULL"),
        {agentId});
    if (!before)
        return std::unexpected(before.error());
    if (auto done = m_db.exec(QStringLiteral("UPDATE agents SET deprovisioned_at = ? WHERE agent_id = ? AND "
                                             "deprovisioned_at IS NULL"),
                              {BackendDatabase::nowText(), agentId});
        !done)
        return std::unexpected(done.error());
    return before->toInt();
}

Result<bool> AgentRegistry::exists(const QString& agentId)
{
    auto found = m_db.scalar(QStringLiteral("SELECT 1 FROM agents WHERE agent_id = ?"), {agentId});
    if (!found)
        return std::unexpected(found.error());
    return found->isValid();
}

Result<QJsonArray> AgentRegistry::agents()
{
    return m_db.rows(QStringLiteral("SELECT a.agent_id, a.clinic_id, a.hostname, a.os, a.agent_version, "
                                    "a.enrolled_at, a.deprovisioned_at, "
                                    "(SELECT COUNT(*) FROM tokens t WHERE t.agent_id = a.agent_id AND "
                                    "t.revoked_at IS NULL) AS active_tokens, "
                                    "(SELECT COUNT(*) FROM tokens t WHERE t.agent_id = a.agent_id AND "
                                    "t.revoked_at IS NOT NULL) AS revoked_tokens "
                                    "FROM agents a ORDER BY a.enrolled_at, a.agent_id"));
}

Result<QJsonArray> AgentRegistry::enrollmentCodes()
{
    return m_db.rows(QStringLiteral("SELECT code, clinic_id, created_at, used_at, agent_id FROM "
                                    "enrollment_codes ORDER BY created_at, code"));
}

} // namespace odis::sim::backend
