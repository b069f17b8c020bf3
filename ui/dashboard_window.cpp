#include "ui/dashboard_window.h"

#include "agent/resident/resident_agent.h"
#include "agent/run/run_log.h"
#include "storage/clock.h"
#include "ui/alert_advice.h"
#include "ui/dashboard_store.h"
#include "ui/decisions_panel.h"
#include "ui/failed_panel.h"
#include "ui/overview_panel.h"
#include "ui/tray_icons.h"
#include "ui/tray_state.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QListWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

namespace odis::ui {

namespace {

QString runStatusText(agent::RunStatus status)
{
    switch (status) {
    case agent::RunStatus::Running:
        return DashboardWindow::tr("running");
    case agent::RunStatus::Completed:
        return DashboardWindow::tr("completed");
    case agent::RunStatus::Partial:
        return DashboardWindow::tr("partial");
    case agent::RunStatus::Failed:
        return DashboardWindow::tr("failed");
    case agent::RunStatus::Interrupted:
        return DashboardWindow::tr("interrupted");
    }
    return {};
}

QString triggerText(agent::RunTrigger trigger)
{
    switch (trigger) {
    case agent::RunTrigger::Schedule:
        return DashboardWindow::tr("scheduled");
    case agent::RunTrigger::Manual:
        return DashboardWindow::tr("Sync now");
    case agent::RunTrigger::Remote:
        return DashboardWindow::tr("by Odis");
    case agent::RunTrigger::CatchUp:
        return DashboardWindow::tr("catch-up");
    case agent::RunTrigger::Startup:
        return DashboardWindow::tr("at start");
    }
    return {};
}

QString durationText(const agent::RunRecord& run)
{
    if (!run.durationMs)
        return QStringLiteral("–");
    const qint64 s = (*run.durationMs + 500) / 1000;
    return s >= 60 ? DashboardWindow::tr("%1 min %2 s").arg(s / 60).arg(s % 60)
                   : DashboardWindow::tr("%1 s").arg(s);
}

QTableWidgetItem* cell(const QString& text)
{
    auto* item = new QTableWidgetItem(text); // a table item is plain text, never HTML
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

} // namespace

DashboardWindow::DashboardWindow(agent::ResidentAgent& agent, storage::Database& db, const Clock& clock,
                                 QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_agent(agent)
    , m_db(db)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("dashboard"));
    setWindowTitle(tr("Odis Clinic Agent: dashboard"));
    setWindowIcon(appIcon());
    setAccessibleName(tr("Dashboard"));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setAccessibleName(tr("Dashboard sections"));

    m_overview = new OverviewPanel(this);
    m_tabs->addTab(m_overview, tr("&Overview"));

    m_runs = new QTableWidget(0, 6, this);
    m_runs->setObjectName(QStringLiteral("runs"));
    m_runs->setAccessibleName(tr("Last sync runs"));
    m_runs->setHorizontalHeaderLabels(
        {tr("Started"), tr("Trigger"), tr("Status"), tr("Duration"), tr("Counts"), tr("Problem")});
    m_runs->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runs->horizontalHeader()->setStretchLastSection(true);
    m_runs->verticalHeader()->hide();
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Tab leaves the table (the arrow keys move between its cells): a keyboard user is not walked through
    // every cell of every row.
    m_runs->setTabKeyNavigation(false);
    m_tabs->addTab(m_runs, tr("&Runs"));

    m_decisions = new DecisionsPanel(this);
    m_tabs->addTab(m_decisions, tr("&Decisions"));

    m_failed = new FailedPanel(m_db, m_clock, this);
    m_tabs->addTab(m_failed, tr("&Failed queue"));

    m_alerts = new QListWidget(this);
    m_alerts->setObjectName(QStringLiteral("alerts"));
    m_alerts->setAccessibleName(tr("Active alerts"));
    m_alerts->setWordWrap(true);
    m_alerts->setSpacing(6);
    m_tabs->addTab(m_alerts, tr("&Alerts"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    resize(1000, 620);

    connect(&m_agent, &agent::ResidentAgent::changed, this, [this] {
        if (isVisible())
            reload();
    });
    reload();
}

void DashboardWindow::reload()
{
    const QJsonObject status = m_agent.status();
    loadFacts(status);
    loadRuns(status);
    m_failed->reload();
    loadAlerts(status);
}

void DashboardWindow::loadFacts(const QJsonObject& status)
{
    const QTimeZone zone(status.value(QStringLiteral("clinic_timezone")).toString().toUtf8());
    const QDateTime now =
        QDateTime::fromString(status.value(QStringLiteral("now")).toString(), Qt::ISODateWithMs);
    auto facts = readDashboardFacts(m_db, zone, now.isValid() ? now : m_clock.nowUtc());
    if (!facts) {
        spdlog::warn("dashboard: the store could not be read ({})", facts.error().code.toStdString());
        return;
    }
    m_overview->display(computeFigures(facts->visits, facts->runs, facts->today),
                        dailyStats(facts->runs, facts->today));
    m_decisions->display(facts->decisions, zone);
}

void DashboardWindow::loadRuns(const QJsonObject& status)
{
    auto runs = agent::RunLog(m_db, m_clock).lastRuns(50);
    if (!runs) {
        spdlog::warn("dashboard: runs not read ({})", runs.error().code.toStdString());
        return;
    }
    m_runs->setRowCount(static_cast<int>(runs->size()));
    int row = 0;
    for (const agent::RunRecord& run : *runs) {
        const auto& c = run.counts;
        m_runs->setItem(row, 0,
                        cell(clinicTimeText(status, run.startedAt.toUTC().toString(Qt::ISODateWithMs))));
        m_runs->setItem(row, 1, cell(triggerText(run.trigger)));
        m_runs->setItem(row, 2, cell(runStatusText(run.status)));
        m_runs->setItem(row, 3, cell(durationText(run)));
        m_runs->setItem(row, 4,
                        cell(tr("%1 visits, %2 notes, %3 calls planned, %4 uploaded")
                                 .arg(c.appointmentsSeen)
                                 .arg(c.notesFound)
                                 .arg(c.callsPlanned)
                                 .arg(c.itemsUploaded)));
        m_runs->setItem(row, 5, cell(run.error ? run.error->message : QString()));
        ++row;
    }
}

void DashboardWindow::loadAlerts(const QJsonObject& status)
{
    m_alerts->clear();
    const QJsonArray alerts = status.value(QStringLiteral("alerts")).toArray();
    if (alerts.isEmpty()) {
        auto* none = new QListWidgetItem(tr("No alerts: everything works as it should."), m_alerts);
        none->setFlags(Qt::ItemIsEnabled);
        return;
    }
    for (const QJsonValue v : alerts) {
        const QJsonObject a = v.toObject();
        const QString code = a.value(QStringLiteral("code")).toString();
        auto* item = new QListWidgetItem(m_alerts);
        item->setText(alertTitle(code) + u'\n' + a.value(QStringLiteral("message")).toString() + u'\n' +
                      alertAdvice(code));
        item->setData(Qt::UserRole, code);
        item->setData(Qt::AccessibleTextRole, item->text());
    }
}

void DashboardWindow::showAlert(const QString& alertCode)
{
    reload();
    m_tabs->setCurrentWidget(m_alerts);
    for (int i = 0; i < m_alerts->count(); ++i) {
        if (m_alerts->item(i)->data(Qt::UserRole).toString() == alertCode)
            m_alerts->setCurrentRow(i);
    }
}

} // namespace odis::ui
