#include "ui/dashboard_figures.h"

#include <algorithm>

namespace odis::ui {

namespace {

bool inWindow(const QDate& d, const QDate& today, int days)
{
    return d.isValid() && d <= today && d > today.addDays(-days);
}

bool finishedVisit(const VisitFacts& v)
{
    return !v.removed && v.status == QLatin1String("completed");
}

bool endOfLife(const VisitFacts& v)
{
    return v.reason == QLatin1String("excluded:end_of_life") ||
           v.reason == QLatin1String("cancelled:end_of_life");
}

void share(Figure& f, int numerator, int denominator)
{
    f.numerator = numerator;
    f.denominator = denominator;
    if (denominator > 0)
        f.value = 100.0 * numerator / denominator;
}

} // namespace

DashboardFigures computeFigures(const QList<VisitFacts>& visits, const QList<RunFacts>& runs,
                                const QDate& today, int days)
{
    DashboardFigures f;
    int finishedRuns = 0;
    int goodRuns = 0;
    for (const RunFacts& r : runs) {
        if (!inWindow(r.localDate, today, days) || r.status == QLatin1String("running"))
            continue;
        ++finishedRuns;
        goodRuns += r.status == QLatin1String("completed") || r.status == QLatin1String("partial") ? 1 : 0;
    }
    share(f.syncSuccessRate, goodRuns, finishedRuns);

    int withNotes = 0;
    int uploaded = 0;
    int callable = 0;
    int planned = 0;
    QList<double> latencies;
    for (const VisitFacts& v : visits) {
        if (!inWindow(v.localDate, today, days) || !finishedVisit(v))
            continue;
        if (v.hasConsultation && v.hasNotes) {
            ++withNotes;
            if (v.notesUploaded) {
                ++uploaded;
                if (v.endUtc.isValid() && v.notesReadUtc.isValid())
                    latencies << std::max<qint64>(0, v.endUtc.secsTo(v.notesReadUtc)) / 3600.0;
            }
        }
        if (!endOfLife(v)) {
            ++callable;
            planned += v.decision == QLatin1String("planned") ? 1 : 0;
        }
    }
    share(f.notesCompleteness, uploaded, withNotes);
    share(f.dischargeCallRate, planned, callable);
    f.syncLatencyHours.denominator = static_cast<int>(latencies.size());
    if (!latencies.isEmpty()) {
        std::sort(latencies.begin(), latencies.end());
        const qsizetype n = latencies.size();
        f.syncLatencyHours.value =
            n % 2 == 1 ? latencies.at(n / 2) : (latencies.at(n / 2 - 1) + latencies.at(n / 2)) / 2.0;
    }
    return f;
}

QList<DayStats> dailyStats(const QList<RunFacts>& runs, const QDate& today, int days)
{
    QList<DayStats> out;
    for (int i = days - 1; i >= 0; --i)
        out.append(DayStats{today.addDays(-i)});
    for (const RunFacts& r : runs) {
        if (!inWindow(r.localDate, today, days) || r.status == QLatin1String("running"))
            continue;
        DayStats& d = out[days - 1 - static_cast<int>(r.localDate.daysTo(today))];
        const bool good = r.status == QLatin1String("completed") || r.status == QLatin1String("partial");
        (good ? d.runsSucceeded : d.runsFailed) += 1;
        if (good) {
            d.notesSynced += r.notesFound;
            d.callsPlanned += r.callsPlanned;
        }
    }
    return out;
}

CountAxis countAxis(qint64 largest, int maxIntervals)
{
    largest = std::max<qint64>(largest, 0);
    maxIntervals = std::max(maxIntervals, 1);
    // The smallest step of 1, 2 or 5 times a power of ten whose intervals, up to one above `largest`,
    // number at most maxIntervals.
    for (qint64 magnitude = 1;; magnitude *= 10) {
        for (const qint64 factor : {1, 2, 5}) {
            const qint64 step = factor * magnitude;
            const qint64 intervals = largest / step + 1;
            if (intervals <= maxIntervals)
                return CountAxis{intervals * step, step, static_cast<int>(intervals) + 1};
        }
    }
}

} // namespace odis::ui
