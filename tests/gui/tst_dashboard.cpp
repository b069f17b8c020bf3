// The dashboard (ui/dashboard_window.h) filled from a store that holds two simulated weeks: the real agent
// synced a 14-day clinic (seed 7) three times against both simulators; then odis-agent-ui's shell opens the
// dashboard in this process. The seed's four figures are computed here again, independently, from what the
// backend double holds (its items, observations and run reports), and must be what the dashboard shows.
// Search by patient; a patient name and a note holding markup (<img src=x onerror=...>) are shown as the
// characters they are. Screenshots of every page under build/test-artifacts/ui/.

#include "agent/agent_context.h"
#include "agent/resident/resident_agent.h"
#include "tests/e2e/e2e_checks.h"
#include "tests/e2e/resident_world.h"
#include "tests/gui/gui_session.h"
#include "ui/dashboard_window.h"
#include "ui/decisions_panel.h"
#include "ui/failed_panel.h"
#include "ui/overview_panel.h"
#include "ui/ui_shell.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimeZone>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace odis::test;

#define CHECKED(expr)                                                                                        \
    do {                                                                                                     \
        const auto _r = (expr);                                                                              \
        QVERIFY2(_r, qPrintable(_r ? QString() : _r.error().toString()));                                    \
    } while (false)

namespace {

// Evenings (19:00:30 in Los Angeles) of Thursday 12, Monday 16 and Sunday 22 March 2026: with 7 days of
// reconciliation, together they read every day from Monday 9 to Sunday 22.
const QList<QDateTime> kSyncTimes{
    QDateTime::fromString(QStringLiteral("2026-03-13T02:00:30Z"), Qt::ISODate),
    QDateTime::fromString(QStringLiteral("2026-03-17T02:00:30Z"), Qt::ISODate),
    QDateTime::fromString(QStringLiteral("2026-03-23T02:00:30Z"), Qt::ISODate),
};
const QDate kToday(2026, 3, 22);
const QDate kFirstDay = kToday.addDays(-13);
const QTimeZone kZone("America/Los_Angeles");

struct Expected
{
    int goodRuns = 0, finishedRuns = 0;
    int uploaded = 0, withNotes = 0;
    int planned = 0, callable = 0;
    double latencyHours = -1;
};

QString share(int n, int d)
{
    return QStringLiteral("%1 % (%2 of %3)").arg(100.0 * n / d, 0, 'f', 1).arg(n).arg(d);
}

} // namespace

class DashboardTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SyncWorld> m_world;
    std::unique_ptr<ResidentWorld> m_resident;
    odis::ui::UiShell* m_shell = nullptr;
    std::optional<int> m_exitCode;
    Expected m_expected;
    QHash<QString, QJsonObject> m_items; // the backend double's latest payload per key

    odis::ui::DashboardWindow& dashboard() { return *m_shell->dashboard(); }

    // The figures from the backend double's holdings, without the agent's code.
    void computeExpected()
    {
        const auto items = m_world->backendItems();
        QVERIFY(items);
        m_items = payloadsByKey(*items);
        const auto observations = m_world->backendObservations();
        QVERIFY(observations);
        QHash<QString, QDateTime> firstObserved;
        for (const QJsonValue v : *observations) {
            const QJsonObject o = v.toObject();
            const QString key = o.value(QStringLiteral("key")).toString();
            const QDateTime at =
                QDateTime::fromString(o.value(QStringLiteral("observed_at")).toString(), Qt::ISODateWithMs);
            if (!firstObserved.contains(key) || at < firstObserved.value(key))
                firstObserved.insert(key, at);
        }
        for (const QJsonValue v : m_world->backendAdmin("GET", QStringLiteral("/runs"))
                                      .json()
                                      .value(QStringLiteral("runs"))
                                      .toArray()) {
            const QJsonObject report = v.toObject().value(QStringLiteral("report")).toObject();
            const QString status = report.value(QStringLiteral("status")).toString();
            const QDate day = QDateTime::fromString(report.value(QStringLiteral("started_at")).toString(),
                                                    Qt::ISODateWithMs)
                                  .toTimeZone(kZone)
                                  .date();
            if (status == QLatin1String("running") || day < kFirstDay || day > kToday)
                continue;
            ++m_expected.finishedRuns;
            m_expected.goodRuns += status == QLatin1String("completed") || status == QLatin1String("partial");
        }
        QList<double> latencies;
        for (auto it = m_items.constBegin(); it != m_items.constEnd(); ++it) {
            if (!it.key().startsWith(QLatin1String("appointment:")))
                continue;
            const QJsonObject& a = it.value();
            const QDate date = QDate::fromString(a.value(QStringLiteral("date")).toString(), Qt::ISODate);
            if (date < kFirstDay || date > kToday || a.value(QStringLiteral("removed")).toBool() ||
                a.value(QStringLiteral("status")).toString() != QLatin1String("completed"))
                continue;
            const QString id = a.value(QStringLiteral("neo_appointment_id")).toVariant().toString();
            const QString reason = m_items.value(QStringLiteral("discharge_call:") + id)
                                       .value(QStringLiteral("reason"))
                                       .toString();
            if (!reason.endsWith(QLatin1String(":end_of_life"))) {
                ++m_expected.callable;
                m_expected.planned += m_items.value(QStringLiteral("discharge_call:") + id)
                                          .value(QStringLiteral("decision"))
                                          .toString() == QLatin1String("planned");
            }
            const QJsonValue consultationId = a.value(QStringLiteral("neo_consultation_id"));
            const QString consultationKey =
                QStringLiteral("consultation:") + consultationId.toVariant().toString();
            if (consultationId.isNull() || !m_items.contains(consultationKey) ||
                !m_items.value(consultationKey).value(QStringLiteral("has_notes")).toBool())
                continue;
            ++m_expected.withNotes;
            ++m_expected.uploaded; // the backend holds it: acknowledged
            const QDateTime end(
                date,
                QTime::fromString(a.value(QStringLiteral("end_time")).toString(), QStringLiteral("HH:mm")),
                QTimeZone(a.value(QStringLiteral("timezone")).toString().toUtf8()));
            latencies << std::max<qint64>(0, end.secsTo(firstObserved.value(consultationKey))) / 3600.0;
        }
        std::sort(latencies.begin(), latencies.end());
        const qsizetype n = latencies.size();
        QVERIFY(n > 20);
        m_expected.latencyHours =
            n % 2 ? latencies.at(n / 2) : (latencies.at(n / 2 - 1) + latencies.at(n / 2)) / 2;
    }

