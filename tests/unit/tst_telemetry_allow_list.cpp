// The telemetry allow-list (agent/telemetry/telemetry_allow_list.h): exactly five events, each with its
// property names and types; what is refused and with which typed error, and that a refusal never repeats
// the value it refused.

#include "agent/telemetry/telemetry_allow_list.h"
#include "agent/telemetry/telemetry_events.h"
#include "tests/unit/telemetry_test_data.h"

#include <QJsonArray>
#include <QTest>

using namespace odis::agent;
using namespace odis::test;

namespace {

QJsonObject counts(qint64 n = 1)
{
    QJsonObject o;
    for (const char* name : {"appointments_seen", "consultations_fetched", "notes_found", "items_queued",
                             "items_uploaded", "calls_planned", "calls_excluded", "failed"})
        o.insert(QLatin1StringView(name), n);
    return o;
}

QJsonObject merged(QJsonObject a, const QJsonObject& b)
{
    for (auto it = b.begin(); it != b.end(); ++it)
        a.insert(it.key(), it.value());
    return a;
}

QJsonObject completedProps(const QJsonObject& change = {})
{
    QJsonObject base{{QStringLiteral("run_id"), kTelemetryRunId},
                     {QStringLiteral("trigger"), QStringLiteral("schedule")},
                     {QStringLiteral("status"), QStringLiteral("completed")},
                     {QStringLiteral("duration_ms"), 81234}};
    return merged(merged(base, counts()), change);
}

QJsonObject failedProps(const QJsonObject& change = {})
{
    return merged(QJsonObject{{QStringLiteral("run_id"), kTelemetryRunId},
                              {QStringLiteral("trigger"), QStringLiteral("manual")},
                              {QStringLiteral("status"), QStringLiteral("failed")},
                              {QStringLiteral("error_code"), QStringLiteral("neo_login_rejected")},
                              {QStringLiteral("step"), QStringLiteral("neo_login")}},
                  change);
}

} // namespace

