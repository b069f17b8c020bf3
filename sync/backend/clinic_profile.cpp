#include "sync/backend/clinic_profile.h"

#include "storage/clock.h"
#include "storage/database.h"
#include "sync/backend/backend_client.h"
#include "sync/backend/utc_text.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QVariant>

namespace odis::sync {

namespace {

Q_LOGGING_CATEGORY(lcProfile, "odis.sync.clinic_profile")

[[nodiscard]] Result<QJsonObject> profileObject(const QByteArray& raw)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QString(kClinicProfileInvalid),
                    QStringLiteral("the clinic profile is not a JSON object"));
    return doc.object();
}

} // namespace

ClinicProfileCache::ClinicProfileCache(storage::Database& db)
    : m_db(db)
{}

Result<std::optional<ClinicProfile>> ClinicProfileCache::load()
{
    auto rows = m_db.query(QStringLiteral("SELECT etag, body, fetched_at FROM clinic_profile WHERE id = 1"));
    if (!rows)
        return propagate(rows);
    if (rows->isEmpty())
        return std::optional<ClinicProfile>();
    const QVariantList& row = rows->first();
    ClinicProfile profile;
    profile.etag = row.at(0).toString();
    profile.raw = row.at(1).toString().toUtf8();
    profile.fetchedAt = fromUtcText(row.at(2).toString());
    auto json = profileObject(profile.raw);
    if (!json)
        return propagate(json);
    profile.json = *json;
    return std::optional<ClinicProfile>(std::move(profile));
}

Status ClinicProfileCache::save(const QString& etag, const QByteArray& raw, const QDateTime& fetchedAt)
{
    auto written = m_db.execute(
        QStringLiteral("INSERT OR REPLACE INTO clinic_profile (id, etag, body, fetched_at) "
                       "VALUES (1, ?, ?, ?)"),
        {etag.isEmpty() ? QVariant() : QVariant(etag), QString::fromUtf8(raw), utcText(fetchedAt)});
    if (!written)
        return propagate(written);
    return ok();
}

Status ClinicProfileCache::touch(const QDateTime& fetchedAt)
{
    auto written = m_db.execute(QStringLiteral("UPDATE clinic_profile SET fetched_at = ? WHERE id = 1"),
                                {utcText(fetchedAt)});
    if (!written)
        return propagate(written);
    return ok();
}

ClinicProfileFetcher::ClinicProfileFetcher(BackendClient& client, storage::Database& db, const Clock& clock)
    : m_client(client)
    , m_cache(db)
    , m_clock(clock)
{}

ClinicProfileFetcher::~ClinicProfileFetcher() = default;

void ClinicProfileFetcher::fetch(Done done)
{
    std::weak_ptr<int> alive = m_alive;
    auto cached = m_cache.load();
    if (!cached) {
        // A damaged cache row must not stop the run: ask the backend as if nothing was cached.
        qCWarning(lcProfile).noquote() << "cached clinic profile unreadable:" << cached.error().code;
        cached = std::optional<ClinicProfile>();
    }
    BackendRequest request;
    request.path = QStringLiteral("/v1/clinic");
    if (*cached && !(*cached)->etag.isEmpty())
        request.headers.append({QByteArrayLiteral("If-None-Match"), (*cached)->etag.toLatin1()});
    m_client.send(request, [this, alive, cached = std::move(*cached),
                            done = std::move(done)](const BackendReply& reply) {
        if (alive.expired())
            return;
        handle(reply, cached, done);
    });
}

void ClinicProfileFetcher::handle(const BackendReply& reply, std::optional<ClinicProfile> cached,
                                  const Done& done)
{
    const auto useCache = [&](Error reason) {
        if (!cached) {
            // A profile that came but does not parse keeps its own code; anything else means "none to be
            // had".
            done(fail(reason.code.startsWith(QStringLiteral("clinic_"))
                          ? reason.code
                          : QStringLiteral("clinic_profile_unavailable"),
                      QStringLiteral("no clinic profile: the backend gave none (%1) and none is cached")
                          .arg(reason.toString())));
            return;
        }
        qCWarning(lcProfile).noquote()
            << "using the cached clinic profile of" << utcText(cached->fetchedAt) << "because" << reason.code;
        cached->source = ClinicProfile::Source::Cache;
        cached->fallbackReason = std::move(reason);
        done(std::move(*cached));
    };

    if (reply.outcome == BackendOutcome::AuthRevoked || reply.outcome == BackendOutcome::Deprovisioned) {
        done(std::unexpected(reply.error));
        return;
    }
    if (!reply.ok()) {
        useCache(reply.error);
        return;
    }
    const QDateTime now = m_clock.nowUtc();
    if (reply.status == 304) {
        if (!cached) {
            useCache(Error{backend_error::kBadResponse, QStringLiteral("304 without a cached profile")});
            return;
        }
        if (auto touched = m_cache.touch(now); !touched)
            qCWarning(lcProfile).noquote() << "could not record the revalidation:" << touched.error().code;
        cached->source = ClinicProfile::Source::NotModified;
        cached->fetchedAt = now;
        done(std::move(*cached));
        return;
    }
    if (reply.status != 200) {
        useCache(Error{backend_error::kBadResponse,
                       QStringLiteral("GET /v1/clinic answered HTTP %1").arg(reply.status)});
        return;
    }
    auto json = profileObject(reply.body);
    if (!json) {
        useCache(json.error());
        return;
    }
    // Refused before it is cached: the last good profile keeps the clinic's calls at the right times.
    if (auto policy = parseClinicPolicy(*json); !policy) {
        qCWarning(lcProfile).noquote()
            << "the backend's clinic profile does not parse:" << policy.error().code;
        useCache(policy.error());
        return;
    }
    ClinicProfile fresh{
        *json,       reply.body, QString::fromLatin1(reply.etag), now, ClinicProfile::Source::Fetched,
        std::nullopt};
    // Not caching it only costs the next offline run; this run can go on with it.
    if (auto saved = m_cache.save(fresh.etag, fresh.raw, now); !saved)
        qCWarning(lcProfile).noquote() << "could not cache the clinic profile:" << saved.error().code;
    done(std::move(fresh));
}

} // namespace odis::sync
