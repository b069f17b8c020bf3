#include "ui/overview_panel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace odis::ui {

namespace {

QLabel* figureLabel(QWidget* parent, const QString& name)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setFocusPolicy(Qt::TabFocus); // reachable with the keyboard, read by screen readers
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    label->setFont(f);
    return label;
}

void showFigure(QLabel* label, const QString& title, const Figure& figure, bool hours)
{
    const QString target = hours ? OverviewPanel::tr("under %1 h").arg(figure.target)
                                 : OverviewPanel::tr("above %1 %").arg(figure.target);
    const QString verdict = !figure.value          ? QString()
                            : figure.meetsTarget() ? OverviewPanel::tr(" – on target")
                                                   : OverviewPanel::tr(" – below target");
    label->setText(OverviewPanel::tr("%1: %2 (target %3)%4")
                       .arg(title, figureValueText(figure, hours), target, verdict));
    label->setAccessibleName(label->text());
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, !figure.value          ? p.color(QPalette::PlaceholderText)
                                     : figure.meetsTarget() ? QColor(0x13, 0x73, 0x33)
                                                            : QColor(0xb3, 0x26, 0x1e));
    label->setPalette(p);
}

} // namespace

QString figureValueText(const Figure& figure, bool hours)
{
    if (!figure.value)
        return OverviewPanel::tr("not enough data yet");
    return hours ? OverviewPanel::tr("%1 h").arg(*figure.value, 0, 'f', 1)
                 : OverviewPanel::tr("%1 % (%2 of %3)")
                       .arg(*figure.value, 0, 'f', 1)
                       .arg(figure.numerator)
                       .arg(figure.denominator);
}

OverviewPanel::OverviewPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("overview"));
    setAccessibleName(tr("Overview"));
    m_success = figureLabel(this, QStringLiteral("figure_sync_success"));
    m_completeness = figureLabel(this, QStringLiteral("figure_notes_completeness"));
    m_callRate = figureLabel(this, QStringLiteral("figure_call_rate"));
    m_latency = figureLabel(this, QStringLiteral("figure_latency"));
    m_chart = new QChartView(this);
    m_chart->setObjectName(QStringLiteral("chart"));
    m_chart->setAccessibleName(tr("Chart of the last 14 days"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(320);

    auto* figures = new QGridLayout;
    figures->addWidget(m_success, 0, 0);
    figures->addWidget(m_completeness, 0, 1);
    figures->addWidget(m_callRate, 1, 0);
    figures->addWidget(m_latency, 1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(figures);
    layout->addWidget(m_chart, 1);
}

void OverviewPanel::display(const DashboardFigures& f, const QList<DayStats>& days)
{
    showFigure(m_success, tr("Sync success rate"), f.syncSuccessRate, false);
    showFigure(m_completeness, tr("Notes completeness"), f.notesCompleteness, false);
    showFigure(m_callRate, tr("Discharge call rate"), f.dischargeCallRate, false);
    showFigure(m_latency, tr("Sync latency (median)"), f.syncLatencyHours, true);

    auto* chart = new QChart;
    chart->setTitle(tr("Last 14 days"));
    auto* succeeded = new QBarSet(tr("Runs succeeded"));
    succeeded->setColor(QColor(0x1e, 0x8e, 0x3e));
    auto* failed = new QBarSet(tr("Runs failed"));
    failed->setColor(QColor(0xd9, 0x30, 0x25));
    auto* notes = new QLineSeries;
    notes->setName(tr("Notes synced"));
    auto* calls = new QLineSeries;
    calls->setName(tr("Calls planned"));
    QStringList categories;
    qint64 maxCount = 1;
    int maxRuns = 1;
    for (int i = 0; i < days.size(); ++i) {
        const DayStats& d = days.at(i);
        categories << d.day.toString(QStringLiteral("d MMM"));
        *succeeded << d.runsSucceeded;
        *failed << d.runsFailed;
        notes->append(i, static_cast<qreal>(d.notesSynced));
        calls->append(i, static_cast<qreal>(d.callsPlanned));
        maxCount = std::max({maxCount, d.notesSynced, d.callsPlanned});
        maxRuns = std::max({maxRuns, d.runsSucceeded, d.runsFailed});
    }
    auto* bars = new QBarSeries;
    bars->append(succeeded);
    bars->append(failed);
    chart->addSeries(bars);
    chart->addSeries(notes);
    chart->addSeries(calls);
    auto* axisX = new QBarCategoryAxis;
    axisX->append(categories);
    chart->addAxis(axisX, Qt::AlignBottom);
    auto* axisRuns = new QValueAxis;
    axisRuns->setTitleText(tr("Runs"));
    const CountAxis runsScale = countAxis(maxRuns);
    axisRuns->setRange(0, static_cast<qreal>(runsScale.top));
    axisRuns->setTickCount(runsScale.tickCount);
    axisRuns->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(axisRuns, Qt::AlignLeft);
    auto* axisCounts = new QValueAxis;
    axisCounts->setTitleText(tr("Notes and calls"));
    const CountAxis countsScale = countAxis(maxCount);
    axisCounts->setRange(0, static_cast<qreal>(countsScale.top));
    axisCounts->setTickCount(countsScale.tickCount);
    axisCounts->setLabelFormat(QStringLiteral("%d"));
    axisCounts->setGridLineVisible(false); // one grid, the runs axis's: two unaligned grids read as noise
    chart->addAxis(axisCounts, Qt::AlignRight);
    bars->attachAxis(axisX);
    bars->attachAxis(axisRuns);
    for (QLineSeries* line : {notes, calls}) {
        line->attachAxis(axisX);
        line->attachAxis(axisCounts);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    QChart* old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

QString OverviewPanel::figureText(const QString& name) const
{
    const auto* label = findChild<QLabel*>(name);
    return label ? label->text() : QString();
}

} // namespace odis::ui
