#pragma once

#include "storage/result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace odis::sim::backend {

class BackendDatabase;

struct ClinicProfile
{
    QJsonObject profile;
    QString etag; // a quoted strong entity tag, as sent in the ETag header
};

// The clinic profile per clinic, with the ETag the agent revalidates with (a hash of its canonical JSON,
// so the same content always has the same tag, across restarts too).
class ClinicProfiles
{
public:
    explicit ClinicProfiles(BackendDatabase& db);

    // Replaces the profile of the clinic named by its "clinic_id"; returns the new ETag.
    Result<QString> put(const QJsonObject& profile);
    Result<std::optional<ClinicProfile>> get(const QString& clinicId);

    // Whether an If-None-Match header value matches the tag (a list, weak tags, or *).
    [[nodiscard]] static bool matchesIfNoneMatch(const QByteArray& ifNoneMatch, const QString& etag);
    [[nodiscard]] static QString etagFor(const QJsonObject& profile);

private:
    BackendDatabase& m_db;
};

} // namespace odis::sim::backend
