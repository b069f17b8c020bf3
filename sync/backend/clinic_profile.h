#pragma once

// The clinic profile (`GET /v1/clinic`, docs/backend-api.md): fetched with If-None-Match against the
// cached ETag, cached in the store (clinic_profile) so that a run without the backend still knows the
// clinic's zone, hours and discharge policy, and says that it ran on the cache.

#include "storage/result.h"
#include "sync/backend/backend_reply.h"
#include "sync/core/clinic_policy.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}

namespace odis::sync {

class BackendClient;

struct ClinicProfile
{
    enum class Source
    {
        Fetched,     // 200: a new profile, now cached
        NotModified, // 304: the cached profile is current
        Cache,       // the backend could not be asked (offline run) or sent something unusable
    };

    QJsonObject json;
    QByteArray raw; // the body as the backend sent it
    QString etag;
    QDateTime fetchedAt; // when the backend last confirmed it (200 or 304)
    Source source = Source::Cache;
    std::optional<Error> fallbackReason; // Source::Cache: why the backend's answer was not used

    [[nodiscard]] bool fromCacheOnly() const { return source == Source::Cache; }
    // The zone, hours and discharge policy (sync/core/clinic_policy.h).
    [[nodiscard]] Result<ClinicPolicy> policy() const { return parseClinicPolicy(json); }
};

// The clinic_profile row.
class ClinicProfileCache
{
public:
    explicit ClinicProfileCache(storage::Database& db);
    // nullopt when nothing was ever cached. Source::Cache, no fallbackReason.
    [[nodiscard]] Result<std::optional<ClinicProfile>> load();
    [[nodiscard]] Status save(const QString& etag, const QByteArray& raw, const QDateTime& fetchedAt);
    [[nodiscard]] Status touch(const QDateTime& fetchedAt);

private:
    storage::Database& m_db;
};

// Error codes: clinic_profile_unavailable (the backend could not give one and nothing is cached),
// clinic_profile_invalid and the other clinic_policy.h codes (a 200 whose profile does not parse, with
// nothing cached), backend_auth_revoked and agent_deprovisioned (never hidden behind the cache: the run
// must stop), and the store's.
class ClinicProfileFetcher
{
public:
    using Done = std::function<void(Result<ClinicProfile>)>;

    ClinicProfileFetcher(BackendClient& client, storage::Database& db, const Clock& clock);
    ~ClinicProfileFetcher();
    ClinicProfileFetcher(const ClinicProfileFetcher&) = delete;
    ClinicProfileFetcher& operator=(const ClinicProfileFetcher&) = delete;

    // 200: a profile that parses (parseClinicPolicy) is cached and returned; one that does not is not
    // cached (the last good one is used, with the reason). 304: the cached one. Network failures, 5xx,
    // 429 and unexpected answers: the cached one with the reason, or clinic_profile_unavailable.
    // `done` is called once, later, unless this object is destroyed first.
    void fetch(Done done);

private:
    void handle(const BackendReply& reply, std::optional<ClinicProfile> cached, const Done& done);

    BackendClient& m_client;
    ClinicProfileCache m_cache;
    const Clock& m_clock;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace odis::sync
