#include "tests/sim/backend/clinic_profiles.h"

#include "tests/sim/backend/backend_database.h"
#include "tests/sim/backend/canonical_json.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace odis::sim::backend {

ClinicProfiles::ClinicProfiles(BackendDatabase& db)
    : m_db(db)
{}

QString ClinicProfiles::etagFor(const QJsonObject& profile)
{
    return u'"' + sha256Hex(canonicalJson(profile)).left(32) + u'"';
}

Result<QString> ClinicProfiles::put(const QJsonObject& profile)
{
    const QString clinicId = profile.value(QStringLiteral("clinic_id")).toString();
    if (clinicId.isEmpty())
        return fail(QStringLiteral("invalid_profile"), QStringLiteral("a clinic profile needs a clinic_id"));
    const QString etag = etagFor(profile);
    if (auto done = m_db.exec(
            QStringLiteral("INSERT OR REPLACE INTO clinic_profiles(clinic_id, profile_json, etag, "
                           "updated_at) VALUES(?, ?, ?, ?)"),
            {clinicId, QString::fromUtf8(canonicalJson(profile)), etag, BackendDatabase::nowText()});
        !done)
        return std::unexpected(done.error());
    return etag;
}

Result<std::optional<ClinicProfile>> ClinicProfiles::get(const QString& clinicId)
{
    auto rows = m_db.rows(
        QStringLiteral("SELECT profile_json, etag FROM clinic_profiles WHERE clinic_id = ?"), {clinicId});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return std::optional<ClinicProfile>();
    const QJsonObject row = rows->first().toObject();
    return std::optional<ClinicProfile>(ClinicProfile{row.value(QStringLiteral("profile")).toObject(),
                                                      row.value(QStringLiteral("etag")).toString()});
}

bool ClinicProfiles::matchesIfNoneMatch(const QByteArray& ifNoneMatch, const QString& etag)
{
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/")) // If-None-Match compares weakly (RFC 9110 13.1.2)
            candidate = candidate.mid(2);
        if (!candidate.isEmpty() && candidate == etag.toLatin1())
            return true;
    }
    return false;
}

} // namespace odis::sim::backend