class TestTelemetryAllowList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactlyTheFiveEvents()
    {
        QCOMPARE(telemetryEventNames(),
                 (QStringList{QStringLiteral("sync.started"), QStringLiteral("sync.completed"),
                              QStringLiteral("sync.failed"), QStringLiteral("discharge.scheduled"),
                              QStringLiteral("credential.validated")}));
    }

    void allowList_data()
    {
        QTest::addColumn<QString>("event");
        QTest::addColumn<QJsonObject>("properties");
        QTest::addColumn<QString>("error"); // empty: accepted
        const QString started = QStringLiteral("sync.started");
        const QString completed = QStringLiteral("sync.completed");
        const QString failed = QStringLiteral("sync.failed");
        const QString discharge = QStringLiteral("discharge.scheduled");
        const QString credential = QStringLiteral("credential.validated");
        const QString notAllowed = QStringLiteral("telemetry_property_not_allowed");
        const QString missing = QStringLiteral("telemetry_property_missing");
        const QString type = QStringLiteral("telemetry_property_type");
        const QString refused = QStringLiteral("telemetry_value_refused");
        const QJsonObject startedOk{{QStringLiteral("run_id"), kTelemetryRunId},
                                    {QStringLiteral("trigger"), QStringLiteral("schedule")}};

        QTest::newRow("started") << started << startedOk << QString();
        QTest::newRow("started, every trigger: catch_up")
            << started << merged(startedOk, {{QStringLiteral("trigger"), QStringLiteral("catch_up")}})
            << QString();
        QTest::newRow("started without trigger")
            << started << QJsonObject{{QStringLiteral("run_id"), kTelemetryRunId}} << missing;
        QTest::newRow("started, unknown trigger")
            << started << merged(startedOk, {{QStringLiteral("trigger"), QStringLiteral("weekly")}})
            << refused;
        QTest::newRow("started, a clinic name on the side")
            << started << merged(startedOk, {{QStringLiteral("clinic_name"), QStringLiteral("Happy Paws")}})
            << notAllowed;
        QTest::newRow("started, run id not a uuid")
            << started << merged(startedOk, {{QStringLiteral("run_id"), QStringLiteral("run-1")}}) << refused;
        QTest::newRow("started, run id in braces")
            << started
            << merged(startedOk, {{QStringLiteral("run_id"), QString(u'{' + kTelemetryRunId + u'}')}})
            << refused;
        QTest::newRow("started, run id upper case")
            << started << merged(startedOk, {{QStringLiteral("run_id"), kTelemetryRunId.toUpper()}})
            << refused;

        QTest::newRow("completed") << completed << completedProps() << QString();
        QTest::newRow("completed, partial, with memory and drift")
            << completed
            << completedProps({{QStringLiteral("status"), QStringLiteral("partial")},
                               {QStringLiteral("peak_rss_mb"), 412.5},
                               {QStringLiteral("drift_warnings"), 3}})
            << QString();
        QTest::newRow("completed, a count missing") << completed << [] {
            QJsonObject o = completedProps();
            o.remove(QStringLiteral("notes_found"));
            return o;
        }() << missing;
        QTest::newRow("completed, negative count")
            << completed << completedProps({{QStringLiteral("items_queued"), -1}}) << type;
        QTest::newRow("completed, fractional count")
            << completed << completedProps({{QStringLiteral("items_queued"), 1.5}}) << type;
        QTest::newRow("completed, count as text")
            << completed << completedProps({{QStringLiteral("items_queued"), QStringLiteral("12")}}) << type;
        QTest::newRow("completed, count beyond 2^53")
            << completed << completedProps({{QStringLiteral("items_queued"), 1.0e17}}) << type;
        QTest::newRow("completed, negative memory")
            << completed << completedProps({{QStringLiteral("peak_rss_mb"), -3}}) << type;
        QTest::newRow("completed with a failed status")
            << completed << completedProps({{QStringLiteral("status"), QStringLiteral("failed")}}) << refused;
        QTest::newRow("completed, counts nested in an object")
            << completed << completedProps({{QStringLiteral("failed"), counts()}}) << type;

        QTest::newRow("failed") << failed << failedProps() << QString();
        QTest::newRow("failed before any step, interrupted") << failed << [] {
            QJsonObject o = failedProps({{QStringLiteral("status"), QStringLiteral("interrupted")}});
            o.remove(QStringLiteral("step"));
            return o;
        }() << QString();
        QTest::newRow("failed, a name as error code")
            << failed << failedProps({{QStringLiteral("error_code"), kCanaryName}}) << refused;
        QTest::newRow("failed, an e-mail as error code")
            << failed << failedProps({{QStringLiteral("error_code"), kCanaryEmail}}) << refused;
        QTest::newRow("failed, a phone as error code")
            << failed << failedProps({{QStringLiteral("error_code"), kCanaryPhone}}) << refused;
        QTest::newRow("failed, a phone without spaces as error code")
            << failed << failedProps({{QStringLiteral("error_code"), QStringLiteral("14155550142")}})
            << refused;
        QTest::newRow("failed, free text as error code")
            << failed << failedProps({{QStringLiteral("error_code"), QStringLiteral("the login failed")}})
            << refused;
        QTest::newRow("failed, one lower-case word as error code")
            << failed << failedProps({{QStringLiteral("error_code"), QStringLiteral("philippa")}}) << refused;
        QTest::newRow("failed, the error message on the side")
            << failed << failedProps({{QStringLiteral("error_message"), QStringLiteral("timed out")}})
            << notAllowed;
        QTest::newRow("failed, unknown step")
            << failed << failedProps({{QStringLiteral("step"), QStringLiteral("somewhere")}}) << refused;
        QTest::newRow("failed, error code as an object")
            << failed
            << failedProps({{QStringLiteral("error_code"),
                             QJsonObject{{QStringLiteral("code"), QStringLiteral("a_b")}}}})
            << type;

        QTest::newRow("discharge") << discharge << QJsonObject{{QStringLiteral("count"), 3}} << QString();
        QTest::newRow("discharge with run id")
            << discharge
            << QJsonObject{{QStringLiteral("count"), 0}, {QStringLiteral("run_id"), kTelemetryRunId}}
            << QString();
        QTest::newRow("discharge with a phone")
            << discharge
            << QJsonObject{{QStringLiteral("count"), 1},
                           {QStringLiteral("customer_phone"), QStringLiteral("+14155550142")}}
            << notAllowed;
        QTest::newRow("discharge with the phones as a list")
            << discharge << QJsonObject{{QStringLiteral("count"), QJsonArray{QStringLiteral("+14155550142")}}}
            << type;
        QTest::newRow("discharge without count") << discharge << QJsonObject() << missing;

        QTest::newRow("credential valid")
            << credential << QJsonObject{{QStringLiteral("valid"), true}} << QString();
        QTest::newRow("credential invalid with reason")
            << credential
            << QJsonObject{{QStringLiteral("valid"), false},
                           {QStringLiteral("reason"), QStringLiteral("neo_login_rejected")}}
            << QString();
        QTest::newRow("credential valid as text")
            << credential << QJsonObject{{QStringLiteral("valid"), QStringLiteral("true")}} << type;
        QTest::newRow("credential with the user name")
            << credential
            << QJsonObject{{QStringLiteral("valid"), true}, {QStringLiteral("username"), kCanaryEmail}}
            << notAllowed;
        QTest::newRow("credential reason in words")
            << credential
            << QJsonObject{{QStringLiteral("valid"), false},
                           {QStringLiteral("reason"),
                            QString(QStringLiteral("wrong password for ") + kCanaryEmail)}}
            << refused;

        QTest::newRow("unknown event")
            << QStringLiteral("sync.progress") << QJsonObject() << QStringLiteral("telemetry_event_unknown");
        QTest::newRow("PostHog's own event")
            << QStringLiteral("$pageview") << QJsonObject() << QStringLiteral("telemetry_event_unknown");
    }
    void allowList()
    {
        QFETCH(QString, event);
        QFETCH(QJsonObject, properties);
        QFETCH(QString, error);
        const auto checked = checkTelemetryEvent(event, properties);
        QCOMPARE(checked.has_value(), error.isEmpty());
        if (!checked)
            QCOMPARE(checked.error().code, error);
        // A builder refuses the same way: no event object exists for refused properties.
        const auto built = makeTelemetryEvent(event, properties, kTelemetryTime);
        QCOMPARE(built.has_value(), error.isEmpty());
    }

    void refusalsSayWhatItLooksLikeNeverTheValue_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("looks");
        QTest::newRow("e-mail") << kCanaryEmail << QStringLiteral("an e-mail address");
        QTest::newRow("phone") << kCanaryPhone << QStringLiteral("a phone number");
        QTest::newRow("phone, digits only")
            << QStringLiteral("4155550142") << QStringLiteral("a phone number");
        QTest::newRow("name") << kCanaryName << QStringLiteral("free text");
        QTest::newRow("capitalised word") << QStringLiteral("Philippa") << QStringLiteral("a name");
        QTest::newRow("note") << QStringLiteral("vomiting since monday, gave maropitant")
                              << QStringLiteral("free text");
    }
    void refusalsSayWhatItLooksLikeNeverTheValue()
    {
        QFETCH(QString, value);
        QFETCH(QString, looks);
        const auto checked = checkTelemetryEvent(QStringLiteral("sync.failed"),
                                                 failedProps({{QStringLiteral("error_code"), value}}));
        QVERIFY(!checked);
        QCOMPARE(checked.error().code, QStringLiteral("telemetry_value_refused"));
        QVERIFY2(checked.error().message.contains(looks), qPrintable(checked.error().message));
        QVERIFY2(!checked.error().message.contains(value), qPrintable(checked.error().message));
        QVERIFY(checked.error().message.contains(QStringLiteral("sync.failed.error_code")));
    }

    void codes_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("code");
        QTest::newRow("two words") << QStringLiteral("backend_timeout") << true;
        QTest::newRow("several words and digits") << QStringLiteral("neo_http_502_seen") << true;
        QTest::newRow("one word") << QStringLiteral("timeout") << false;
        QTest::newRow("upper case") << QStringLiteral("Backend_Timeout") << false;
        QTest::newRow("leading underscore") << QStringLiteral("_backend") << false;
        QTest::newRow("trailing underscore") << QStringLiteral("backend_") << false;
        QTest::newRow("double underscore") << QStringLiteral("backend__timeout") << false;
        QTest::newRow("dotted") << QStringLiteral("sync.failed") << false;
        QTest::newRow("65 characters") << QStringLiteral("a_") + QString(63, u'b') << false;
        QTest::newRow("64 characters") << QStringLiteral("a_") + QString(62, u'b') << true;
        QTest::newRow("empty") << QString() << false;
    }
    void codes()
    {
        QFETCH(QString, value);
        QFETCH(bool, code);
        QCOMPARE(isTelemetryCode(value), code);
    }
};

QTEST_APPLESS_MAIN(TestTelemetryAllowList)
#include "tst_telemetry_allow_list.moc"
