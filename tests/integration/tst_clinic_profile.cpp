// The clinic profile against the real backend double over HTTPS: 200 then 304 with the ETag, a changed
// profile fetched again, the cache for offline runs (saying why), a profile that does not parse kept out
// of the cache, and a clear error with neither backend nor cache. Needs the private session's keychain
// (scripts/in-private-session.sh) for enrollment.

#include "sync/backend/clinic_profile.h"
#include "tests/integration/backend_fixture.h"

#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

using odis::sync::ClinicProfile;
using odis::test::awaitCallback;
namespace backend_error = odis::sync::backend_error;

class TestClinicProfile : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<odis::test::BackendFixture> f;

    ClinicProfile fetchProfile(odis::sync::ClinicProfileFetcher& fetcher, odis::Error* error = nullptr)
    {
        auto fetched = awaitCallback<odis::Result<ClinicProfile>>([&](auto done) { fetcher.fetch(done); });
        if (!fetched)
            qFatal("the profile fetch never answered");
        if (!*fetched) {
            if (error)
                *error = fetched->error();
            return {};
        }
        return **fetched;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        f = std::make_unique<odis::test::BackendFixture>();
        const auto started = f->start();
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
        const auto identity = f->enroll();
        QVERIFY2(identity, qPrintable(identity ? QString() : identity.error().toString()));
    }
    void cleanup() { f.reset(); }

    void profileWithEtagAndOfflineCache()
    {
        odis::sync::ClinicProfileFetcher fetcher(*f->client, *f->db, f->clock);

        const ClinicProfile first = fetchProfile(fetcher);
        QCOMPARE(first.source, ClinicProfile::Source::Fetched);
        QVERIFY(!first.etag.isEmpty());
        QCOMPARE(first.json.value(QStringLiteral("clinic_id")).toString(), f->server->clinicId());
        QCOMPARE(QJsonDocument::fromJson(first.raw).object(), first.json);
        QVERIFY(first.policy().has_value());
        QCOMPARE(f->db->scalar(QStringLiteral("SELECT etag FROM clinic_profile"))->toString(), first.etag);

        const ClinicProfile second = fetchProfile(fetcher);
        QCOMPARE(second.source, ClinicProfile::Source::NotModified);
        QCOMPARE(second.json, first.json);
        const QJsonObject statuses = f->adminGet(QStringLiteral("/requests"))
                                         .value(QStringLiteral("statuses"))
                                         .toObject()
                                         .value(QStringLiteral("clinic"))
                                         .toObject();
        QCOMPARE(statuses.value(QStringLiteral("304")).toInt(), 1);

        // A changed profile is fetched again.
        QJsonObject changed = first.json;
        changed.insert(QStringLiteral("name"), QStringLiteral("Renamed Clinic"));
        QCOMPARE(f->adminSend("PUT", QStringLiteral("/clinic-profile"), changed), 200);
        const ClinicProfile third = fetchProfile(fetcher);
        QCOMPARE(third.source, ClinicProfile::Source::Fetched);
        QVERIFY(third.etag != first.etag);
        QCOMPARE(third.json.value(QStringLiteral("name")).toString(), QStringLiteral("Renamed Clinic"));

        // Offline: the cache, saying why.
        f->setFault(QStringLiteral("clinic"), QJsonObject{{QStringLiteral("reset"), true}});
        const ClinicProfile offline = fetchProfile(fetcher);
        QCOMPARE(offline.source, ClinicProfile::Source::Cache);
        QVERIFY(offline.fromCacheOnly());
        QVERIFY(offline.fallbackReason.has_value());
        QCOMPARE(offline.fallbackReason->code, backend_error::kConnectionReset);
        QCOMPARE(offline.json, third.json);
        QVERIFY(offline.policy().has_value());
        f->clearFaults();

        // A profile that would plan calls wrongly is not cached: the last good one stays in use.
        QJsonObject broken = third.json;
        broken.insert(QStringLiteral("timezone"), QStringLiteral("Mars/Olympus_Mons"));
        QCOMPARE(f->adminSend("PUT", QStringLiteral("/clinic-profile"), broken), 200);
        const ClinicProfile refused = fetchProfile(fetcher);
        QCOMPARE(refused.source, ClinicProfile::Source::Cache);
        QCOMPARE(refused.fallbackReason->code, QString(odis::sync::kClinicTimezoneUnknown));
        QCOMPARE(refused.etag, third.etag);
        // So is one whose country would read every phone number wrongly.
        QJsonObject wrongCountry = third.json;
        wrongCountry.insert(QStringLiteral("country"), QStringLiteral("UK"));
        QCOMPARE(f->adminSend("PUT", QStringLiteral("/clinic-profile"), wrongCountry), 200);
        const ClinicProfile refusedCountry = fetchProfile(fetcher);
        QCOMPARE(refusedCountry.source, ClinicProfile::Source::Cache);
        QCOMPARE(refusedCountry.fallbackReason->code, QString(odis::sync::kClinicCountryUnknown));
        QCOMPARE(refusedCountry.etag, third.etag);

        // Revoked: never hidden behind the cache.
        QCOMPARE(f->adminSend("POST", QStringLiteral("/agents/%1/revoke-token").arg(f->client->agentId())),
                 200);
        odis::Error error;
        (void)fetchProfile(fetcher, &error);
        QCOMPARE(error.code, backend_error::kAuthRevoked);
    }

    void noCacheAndNoBackendIsAClearError()
    {
        odis::sync::ClinicProfileFetcher fetcher(*f->client, *f->db, f->clock);
        f->setFault(QStringLiteral("clinic"),
                    QJsonObject{{QStringLiteral("error_rate"), 1.0}, {QStringLiteral("error_status"), 503}});
        odis::Error error;
        const ClinicProfile none = fetchProfile(fetcher, &error);
        QCOMPARE(error.code, QStringLiteral("clinic_profile_unavailable"));
        QVERIFY(error.message.contains(backend_error::kServerError));
        QVERIFY(none.json.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClinicProfile)
#include "tst_clinic_profile.moc"
