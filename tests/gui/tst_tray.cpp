// The tray of odis-agent-ui (ui/tray_controller.h) with the real resident agent in this process, against
// both simulators (the e2e world), on a real X display with a real tray host (trayer): the icon per state
// as the tray shows it (its colour found on the screen), the tooltip's progress during a real run started
// from the menu, every menu action reaching the agent (its status says so), and the status window that
// stands in when the tray goes away. Screenshots under build/test-artifacts/ui/.
//
// The agent runs in this process as odis-agent-ui runs it (ui::runAgentWithUi): its folders come from the
// world's XDG variables, set in this process before it starts (no QStandardPaths test mode: the sync runs it
// starts as child processes must find the same store).

#include "agent/agent_config.h"
#include "agent/agent_context.h"
#include "agent/autostart/autostart.h"
#include "agent/resident/resident_agent.h"
#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/resident_world.h"
#include "tests/gui/gui_session.h"
#include "ui/alert_notifier.h"
#include "ui/dashboard_window.h"
#include "ui/settings_window.h"
#include "ui/status_window.h"
#include "ui/tray_controller.h"
#include "ui/ui_shell.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QMenu>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>

using namespace odis::test;
using odis::ui::TrayState;

#define CHECKED(expr)                                                                                        \
    do {                                                                                                     \
        const auto _r = (expr);                                                                              \
        QVERIFY2(_r, qPrintable(_r ? QString() : _r.error().toString()));                                    \
    } while (false)

namespace {

// The fill of each state's disc (resources/icons/tray-<state>.svg).
QColor stateColor(TrayState state)
{
    switch (state) {
    case TrayState::Ok:
        return QColor(0x1e, 0x8e, 0x3e);
    case TrayState::Syncing:
        return QColor(0x1a, 0x73, 0xe8);
    case TrayState::NeedsAttention:
        return QColor(0xf2, 0x99, 0x00);
    case TrayState::Error:
        return QColor(0xd9, 0x30, 0x25);
    case TrayState::Paused:
        return QColor(0x5f, 0x63, 0x68);
    }
    return {};
}

// Where trayer sits: the top right corner.
const QRect kTrayArea(1280 - 200, 0, 200, 40);

} // namespace

class TrayTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SyncWorld> m_world;
    std::unique_ptr<ResidentWorld> m_resident;
    TrayHost m_trayHost;
    odis::ui::UiShell* m_shell = nullptr;
    std::optional<int> m_exitCode;
    QStringList m_tooltips; // every tooltip the tray showed

    odis::ui::TrayController& tray() { return m_shell->tray(); }
    QJsonObject status() { return tray().lastStatus(); }

    // Moves the test clock and waits until the agent has read it. The agent watches the clock file and
    // learns the new time from its event loop: a run started at once still carried the old time, started in
    // the same second as the run before it, and came out older or newer than that one by how fast each
    // sync process started (the newest run is what the second-factor alert reads: it hung this test on a
    // loaded machine).
    void advanceClock(qint64 seconds)
    {
        const QDateTime later = m_resident->now().addSecs(seconds);
        CHECKED(m_resident->setNow(later));
        QTRY_VERIFY_WITH_TIMEOUT(statusInstant(m_shell->agent().status(), "now") == later, 30'000);
    }

    // What the notifier had to go by: the tray's last status (alerts, newest run, time) and the store's runs
    // and notification days.
    QString notifierDiagnostics()
    {
        QString out = QString::fromUtf8(
            QJsonDocument(
                QJsonObject{{QStringLiteral("alerts"), status().value(QStringLiteral("alerts"))},
                            {QStringLiteral("gate"), status().value(QStringLiteral("gate"))},
                            {QStringLiteral("last_run"), status().value(QStringLiteral("last_run"))},
                            {QStringLiteral("now"), status().value(QStringLiteral("now"))}})
                .toJson(QJsonDocument::Compact));
        auto runs = m_shell->context().db().query(QStringLiteral(
            "SELECT substr(run_id, 1, 8), trigger, started_at, finished_at, status, error_code FROM runs "
            "ORDER BY started_at DESC, rowid DESC LIMIT 6"));
        if (runs) {
            for (const QVariantList& row : std::as_const(*runs)) {
                QStringList cells;
                for (const QVariant& cell : row)
                    cells << cell.toString();
                out += u'\n' + cells.join(u' ');
            }
        } else {
            out += u'\n' + runs.error().toString();
        }
        auto days = m_shell->context().db().query(
            QStringLiteral("SELECT key, value FROM kv WHERE key LIKE 'ui.notified.%'"));
        if (days) {
            for (const QVariantList& row : std::as_const(*days))
                out += u'\n' + row.at(0).toString() + u'=' + row.at(1).toString();
        }
        return out;
    }

    // The tray shows `state`, and the screen shows its colour in the tray (and no other state's).
    void expectTrayShows(TrayState state, const QString& shot)
    {
        QTRY_COMPARE_WITH_TIMEOUT(tray().state(), state, 120'000);
        QTRY_VERIFY_WITH_TIMEOUT(countColor(saveScreenShot(shot), kTrayArea, stateColor(state)) > 12, 30'000);
        const QImage screen = saveScreenShot(shot);
        for (TrayState other : {TrayState::Ok, TrayState::Syncing, TrayState::NeedsAttention,
                                TrayState::Error, TrayState::Paused}) {
            if (other != state)
                QVERIFY2(countColor(screen, kTrayArea, stateColor(other)) < 4,
                         qPrintable(odis::ui::trayStateName(other)));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto world = SyncWorld::create();
        QVERIFY2(world.has_value(), qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
        CHECKED(m_world->install());
        m_resident = std::make_unique<ResidentWorld>(*m_world);
        CHECKED(m_resident->startClock(kMondayEvening));

        QProcessEnvironment extra;
        extra.insert(QStringLiteral("ODIS_TEST_CLOCK_FILE"),
                     m_world->path(QStringLiteral("test-clock.json")));
        extra.insert(QStringLiteral("ODIS_TEST_TICK_MS"), QStringLiteral("100"));
        extra.insert(QStringLiteral("ODIS_TEST_SETTLE_MS"), QStringLiteral("200"));
        extra.insert(QStringLiteral("ODIS_TEST_HEARTBEAT_MS"), QStringLiteral("600000"));
        // This process keeps xcb (it was chosen at start); its sync runs get offscreen from the world.
        const QProcessEnvironment env = m_world->agentEnvironment(extra);
        for (const QString& key : env.keys())
            qputenv(key.toLocal8Bit().constData(), env.value(key).toLocal8Bit());

        CHECKED(m_trayHost.start());
        odis::ui::UiOptions options;
        options.tray.trayWait = std::chrono::seconds(30);
        options.tray.refresh = std::chrono::seconds(1);
        odis::ui::runAgentWithUi(
            {}, [this](int code) { m_exitCode = code; }, options,
            [this](odis::ui::UiShell& shell) {
                m_shell = &shell;
                // After the tray's own refresh: what it shows now.
                connect(&shell.tray(), &odis::ui::TrayController::stateChanged, this,
                        [this] { m_tooltips << tray().toolTip(); });
            });
        QTRY_VERIFY_WITH_TIMEOUT(m_shell != nullptr || m_exitCode, 120'000);
        QVERIFY2(m_shell, "the agent did not start");
    }

    void trayShowsSetupNeeded()
    {
        QTRY_VERIFY_WITH_TIMEOUT(tray().trayIcon() && tray().trayIcon()->isVisible(), 30'000);
        // Enrolled and the login saved, never used: waiting for a person's first sync.
        expectTrayShows(TrayState::NeedsAttention, QStringLiteral("tray-attention"));
        QVERIFY2(tray().toolTip().contains(QStringLiteral("Waiting for the first sync")),
                 qPrintable(tray().toolTip()));
        QVERIFY(tray().toolTip().contains(QStringLiteral("Last good sync: none yet")));
        QCOMPARE(tray().trayIcon()->toolTip(), tray().toolTip());
        QVERIFY(!tray().action(QStringLiteral("resume"))->isEnabled());
    }

    void menuHasEveryAction()
    {
        for (const char* name : {"sync_now", "pause_1h", "pause_4h", "pause_tomorrow", "resume",
                                 "open_dashboard", "open_settings", "quit"})
            QVERIFY2(tray().action(QString::fromLatin1(name)), name);
        QCOMPARE(tray().trayIcon()->contextMenu(), tray().menu());
        tray().menu()->popup(QPoint(1000, 40));
        QTRY_VERIFY(tray().menu()->isVisible());
        QTest::qWait(300); // painted
        saveScreenShot(QStringLiteral("tray-menu"));
        saveWidgetShot(*tray().menu(), QStringLiteral("tray-menu-only"));
        tray().menu()->hide();
    }

    void syncNowShowsProgressInTheTooltip()
    {
        QStringList tips;
        // After each of the tray's refreshes (the agent's changes coalesced): the tooltip it now shows.
        connect(&tray(), &odis::ui::TrayController::refreshed, this,
                [this, &tips] { tips << tray().toolTip(); });
        // Every Neo answer a little late, so that the run lasts long enough to be seen in the tray whatever
        // the machine's speed.
        QCOMPARE(m_world
                     ->neoAdmin("PUT", QStringLiteral("/faults/*"),
                                QJsonObject{{QStringLiteral("latency_ms"), 400}})
                     .status,
                 200);
        tray().action(QStringLiteral("sync_now"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(tray().state(), TrayState::Syncing, 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(countColor(saveScreenShot(QStringLiteral("tray-syncing")), kTrayArea,
                                            stateColor(TrayState::Syncing)) > 12,
                                 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(tray().state() != TrayState::Syncing, 240'000);
        disconnect(&tray(), &odis::ui::TrayController::refreshed, this, nullptr);
        // How the run ended, before what it showed (a run that failed early shows no progress at all).
        const QJsonObject lastRun = status().value(QStringLiteral("last_run")).toObject();
        QVERIFY2(lastRun.value(QStringLiteral("status")).toString() == QLatin1String("completed"),
                 QJsonDocument(lastRun).toJson().constData());
        QVERIFY(m_world->neoAdmin("DELETE", QStringLiteral("/faults")).status / 100 == 2);

        static const QRegularExpression consultations(QStringLiteral("^Reading consultations \\d+/\\d+$"),
                                                      QRegularExpression::MultilineOption);
        // The tray shows the run's steps as its coalesced refreshes (500 ms) find them: the login, shorter
        // than that on the simulator, may pass unseen; the consultations' count, which lasts, is shown.
        bool sawCount = false;
        for (const QString& tip : std::as_const(tips))
            sawCount = sawCount || consultations.match(tip).hasMatch();
        QVERIFY2(sawCount, qPrintable(tips.join(QStringLiteral("\n---\n"))));

        const QJsonObject s = status();
        QCOMPARE(s.value(QStringLiteral("last_run")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        expectGroundTruth(*m_world, "after Sync now from the tray");
        expectTrayShows(TrayState::Ok, QStringLiteral("tray-ok"));
        QVERIFY2(!tray().toolTip().contains(QStringLiteral("none yet")), qPrintable(tray().toolTip()));
        QVERIFY(tray().toolTip().contains(QStringLiteral("Next sync: ")));
    }

    void pauseAndResumeReachTheAgent()
    {
        const QDateTime now = m_resident->now();
        tray().action(QStringLiteral("pause_1h"))->trigger();
        QCOMPARE(statusInstant(status(), "paused_until"), now.addSecs(3600));
        expectTrayShows(TrayState::Paused, QStringLiteral("tray-paused"));
        QVERIFY(tray().action(QStringLiteral("resume"))->isEnabled());

        tray().action(QStringLiteral("pause_4h"))->trigger();
        QCOMPARE(statusInstant(status(), "paused_until"), now.addSecs(4 * 3600));

        tray().action(QStringLiteral("pause_tomorrow"))->trigger();
        const QTimeZone zone(status().value(QStringLiteral("clinic_timezone")).toString().toUtf8());
        QVERIFY(zone.isValid());
        const QDateTime midnight(now.toTimeZone(zone).date().addDays(1), QTime(0, 0), zone);
        QCOMPARE(statusInstant(status(), "paused_until"), midnight.toUTC());
        QVERIFY2(odis::ui::trayStateText(status()).startsWith(QStringLiteral("Paused until ")),
                 qPrintable(odis::ui::trayStateText(status())));

        tray().action(QStringLiteral("resume"))->trigger();
        QVERIFY(status().value(QStringLiteral("paused_until")).isNull());
        expectTrayShows(TrayState::Ok, QStringLiteral("tray-resumed"));
        QVERIFY(!tray().action(QStringLiteral("resume"))->isEnabled());
    }

    void openDashboardShowsTheRun()
    {
        tray().action(QStringLiteral("open_dashboard"))->trigger();
        QVERIFY(m_shell->dashboard());
        QTRY_VERIFY(m_shell->dashboard()->isVisible());
        QTableWidget* runs = m_shell->dashboard()->runsTable();
        QCOMPARE(runs->rowCount(), 1);
        QCOMPARE(runs->item(0, 1)->text(), QStringLiteral("Sync now"));
        QCOMPARE(runs->item(0, 2)->text(), QStringLiteral("completed"));
        QTest::qWait(300);
        saveWidgetShot(*m_shell->dashboard(), QStringLiteral("dashboard-runs"));
        m_shell->dashboard()->close();
    }

    void secondFactorAlertIsNotifiedOncePerDay()
    {
        QSignalSpy notified(&m_shell->notifier(), &odis::ui::AlertNotifier::notified);
        QCOMPARE(
            m_world
                ->neoAdmin("PUT", QStringLiteral("/variants"),
                           QJsonObject{{QStringLiteral("login"), QJsonObject{{QStringLiteral("second_factor"),
                                                                              QStringLiteral("code")}}}})
                .status,
            200);
        // After every earlier run on the test clock (which stands still otherwise): the run that stops at
        // the second factor is the newest one, whose outcome the alert reads.
        advanceClock(300);
        tray().action(QStringLiteral("sync_now"))->trigger();
        // A plain deadline (QTRY would wait its time-out three times over before failing); on a time-out the
        // message shows what the tray last read and the runs in the store.
        QDeadlineTimer deadline(180'000);
        while (notified.isEmpty() && !deadline.hasExpired())
            QTest::qWait(100);
        QVERIFY2(notified.size() == 1, qPrintable(notifierDiagnostics()));
        QCOMPARE(notified.first().first().toString(), QStringLiteral("second_factor_needed"));
        expectTrayShows(TrayState::NeedsAttention, QStringLiteral("tray-second-factor"));
        QVERIFY2(tray().toolTip().contains(QStringLiteral("second factor")), qPrintable(tray().toolTip()));
        // Clicking the notification opens the dashboard at the alert.
        Q_EMIT tray().trayIcon()->messageClicked();
        QTRY_VERIFY(m_shell->dashboard() && m_shell->dashboard()->isVisible());
        QCOMPARE(m_shell->dashboard()->tabs()->currentWidget(), m_shell->dashboard()->alertsList());
        QListWidgetItem* current = m_shell->dashboard()->alertsList()->currentItem();
        QVERIFY(current);
        QCOMPARE(current->data(Qt::UserRole).toString(), QStringLiteral("second_factor_needed"));
        QVERIFY(current->text().contains(QStringLiteral("Settings")));
        QTest::qWait(300);
        saveWidgetShot(*m_shell->dashboard(), QStringLiteral("dashboard-alert"));
        m_shell->dashboard()->close();
        // Later the same day: not again.
        tray().refresh();
        m_shell->notifier().check(tray().lastStatus());
        QCOMPARE(notified.size(), 1);

        // A person logs in without the second factor being asked (the account's setting changed): Sync now
        // clears it.
        QCOMPARE(m_world
                     ->neoAdmin(
                         "PUT", QStringLiteral("/variants"),
                         QJsonObject{{QStringLiteral("login"),
                                      QJsonObject{{QStringLiteral("second_factor"), QStringLiteral("off")}}}})
                     .status,
                 200);
        const QJsonValue before = status().value(QStringLiteral("last_run"));
        // Time goes on between the two runs (the test clock stands still otherwise, and the newest run is
        // the one that started last).
        advanceClock(300);
        tray().action(QStringLiteral("sync_now"))->trigger();
        // The run's end, however slow the machine (a new last_run, and no run going), then what it shows.
        QTRY_VERIFY_WITH_TIMEOUT(status().value(QStringLiteral("last_run")).isObject() &&
                                     status().value(QStringLiteral("last_run")) != before &&
                                     tray().state() != TrayState::Syncing,
                                 480'000);
        QVERIFY2(status().value(QStringLiteral("last_run"))
                         .toObject()
                         .value(QStringLiteral("status"))
                         .toString() == QLatin1String("completed"),
                 QJsonDocument(status().value(QStringLiteral("last_run")).toObject()).toJson().constData());
        expectTrayShows(TrayState::Ok, QStringLiteral("tray-ok-again"));
    }

    void settingsChangeWhatTheyShow()
    {
        tray().action(QStringLiteral("open_settings"))->trigger();
        QVERIFY(m_shell->settings());
        odis::ui::SettingsWindow& settings = *m_shell->settings();
        QTRY_VERIFY(settings.isVisible());
        QVERIFY2(settings.loginText().contains(QStringLiteral("works")), qPrintable(settings.loginText()));
        QTest::qWait(300);
        saveWidgetShot(settings, QStringLiteral("settings"));
        QVERIFY2(unnamedControls(settings).isEmpty(), qPrintable(unnamedControls(settings).join(u' ')));
        QVERIFY2(keyboardProblems(settings).isEmpty(), qPrintable(keyboardReport(settings)));

        const QString userFile = m_world->userConfigFile();
        auto userConfig = [&userFile] {
            QFile f(userFile);
            return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                               : QJsonObject();
        };
        QVERIFY(settings.telemetry()->isEnabled() && settings.telemetry()->isChecked());
        settings.telemetry()->click();
        QCOMPARE(userConfig().value(QStringLiteral("telemetry")).toObject().value(QStringLiteral("enabled")),
                 QJsonValue(false));
        QVERIFY(settings.messageText().contains(QStringLiteral("next start")));
        settings.logLevel()->setCurrentIndex(settings.logLevel()->findData(QStringLiteral("warn")));
        QCOMPARE(userConfig().value(QStringLiteral("log_level")).toString(), QStringLiteral("warn"));
        // What the agent would read at its next start: the file still parses.
        QVERIFY(odis::agent::loadAgentConfig(odis::agent::AgentConfigPaths::defaults()));

        const bool autostartWas = odis::agent::Autostart::forCurrentUser().state().enabled;
        settings.autostart()->click();
        QCOMPARE(odis::agent::Autostart::forCurrentUser().state().enabled, !autostartWas);
        settings.autostart()->click();
        QCOMPARE(odis::agent::Autostart::forCurrentUser().state().enabled, autostartWas);

        const QString bundle = m_world->path(QStringLiteral("diagnostics.zip"));
        const QString said = settings.createDiagnostics(bundle);
        QVERIFY2(QFileInfo(bundle).size() > 0, qPrintable(said));
        QVERIFY2(said.contains(QStringLiteral("files")), qPrintable(said));
        settings.close();
    }

    void managedSettingsAreLocked()
    {
        odis::agent::AgentConfigPaths paths;
        paths.userFile = m_world->path(QStringLiteral("locked-user.json"));
        paths.managedFile = m_world->path(QStringLiteral("managed.json"));
        QFile managed(paths.managedFile);
        QVERIFY(managed.open(QIODevice::WriteOnly));
        managed.write(R"({"telemetry": {"enabled": false}})");
        managed.close();
        odis::ui::SettingsWindow settings(m_shell->agent(), m_shell->context(), m_shell->config(), paths);
        settings.show();
        QVERIFY(!settings.telemetry()->isEnabled());
        QVERIFY(settings.telemetry()->toolTip().contains(paths.managedFile));
        QVERIFY(settings.telemetry()->accessibleName().contains(QStringLiteral("set by your IT")));
        QVERIFY(settings.logLevel()->isEnabled()); // IT left that one to the user
        QTest::qWait(300);
        saveWidgetShot(settings, QStringLiteral("settings-managed"));
    }

    void noTrayOpensTheStatusWindow()
    {
        CHECKED(m_trayHost.stop());
        odis::ui::TrayOptions options;
        options.trayWait = std::chrono::milliseconds(600);
        options.trayRetry = std::chrono::milliseconds(200);
        odis::ui::TrayController fallback(m_shell->agent(), options);
        QSignalSpy shown(&fallback, &odis::ui::TrayController::statusWindowShown);
        QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, 30'000);
        QVERIFY(!fallback.trayIcon());
        odis::ui::StatusWindow* window = fallback.statusWindow();
        QVERIFY(window && window->isVisible());
        QCOMPARE(window->stateText(), QStringLiteral("Up to date"));
        // Its buttons are the menu's actions: pausing from the window reaches the agent.
        auto* pause1h = fallback.action(QStringLiteral("pause_1h"));
        pause1h->trigger();
        QTRY_COMPARE(fallback.state(), TrayState::Paused);
        QVERIFY(window->stateText().startsWith(QStringLiteral("Paused until ")));
        auto* resumeButton = window->findChild<QToolButton*>(QStringLiteral("button_resume"));
        QVERIFY(resumeButton && resumeButton->isEnabled());
        QVERIFY(!resumeButton->accessibleName().isEmpty());
        QVERIFY2(unnamedControls(*window).isEmpty(), qPrintable(unnamedControls(*window).join(u' ')));
        QTest::qWait(300);
        saveWidgetShot(*window, QStringLiteral("status-window"));
        QTest::mouseClick(resumeButton, Qt::LeftButton);
        QTRY_COMPARE(fallback.state(), TrayState::Ok);
        QVERIFY(fallback.lastStatus().value(QStringLiteral("paused_until")).isNull());
        QCOMPARE(window->stateText(), QStringLiteral("Up to date"));
    }

    void removeLoginFromSettings()
    {
        odis::ui::SettingsWindow& settings = m_shell->openSettings();
        settings.removeLogin();
        QTRY_VERIFY(settings.messageText().contains(QStringLiteral("was removed")));
        QCOMPARE(m_shell->context().credentials->status()->state,
                 odis::storage::CredentialState::NotConfigured);
        auto audited = m_shell->context().db().query(QStringLiteral(
            "SELECT outcome FROM audit_log WHERE actor = 'settings' AND action = 'credentials.deleted'"));
        QVERIFY(audited && audited->size() == 1);
        QCOMPARE(audited->first().at(0).toString(), QStringLiteral("removed"));
        settings.close();
    }

    void quitStopsTheAgent()
    {
        tray().action(QStringLiteral("quit"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_exitCode.has_value(), 60'000);
        QCOMPARE(*m_exitCode, 0);
    }

    // When a test failed before quitStopsTheAgent: the agent stops before the application does.
    void cleanupTestCase()
    {
        if (m_shell && !m_exitCode) {
            m_shell->agent().stop(QStringLiteral("test over"));
            QTRY_VERIFY_WITH_TIMEOUT(m_exitCode.has_value(), 60'000);
        }
    }
};

int main(int argc, char** argv)
{
    return guiTestMain<TrayTest>(argc, argv);
}

#include "tst_tray.moc"
