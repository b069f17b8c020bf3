#pragma once

// The dashboard's first page: the seed's four figures against their targets and the chart of the last 14
// days (runs succeeded and failed, notes synced, calls planned).

#include "ui/dashboard_figures.h"

#include <QWidget>

class QLabel;
class QChartView;

namespace odis::ui {

class OverviewPanel : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewPanel(QWidget* parent = nullptr);

    void display(const DashboardFigures& figures, const QList<DayStats>& days);

    // The figure's line as shown ("Sync success rate: 96.2 % (target above 95 %)").
    [[nodiscard]] QString figureText(const QString& name) const;
    [[nodiscard]] QChartView* chartView() const { return m_chart; }

private:
    QLabel* m_success = nullptr;
    QLabel* m_completeness = nullptr;
    QLabel* m_callRate = nullptr;
    QLabel* m_latency = nullptr;
    QChartView* m_chart = nullptr;
};

// "96.2 %", "3.1 h", or "not enough data yet".
[[nodiscard]] QString figureValueText(const Figure& figure, bool hours = false);

} // namespace odis::ui
