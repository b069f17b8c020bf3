// Telemetry when PostHog misbehaves (agent/telemetry/): it answers 500, hangs, refuses the API key or
// presents a certificate the agent does not trust; telemetry is switched off mid-flush; the agent is not
// enrolled yet; the configuration is wrong. Events stay queued, nobody waits, nothing is sent that should
// not be. The backend double plays PostHog over HTTPS with its faults (tests/sim/README.md).

#include "tests/integration/posthog_fixture.h"
#include "tests/sim/common/test_pki.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace odis::agent;
using namespace odis::test;
using namespace std::chrono_literals;

class TestTelemetryFailures : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_pkiDir;
    std::optional<odis::sim::TestPki> m_pki;
    std::unique_ptr<PostHogFixture> f;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_pkiDir.isValid());
        auto pki = odis::sim::TestPki::loadOrCreate(m_pkiDir.filePath(QStringLiteral("pki")));
        QVERIFY2(pki, qPrintable(pki ? QString() : pki.error().toString()));
        m_pki = *pki;
    }

    void init()
    {
        f = std::make_unique<PostHogFixture>(*m_pki);
        const auto started = f->start();
        QVERIFY2(started, qPrintable(started ? QString() : started.error().toString()));
    }

    void cleanup() { f.reset(); }

    void posthogFailingKeepsTheEvents()
    {
        QCOMPARE(f->setFault(
                     QJsonObject{{QStringLiteral("error_rate"), 1.0}, {QStringLiteral("error_status"), 500}}),
                 200);
        auto telemetry = f->make(f->settings());
        for (int i = 1; i <= 3; ++i)
            QVERIFY(telemetry->record(f->discharge(i)));
        auto result = f->flushAndWait(*telemetry);
        QVERIFY(result);
        QCOMPARE(result->error->code, QStringLiteral("posthog_unavailable"));
        QVERIFY(result->error->message.contains(QStringLiteral("500")));
        QCOMPARE(result->sent, 0);
        QCOMPARE(f->queued(*telemetry), 3);

        QCOMPARE(f->clearFaults(), 204);
        result = f->flushAndWait(*telemetry);
        QVERIFY(result && !result->error);
        QCOMPARE(result->sent, 3);
        QCOMPARE(f->receivedCounts(), (QList<qint64>{1, 2, 3}));
    }

    void posthogHangingKeepsTheEventsAndHoldsNobodyUp()
    {
        QCOMPARE(f->setFault(QJsonObject{{QStringLiteral("hang"), true}}), 200);
        auto telemetry = f->make(f->settings());
        QVERIFY(telemetry->record(f->discharge(1)));

        auto result = std::make_shared<std::optional<TelemetryFlushResult>>();
        QElapsedTimer clock;
        clock.start();
        telemetry->flush([result](TelemetryFlushResult r) { *result = std::move(r); });
        // flush() does not wait for PostHog: it returns before the transfer time-out (800 ms) could have
        // fired. (It was "< 100 ms", which a busy machine can miss while the code is right.)
        QVERIFY2(clock.elapsed() < 800, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!result->has_value()); // never from inside flush()

        // Meanwhile the agent goes on: recording works, a second flush is turned away at once.
        QVERIFY(telemetry->record(f->discharge(2)));
        auto busy = f->flushAndWait(*telemetry, 1000);
        QVERIFY(busy);
        QCOMPARE(busy->error->code, QStringLiteral("telemetry_flush_busy"));

        QTRY_VERIFY_WITH_TIMEOUT(result->has_value(), 6000);
        QVERIFY2(clock.elapsed() < 5000,
                 qPrintable(QString::number(clock.elapsed()))); // the time-out, not TCP's
        QCOMPARE((*result)->error->code, QStringLiteral("posthog_unavailable"));
        QVERIFY((*result)->error->message.contains(QStringLiteral("backend_timeout")));
        QCOMPARE(f->queued(*telemetry), 2);
        QVERIFY(f->received().isEmpty());
    }

    void switchingOffStopsAFlushInFlight()
    {
        QCOMPARE(f->setFault(QJsonObject{{QStringLiteral("hang"), true}}), 200);
        auto telemetry = f->make(f->settings());
        QVERIFY(telemetry->record(f->discharge(1)));
        auto result = std::make_shared<std::optional<TelemetryFlushResult>>();
        telemetry->flush([result](TelemetryFlushResult r) { *result = std::move(r); });
        QTRY_COMPARE_WITH_TIMEOUT(f->batchRequests(), 1, 5000); // the request is out, PostHog sits on it
        QVERIFY(telemetry->setEnabled(false));
        QVERIFY(result->has_value());
        QCOMPARE((*result)->error->code, QStringLiteral("telemetry_flush_aborted"));
        QCOMPARE(f->queued(*telemetry), 0);
        QVERIFY(f->received().isEmpty());
    }

    void aRejectedApiKeyKeepsTheEvents()
    {
        QCOMPARE(f->setConfig(QJsonObject{{QStringLiteral("posthog_api_key"), QStringLiteral("phc_other")}}),
                 200);
        auto telemetry = f->make(f->settings());
        QVERIFY(telemetry->record(f->discharge(1)));
        auto result = f->flushAndWait(*telemetry);
        QVERIFY(result);
        QCOMPARE(result->error->code, QStringLiteral("posthog_api_key_rejected"));
        QCOMPARE(f->queued(*telemetry), 1);
    }

    void anUntrustedCertificateIsRefused()
    {
        TelemetrySettings s = f->settings();
        s.posthog.caFile.clear(); // the system store only: the test CA is not in it
        auto telemetry = f->make(s);
        QVERIFY(telemetry->record(f->discharge(1)));
        auto result = f->flushAndWait(*telemetry);
        QVERIFY(result);
        QCOMPARE(result->error->code, QStringLiteral("posthog_unavailable"));
        QVERIFY2(result->error->message.contains(QStringLiteral("backend_tls_failed")),
                 qPrintable(result->error->message));
        QCOMPARE(f->queued(*telemetry), 1);
        QCOMPARE(f->batchRequests(), 0);
    }

    void nothingIsSentBeforeEnrollment()
    {
        auto made = Telemetry::create(*f->db, f->clock, f->settings());
        QVERIFY(made);
        QVERIFY((*made)->record(f->discharge(1)));
        auto result = f->flushAndWait(**made);
        QVERIFY(result);
        QCOMPARE(result->error->code, QStringLiteral("telemetry_not_enrolled"));
        QCOMPARE(f->queued(**made), 1);
        QCOMPARE(f->batchRequests(), 0);
    }

    void aBadConfigurationIsRefused_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("apiKey");
        QTest::addColumn<QString>("caFile");
        QTest::newRow("plain http") << QStringLiteral("http://127.0.0.1:9") << kPostHogApiKey << QString();
        QTest::newRow("no host") << QString() << kPostHogApiKey << QString();
        QTest::newRow("no key") << QStringLiteral("https://eu.i.posthog.com") << QString() << QString();
        QTest::newRow("missing CA file") << QStringLiteral("https://eu.i.posthog.com") << kPostHogApiKey
                                         << QStringLiteral("/nonexistent/ca.pem");
    }
    void aBadConfigurationIsRefused()
    {
        QFETCH(QString, host);
        QFETCH(QString, apiKey);
        QFETCH(QString, caFile);
        TelemetrySettings s;
        s.posthog.host = QUrl(host);
        s.posthog.apiKey = apiKey;
        s.posthog.caFile = caFile;
        auto made = Telemetry::create(*f->db, f->clock, s);
        QVERIFY(!made);
        QCOMPARE(made.error().code, QStringLiteral("telemetry_config_invalid"));
    }
};

QTEST_GUILESS_MAIN(TestTelemetryFailures)
#include "tst_telemetry_failures.moc"
