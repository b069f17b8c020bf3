#pragma once

// The seed's four figures and the chart's days, worked out from facts read from the store
// (dashboard_store.h). Pure (Qt Core): the test computes the same figures its own way and compares.
//
// Over the last `days` clinic-local days, today included:
// - sync success rate: finished runs started in the window that completed or were partial, over all
//   finished runs started in it (target above 95 %);
// - notes completeness: finished visits (status completed, not removed) whose consultation has notes in
//   Neo and whose notes the backend acknowledged, over finished visits whose consultation has notes
//   (docs/discharge-rules.md, "Figures"; target above 90 %);
// - discharge call rate: finished visits with a planned call, over finished visits not excluded or
//   cancelled for an end of life (cancelled and no-show visits are not finished; target above 80 %);
// - sync latency: the median, over finished visits whose notes were uploaded, of the time from the visit's
//   end to the agent's first read of its notes (target under 4 h).
// A figure with nothing to count has no value ("not enough data yet"), never 0 % or 100 %.

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace odis::ui {

struct VisitFacts
{
    QString appointmentId;
    QDate localDate;
    QDateTime endUtc; // invalid when the visit's end is unknown
    QString status;   // the appointment's status on the wire (completed, no_show, ...)
    bool removed = false;
    bool hasConsultation = false;
    bool hasNotes = false;      // its consultation has notes in Neo
    bool notesUploaded = false; // the backend acknowledged that consultation's newest version
    QDateTime notesReadUtc;     // when the agent first read the consultation
    QString decision;           // planned, waiting_for_notes, excluded, cancelled; empty: none
    QString reason;             // excluded:end_of_life, ...
};

struct RunFacts
{
    QDate localDate; // the clinic-local day the run started
    QString status;  // running, completed, partial, failed, interrupted
    qint64 notesFound = 0;
    qint64 callsPlanned = 0;
};

struct Figure
{
    std::optional<double> value; // percent, or hours for the latency
    double target = 0;
    bool higherIsBetter = true;
    int numerator = 0;
    int denominator = 0;

    [[nodiscard]] bool meetsTarget() const
    {
        return value && (higherIsBetter ? *value > target : *value < target);
    }
};

struct DashboardFigures
{
    Figure syncSuccessRate{std::nullopt, 95.0, true};
    Figure notesCompleteness{std::nullopt, 90.0, true};
    Figure dischargeCallRate{std::nullopt, 80.0, true};
    Figure syncLatencyHours{std::nullopt, 4.0, false};
};

struct DayStats
{
    QDate day;
    int runsSucceeded = 0;
    int runsFailed = 0;
    qint64 notesSynced = 0;
    qint64 callsPlanned = 0;
};

inline constexpr int kDashboardDays = 14;

// A value axis for counts: whole-number ticks only (a step of 1, 2 or 5 times a power of ten), at most
// `maxIntervals` intervals, and a top above the largest value so that a bar or a line never touches the
// frame. A plain range with Qt's default five ticks labels 0..2 as "0 0 1 1 2".
struct CountAxis
{
    qint64 top = 1;
    qint64 step = 1;
    int tickCount = 2; // ticks including 0 and top
};
[[nodiscard]] CountAxis countAxis(qint64 largest, int maxIntervals = 5);

[[nodiscard]] DashboardFigures computeFigures(const QList<VisitFacts>& visits, const QList<RunFacts>& runs,
                                              const QDate& today, int days = kDashboardDays);
// One entry per day of the window, oldest first (days without runs included, at zero).
[[nodiscard]] QList<DayStats> dailyStats(const QList<RunFacts>& runs, const QDate& today,
                                         int days = kDashboardDays);

} // namespace odis::ui
