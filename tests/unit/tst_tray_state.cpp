// The tray's state and tooltip from the agent's status object (ui/tray_state.h): every state, the
// precedence between them, the progress line, times in the clinic's zone.

#include "ui/alert_notifier.h"
#include "ui/tray_state.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using odis::ui::TrayState;

Q_DECLARE_METATYPE(odis::ui::TrayState)

namespace {

QJsonObject status(const char* json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace

class TrayStateTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void state_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<TrayState>("expected");
        QTest::newRow("waiting") << QByteArray(R"({"state":"waiting","gate":"open","alerts":[]})")
                                 << TrayState::Ok;
        QTest::newRow("starting") << QByteArray(R"({"state":"starting","gate":"open","alerts":[]})")
                                  << TrayState::Ok;
        QTest::newRow("running") << QByteArray(R"({"state":"running","alerts":[]})") << TrayState::Syncing;
        QTest::newRow("running beats alerts")
            << QByteArray(R"({"state":"running","alerts":[{"code":"consecutive_failures"}]})")
            << TrayState::Syncing;
        QTest::newRow("paused") << QByteArray(R"({"state":"paused","alerts":[]})") << TrayState::Paused;
        QTest::newRow("paused with failing syncs")
            << QByteArray(R"({"state":"paused","alerts":[{"code":"no_recent_success"}]})")
            << TrayState::Error;
        QTest::newRow("backing off") << QByteArray(R"({"state":"backing_off","alerts":[]})")
                                     << TrayState::Error;
        QTest::newRow("3 in a row")
            << QByteArray(R"({"state":"waiting","alerts":[{"code":"consecutive_failures"}]})")
            << TrayState::Error;
        QTest::newRow("keychain") << QByteArray(
                                         R"({"state":"waiting","alerts":[{"code":"keychain_unavailable"}]})")
                                  << TrayState::Error;
        QTest::newRow("store error") << QByteArray(R"({"state":"waiting","store_error":"db_open"})")
                                     << TrayState::Error;
        QTest::newRow("setup") << QByteArray(
                                      R"({"state":"setup_incomplete","gate":"not_enrolled","alerts":[]})")
                               << TrayState::NeedsAttention;
        QTest::newRow("rejected")
            << QByteArray(
                   R"({"state":"credential_stop","gate":"credentials_rejected","alerts":[{"code":"credentials_rejected"}]})")
            << TrayState::NeedsAttention;
        QTest::newRow("delivering the outbox")
            << QByteArray(R"({"state":"delivering","alerts":[]})") << TrayState::Syncing;
        QTest::newRow("waiting to deliver")
            << QByteArray(R"({"state":"waiting","gate":"open","next_delivery_at":"2026-03-09T17:07:00.000Z",
                "alerts":[]})")
            << TrayState::Ok;
        QTest::newRow("drift") << QByteArray(R"({"state":"waiting","alerts":[{"code":"neo_layout_drift"}]})")
                               << TrayState::NeedsAttention;
    }

    void state()
    {
        QFETCH(QByteArray, json);
        QFETCH(TrayState, expected);
        QCOMPARE(odis::ui::trayStateFor(status(json.constData())), expected);
    }

    void names()
    {
        QCOMPARE(odis::ui::trayStateName(TrayState::Ok), QStringLiteral("ok"));
        QCOMPARE(odis::ui::trayStateName(TrayState::Syncing), QStringLiteral("syncing"));
        QCOMPARE(odis::ui::trayStateName(TrayState::NeedsAttention), QStringLiteral("attention"));
        QCOMPARE(odis::ui::trayStateName(TrayState::Error), QStringLiteral("error"));
        QCOMPARE(odis::ui::trayStateName(TrayState::Paused), QStringLiteral("paused"));
    }

    void progress_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no run") << QByteArray(R"({"state":"waiting","run":null})") << QString();
        QTest::newRow("starting") << QByteArray(
                                         R"({"state":"running","run":{"step":null,"done":0,"total":0}})")
                                  << QStringLiteral("Starting");
        QTest::newRow("login") << QByteArray(
                                      R"({"state":"running","run":{"step":"neo_login","done":0,"total":0}})")
                               << QStringLiteral("Logging in to IDEXX Neo");
        QTest::newRow("consultations")
            << QByteArray(R"({"state":"running","run":{"step":"consultations","done":34,"total":120}})")
            << QStringLiteral("Reading consultations 34/120");
        QTest::newRow("delivering") << QByteArray(R"({"state":"delivering","run":null})")
                                    << QStringLiteral("Sending what was read to Odis");
        QTest::newRow("upload") << QByteArray(
                                       R"({"state":"running","run":{"step":"upload","done":0,"total":0}})")
                                << QStringLiteral("Uploading to Odis");
    }

    void progress()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QCOMPARE(odis::ui::runProgressText(status(json.constData())), expected);
    }

    void tooltipInClinicZone()
    {
        // 2026-03-09 17:02 UTC is 10:02 in Los Angeles (PDT from 8 March 2026).
        const QJsonObject s = status(R"({"state":"waiting","gate":"open","alerts":[],
            "clinic_timezone":"America/Los_Angeles","last_success_at":"2026-03-09T17:02:00.000Z",
            "next_run_at":"2026-03-09T21:10:00.000Z","run":null})");
        const QStringList lines = odis::ui::trayTooltipLines(s);
        QCOMPARE(lines.value(0), QStringLiteral("Odis Clinic Agent: Up to date"));
        QCOMPARE(lines.value(1), QStringLiteral("Last good sync: Mon 9 Mar, 10:02"));
        QCOMPARE(lines.value(2), QStringLiteral("Next sync: Mon 9 Mar, 14:10"));
        QCOMPARE(lines.size(), 3);
    }

    // The backend was away after a run: Neo was read, Odis has not taken it all; the next attempt in the
    // clinic's zone. While sending: activity, no "next try".
    void tooltipWhileDeliveryWaits()
    {
        const QJsonObject waiting = status(R"({"state":"waiting","gate":"open","alerts":[],
            "clinic_timezone":"America/Los_Angeles","last_success_at":"2026-03-09T17:02:00.000Z",
            "next_run_at":"2026-03-09T21:10:00.000Z","next_delivery_at":"2026-03-09T17:17:00.000Z",
            "run":null})");
        QCOMPARE(odis::ui::trayTooltipLines(waiting),
                 QStringList({QStringLiteral("Odis Clinic Agent: Waiting to send to Odis"),
                              QStringLiteral("Last good sync: Mon 9 Mar, 10:02"),
                              QStringLiteral("Next sync: Mon 9 Mar, 14:10"),
                              QStringLiteral("Next try to send to Odis: Mon 9 Mar, 10:17")}));
        QJsonObject sending = waiting;
        sending.insert(QStringLiteral("state"), QStringLiteral("delivering"));
        QCOMPARE(odis::ui::trayTooltipLines(sending),
                 QStringList({QStringLiteral("Odis Clinic Agent: Syncing"),
                              QStringLiteral("Sending what was read to Odis"),
                              QStringLiteral("Last good sync: Mon 9 Mar, 10:02")}));
    }

    void tooltipDuringRunAndAlerts()
    {
        const QJsonObject s = status(R"({"state":"running","gate":"open","last_success_at":null,
            "next_run_at":"2026-03-09T21:10:00.000Z","clinic_timezone":null,
            "alerts":[{"code":"outbox_stale","message":"12 items wait for more than 24 hours"}],
            "run":{"step":"consultations","done":3,"total":9}})");
        const QStringList lines = odis::ui::trayTooltipLines(s);
        QCOMPARE(lines, QStringList({QStringLiteral("Odis Clinic Agent: Syncing"),
                                     QStringLiteral("Reading consultations 3/9"),
                                     QStringLiteral("Last good sync: none yet"),
                                     QStringLiteral("12 items wait for more than 24 hours")}));
    }

    void notificationsOncePerDay()
    {
        using odis::ui::notifyToday;
        const QDate today(2026, 3, 10);
        QVERIFY(notifyToday(QDate(), today));
        QVERIFY(notifyToday(today.addDays(-1), today));
        QVERIFY(!notifyToday(today, today));
        for (const char* code : {"credentials_rejected", "second_factor_needed", "neo_layout_drift",
                                 "consecutive_failures", "no_recent_success", "keychain_unavailable"})
            QVERIFY2(odis::ui::isNotifiedAlert(QString::fromLatin1(code)), code);
        for (const char* code : {"outbox_stale", "run_too_long", "sync_failure_rate", "reenrollment_needed"})
            QVERIFY2(!odis::ui::isNotifiedAlert(QString::fromLatin1(code)), code);
    }

    void pausedText()
    {
        const QJsonObject s = status(R"({"state":"paused","clinic_timezone":"Europe/London",
            "paused_until":"2026-03-10T00:00:00.000Z","alerts":[]})");
        QCOMPARE(odis::ui::trayStateText(s), QStringLiteral("Paused until Tue 10 Mar, 00:00"));
        const QJsonObject utc =
            status(R"({"state":"paused","paused_until":"2026-03-10T00:00:00.000Z","alerts":[]})");
        QCOMPARE(odis::ui::trayStateText(utc), QStringLiteral("Paused until Tue 10 Mar, 00:00 UTC"));
    }
};

QTEST_GUILESS_MAIN(TrayStateTest)
#include "tst_tray_state.moc"
