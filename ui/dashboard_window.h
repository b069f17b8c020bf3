#pragma once

// The dashboard: an overview (the seed's four figures against their targets, the chart of the last 14
// days), the last runs (start in the clinic's zone, trigger, status, duration, counts, the error in words),
// the discharge decisions searchable by patient, the failed queue with retry, and the active alerts with
// what to do. It reads the store and the agent's status; text that came from Neo is shown as plain text
// only (table items and plain-text labels), never rendered as HTML.

#include <QJsonObject>
#include <QWidget>

class QTabWidget;
class QTableWidget;
class QListWidget;

namespace odis {
class Clock;
}
namespace odis::storage {
class Database;
}
namespace odis::agent {
class ResidentAgent;
}

namespace odis::ui {

class DecisionsPanel;
class FailedPanel;
class OverviewPanel;

class DashboardWindow : public QWidget
{
    Q_OBJECT

public:
    DashboardWindow(agent::ResidentAgent& agent, storage::Database& db, const Clock& clock,
                    QWidget* parent = nullptr);

    // Reads the store and the agent's status again.
    void reload();
    // Shows the alerts tab with `alertCode`'s alert selected (when it is active).
    void showAlert(const QString& alertCode);

    [[nodiscard]] QTableWidget* runsTable() const { return m_runs; }
    [[nodiscard]] QListWidget* alertsList() const { return m_alerts; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    [[nodiscard]] OverviewPanel* overview() const { return m_overview; }
    [[nodiscard]] DecisionsPanel* decisions() const { return m_decisions; }
    [[nodiscard]] FailedPanel* failed() const { return m_failed; }

private:
    void loadRuns(const QJsonObject& status);
    void loadAlerts(const QJsonObject& status);
    void loadFacts(const QJsonObject& status);

    agent::ResidentAgent& m_agent;
    storage::Database& m_db;
    const Clock& m_clock;
    QTabWidget* m_tabs = nullptr;
    OverviewPanel* m_overview = nullptr;
    QTableWidget* m_runs = nullptr;
    DecisionsPanel* m_decisions = nullptr;
    FailedPanel* m_failed = nullptr;
    QListWidget* m_alerts = nullptr;
};

} // namespace odis::ui