private Q_SLOTS:
    void initTestCase()
    {
        WorldOptions options;
        options.days = 14;
        auto world = SyncWorld::create(options);
        QVERIFY2(world.has_value(), qPrintable(world ? QString() : world.error().toString()));
        m_world = std::move(*world);
        CHECKED(m_world->install());
        m_resident = std::make_unique<ResidentWorld>(*m_world);
        CHECKED(m_resident->startClock(kSyncTimes.first()));
        for (const QDateTime& at : kSyncTimes) {
            CHECKED(m_resident->setNow(at));
            const AgentRun run = m_world->sync();
            QVERIFY2(run.finished && run.exitCode == 0, run.describe().constData());
        }
        expectGroundTruth(*m_world, "after two weeks");
        computeExpected();

        QProcessEnvironment extra;
        extra.insert(QStringLiteral("ODIS_TEST_CLOCK_FILE"),
                     m_world->path(QStringLiteral("test-clock.json")));
        extra.insert(QStringLiteral("ODIS_TEST_HEARTBEAT_MS"), QStringLiteral("600000"));
        const QProcessEnvironment env = m_world->agentEnvironment(extra);
        for (const QString& key : env.keys())
            qputenv(key.toLocal8Bit().constData(), env.value(key).toLocal8Bit());
        odis::ui::UiOptions ui;
        ui.tray.trayWait = std::chrono::milliseconds(0); // no tray host here: the status window at once
        odis::ui::runAgentWithUi(
            {}, [this](int code) { m_exitCode = code; }, ui,
            [this](odis::ui::UiShell& shell) { m_shell = &shell; });
        QTRY_VERIFY_WITH_TIMEOUT(m_shell != nullptr || m_exitCode, 120'000);
        QVERIFY2(m_shell, "the agent did not start");
        m_shell->openDashboard();
        QTRY_VERIFY(dashboard().isVisible());
    }

    void figuresEqualTheIndependentOnes()
    {
        odis::ui::OverviewPanel* overview = dashboard().overview();
        dashboard().tabs()->setCurrentWidget(overview);
        QTest::qWait(300);
        saveWidgetShot(dashboard(), QStringLiteral("dashboard-overview"));
        QVERIFY2(unnamedControls(dashboard()).isEmpty(), qPrintable(unnamedControls(dashboard()).join(u' ')));
        QVERIFY(m_expected.finishedRuns >= 3);
        QVERIFY2(overview->figureText(QStringLiteral("figure_sync_success"))
                     .contains(share(m_expected.goodRuns, m_expected.finishedRuns)),
                 qPrintable(overview->figureText(QStringLiteral("figure_sync_success"))));
        QVERIFY2(overview->figureText(QStringLiteral("figure_notes_completeness"))
                     .contains(share(m_expected.uploaded, m_expected.withNotes)),
                 qPrintable(overview->figureText(QStringLiteral("figure_notes_completeness"))));
        QVERIFY2(overview->figureText(QStringLiteral("figure_call_rate"))
                     .contains(share(m_expected.planned, m_expected.callable)),
                 qPrintable(overview->figureText(QStringLiteral("figure_call_rate")) +
                            QStringLiteral(" expected ") + share(m_expected.planned, m_expected.callable)));
        static const QRegularExpression hours(QStringLiteral(": ([0-9.]+) h "));
        const QString latency = overview->figureText(QStringLiteral("figure_latency"));
        const auto match = hours.match(latency);
        QVERIFY2(match.hasMatch(), qPrintable(latency));
        // The backend double's observed_at is the read's instant, the store's first_seen_at when it was kept:
        // the same run, seconds apart.
        QVERIFY2(
            std::abs(match.captured(1).toDouble() - m_expected.latencyHours) <= 0.1,
            qPrintable(latency + QStringLiteral(" expected ") + QString::number(m_expected.latencyHours)));
        for (const char* name : {"figure_sync_success", "figure_notes_completeness", "figure_call_rate"})
            QVERIFY2(overview->figureText(QString::fromLatin1(name)).contains(QStringLiteral("target above")),
                     name);
        // The chart's two count axes (runs; notes and calls) tick on whole numbers only: labels such as
        // "0 0 1 1 2" are what a plain range gave.
        const QList<QAbstractAxis*> axes = overview->chartView()->chart()->axes(Qt::Vertical);
        QCOMPARE(axes.size(), 2);
        for (QAbstractAxis* axis : axes) {
            const auto* counts = qobject_cast<QValueAxis*>(axis);
            QVERIFY(counts);
            const double interval = (counts->max() - counts->min()) / (counts->tickCount() - 1);
            QVERIFY2(counts->min() == 0 && interval >= 1 && interval == std::floor(interval),
                     qPrintable(counts->titleText() + QStringLiteral(": ") + QString::number(counts->max()) +
                                QStringLiteral(" in ") + QString::number(counts->tickCount()) +
                                QStringLiteral(" ticks")));
        }
    }

    void runsAreListed()
    {
        QTableWidget* runs = dashboard().runsTable();
        QCOMPARE(runs->rowCount(), kSyncTimes.size());
        for (int r = 0; r < runs->rowCount(); ++r)
            QCOMPARE(runs->item(r, 2)->text(), QStringLiteral("completed"));
        // Newest first, in the clinic's zone.
        QVERIFY2(runs->item(0, 0)->text().startsWith(QStringLiteral("Sun 22 Mar, 19:0")),
                 qPrintable(runs->item(0, 0)->text()));
        dashboard().tabs()->setCurrentWidget(runs);
        QTest::qWait(200);
        saveWidgetShot(dashboard(), QStringLiteral("dashboard-runs-two-weeks"));
        QVERIFY2(unnamedControls(dashboard()).isEmpty(), qPrintable(unnamedControls(dashboard()).join(u' ')));
    }

    void searchByPatient()
    {
        odis::ui::DecisionsPanel* panel = dashboard().decisions();
        dashboard().tabs()->setCurrentWidget(panel);
        const int all = panel->table()->rowCount();
        QVERIFY(all > 50);
        // A patient's name the backend holds for a decided visit in the window: the first by key (the same
        // every run) that the keyboard types as it is (QTest types ASCII only; other names are searched
        // by pasting them, below).
        QStringList keys = m_items.keys();
        keys.sort();
        QString name;
        QString otherName; // one with letters beyond ASCII, when the clinic has one
        for (const QString& key : std::as_const(keys)) {
            if (!key.startsWith(QLatin1String("appointment:")) ||
                !m_items.contains(QStringLiteral("discharge_call:") + key.mid(12)))
                continue;
            const QString n = m_items.value(key)
                                  .value(QStringLiteral("patient"))
                                  .toObject()
                                  .value(QStringLiteral("name"))
                                  .toString();
            const bool ascii = std::all_of(n.cbegin(), n.cend(), [](QChar c) { return c.unicode() < 127; });
            if (ascii && name.isEmpty() && !n.isEmpty())
                name = n;
            if (!ascii && otherName.isEmpty())
                otherName = n;
        }
        QVERIFY(!name.isEmpty());
        int expected = 0;
        for (auto it = m_items.constBegin(); it != m_items.constEnd(); ++it) {
            if (!it.key().startsWith(QLatin1String("appointment:")) ||
                !m_items.contains(QStringLiteral("discharge_call:") + it.key().mid(12)))
                continue;
            const QJsonObject& a = it.value();
            const QDate date = QDate::fromString(a.value(QStringLiteral("date")).toString(), Qt::ISODate);
            const QJsonObject client = a.value(QStringLiteral("client")).toObject();
            const QString clientName = client.value(QStringLiteral("first_name")).toString() + u' ' +
                                       client.value(QStringLiteral("last_name")).toString();
            if (date >= kFirstDay && date <= kToday &&
                (a.value(QStringLiteral("patient"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString()
                     .contains(name.toLower(), Qt::CaseInsensitive) ||
                 clientName.contains(name.toLower(), Qt::CaseInsensitive)))
                ++expected;
        }
        QTest::keyClicks(panel->searchField(), name.toLower());
        QCOMPARE(panel->table()->rowCount(), expected);
        for (int r = 0; r < panel->table()->rowCount(); ++r)
            QVERIFY(panel->table()->item(r, 1)->text().contains(name, Qt::CaseInsensitive) ||
                    panel->table()->item(r, 2)->text().contains(name, Qt::CaseInsensitive));
        panel->table()->selectRow(0);
        QVERIFY(panel->details()->toPlainText().startsWith(QStringLiteral("Decision: ")));
        QTest::qWait(200);
        saveWidgetShot(dashboard(), QStringLiteral("dashboard-decisions-search"));
        QVERIFY2(unnamedControls(dashboard()).isEmpty(), qPrintable(unnamedControls(dashboard()).join(u' ')));
        panel->searchField()->clear();
        QCOMPARE(panel->table()->rowCount(), all);
        if (!otherName.isEmpty()) {
            panel->searchField()->setText(otherName);
            QVERIFY2(panel->table()->rowCount() >= 1, qPrintable(otherName));
            for (int r = 0; r < panel->table()->rowCount(); ++r)
                QVERIFY(panel->table()->item(r, 1)->text().contains(otherName, Qt::CaseInsensitive) ||
                        panel->table()->item(r, 2)->text().contains(otherName, Qt::CaseInsensitive));
            panel->searchField()->clear();
        }
    }

    void markupFromNeoIsShownAsText()
    {
        // A patient name and a note holding markup, as a hostile or careless entry in Neo would carry them.
        const QString markup = QStringLiteral("<img src=x onerror=alert(1)>");
        odis::storage::Database& db = m_shell->context().db();
        // A visit of two days ago with a decision and a consultation read from Neo.
        auto rows =
            db.query(QStringLiteral("SELECT a.key, a.payload FROM observations a JOIN discharge_decisions d "
                                    "ON a.key = 'appointment:' || d.appointment_id "
                                    "WHERE a.kind = 'appointment' AND a.local_date = ? ORDER BY a.key"),
                     {kToday.addDays(-2).toString(Qt::ISODate)});
        QVERIFY(rows && !rows->isEmpty());
        QVariant appointmentKey;
        QJsonObject appointment;
        QString consultationKey;
        std::optional<QList<QVariantList>> consultation;
        for (const QVariantList& row : std::as_const(*rows)) {
            appointment = QJsonDocument::fromJson(row.at(1).toString().toUtf8()).object();
            const QJsonValue id = appointment.value(QStringLiteral("neo_consultation_id"));
            if (id.isNull() || id.isUndefined())
                continue;
            consultationKey = QStringLiteral("consultation:") + id.toVariant().toString();
            auto found =
                db.query(QStringLiteral("SELECT payload FROM observations WHERE key = ?"), {consultationKey});
            QVERIFY(found);
            if (found->size() == 1) {
                appointmentKey = row.at(0);
                consultation = *found;
                break;
            }
        }
        QVERIFY2(consultation, "no visit of two days ago has a consultation");
        QJsonObject patient = appointment.value(QStringLiteral("patient")).toObject();
        patient.insert(QStringLiteral("name"), QString(QStringLiteral("Rex ") + markup));
        appointment.insert(QStringLiteral("patient"), patient);
        CHECKED(db.execute(
            QStringLiteral("UPDATE observations SET payload = ? WHERE key = ?"),
            {QString::fromUtf8(QJsonDocument(appointment).toJson(QJsonDocument::Compact)), appointmentKey}));
        QJsonObject c = QJsonDocument::fromJson(consultation->first().at(0).toString().toUtf8()).object();
        c.insert(QStringLiteral("notes_text"),
                 QString(QStringLiteral("Seen today. ") + markup + QStringLiteral(" <b>bold</b>")));
        CHECKED(db.execute(
            QStringLiteral("UPDATE observations SET payload = ? WHERE key = ?"),
            {QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact)), consultationKey}));

        dashboard().reload();
        odis::ui::DecisionsPanel* panel = dashboard().decisions();
        dashboard().tabs()->setCurrentWidget(panel);
        panel->searchField()->setText(QStringLiteral("onerror"));
        QCOMPARE(panel->table()->rowCount(), 1);
        QCOMPARE(panel->table()->item(0, 1)->text(), QStringLiteral("Rex ") + markup);
        panel->table()->selectRow(0);
        QVERIFY2(panel->details()->toPlainText().contains(QStringLiteral("Seen today. ") + markup +
                                                          QStringLiteral(" <b>bold</b>")),
                 qPrintable(panel->details()->toPlainText()));
        QTest::qWait(200);
        saveWidgetShot(dashboard(), QStringLiteral("dashboard-markup-as-text"));
        panel->searchField()->clear();
    }

    void failedQueueAndAlerts()
    {
        dashboard().tabs()->setCurrentWidget(dashboard().failed());
        QCOMPARE(dashboard().failed()->table()->rowCount(), 0); // nothing was rejected
        QTest::qWait(200);
        saveWidgetShot(dashboard(), QStringLiteral("dashboard-failed"));
        QVERIFY2(unnamedControls(dashboard()).isEmpty(), qPrintable(unnamedControls(dashboard()).join(u' ')));
        dashboard().showAlert({});
        QCOMPARE(dashboard().tabs()->currentWidget(), dashboard().alertsList());
        QCOMPARE(dashboard().alertsList()->count(), 1);
        QVERIFY(dashboard().alertsList()->item(0)->text().startsWith(QStringLiteral("No alerts")));
        QTest::qWait(200);
        saveWidgetShot(dashboard(), QStringLiteral("dashboard-alerts"));
    }

    // Every section by keyboard alone: from the section tabs (the arrow keys choose one), Tab reaches each
    // control of the section in reading order, each named, and comes back to the tabs.
    void everySectionByKeyboard()
    {
        QTabWidget* tabs = dashboard().tabs();
        QTabBar* bar = tabs->tabBar();
        tabs->setCurrentIndex(0);
        bar->setFocus(Qt::TabFocusReason);
        for (int i = 0; i < tabs->count(); ++i) {
            if (i > 0)
                QTest::keyClick(bar, Qt::Key_Right);
            QCOMPARE(tabs->currentIndex(), i);
            QTest::qWait(50);
            QStringList walk;
            QVERIFY2(keyboardProblems(dashboard(), &walk).isEmpty(),
                     qPrintable(tabs->tabText(i) + u'\n' + keyboardReport(dashboard())));
            QVERIFY2(!walk.isEmpty() && walk.first().startsWith(QStringLiteral("QTabBar")),
                     qPrintable(walk.join(QStringLiteral(" > "))));
            QCOMPARE(dashboard().focusWidget(), bar); // round again
        }
    }

    void cleanupTestCase()
    {
        if (m_shell) {
            m_shell->agent().stop(QStringLiteral("test over"));
            QTRY_VERIFY_WITH_TIMEOUT(m_exitCode.has_value(), 60'000);
        }
    }
};

int main(int argc, char** argv)
{
    return guiTestMain<DashboardTest>(argc, argv);
}

#include "tst_dashboard.moc"
