#pragma once

// The figures of a simulated clinic month (issue 16, item 1), computed from what the test itself recorded
// and from the Neo simulator's ground truth and note timeline: never from the agent's store. Pure functions
// over JSON, so that what they count can be read in one place.

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace odis::test {

// One run of the resident agent as the test saw it (its status once the run had ended), with the agent's
// memory and its files' sizes right after it.
struct RunSample
{
    QDateTime at; // the simulated instant the run started at (the test clock stands still during a run)
    QString runId;
    QString trigger;
    QString status;         // completed, partial, failed, interrupted
    bool disturbed = false; // the backend was down, or the machine had just slept
    qint64 rssKb = 0;       // the resident agent's VmRSS
    qint64 pssKb = 0;       // and its proportional set size (smaps_rollup)
    qint64 storeBytes = 0;  // agent.db plus its -wal
    qint64 logBytes = 0;    // the logs folder
};

struct MonthRecord
{
    quint32 seed = 0;
    int days = 0;
    QDateTime start;
    QDateTime lastRunAt; // the last run of the month proper (faults on)
    QList<RunSample> runs;
    // consultation id -> the first instant (a run's or a delivery-only attempt's) after which the backend
    // held its notes
    QHash<QString, QDateTime> notesAckedAt;
    QJsonArray noteTimes;              // Neo's GET /__admin/note-times
    QJsonObject truthAtLastRun;        // ground truth for the recorded sync times, at lastRunAt
    QJsonArray itemsAtLastRun;         // the backend double's items then
    int differencesAfterCleanRun = -1; // truth vs backend after a clean run at the end
    QStringList differencesSample;     // the first of them, for a failure message
    qint64 duplicates = -1;            // the backend double's duplicate count at the end
    qint64 rejectedItems = -1;
    int sessionExpiries = 0;
    int sessionExpiriesDuringARun = 0;
    int backendOutages = 0;
    qint64 backendOutageSeconds = 0;
    int sleeps = 0;
    qint64 faultAnswers = 0;   // error answers the fault plans gave, both simulators
    int deliveries = 0;        // the agent's delivery-only attempts (the outbox alone, no Neo) the test saw
    int deliveriesDrained = 0; // of those, the ones that emptied the outbox
    double wallSeconds = 0;
};

struct MonthFigures
{
    int runs = 0;
    int runsCompleted = 0;
    int undisturbedRuns = 0;
    int undisturbedCompleted = 0;
    double successRate = 0; // completed over all runs
    double undisturbedSuccessRate = 0;
    // Outside outages and the sleep, runs within 30 min of each other are one attempt (the agent's quick
    // retry after a failed run); an attempt succeeds when its last run completed.
    int attempts = 0;
    int attemptsCompleted = 0;
    double attemptSuccessRate = 0;
    int notesExpected = 0; // consultations with notes by the last run (ground truth)
    int notesReached = 0;  // of those, held by the backend with their notes
    double notesCompleteness = 0;
    int eligibleCalls = 0; // calls the ground truth plans
    int plannedCalls = 0;  // of those, planned at the backend
    double callRate = 0;
    int wrongCalls = 0; // planned at the backend, not planned in the ground truth
    QStringList wrongCallKeys;
    int latencySamples = 0;
    qint64 latencyP50Seconds = -1;
    qint64 latencyP95Seconds = -1;
    qint64 latencyMaxSeconds = -1;
    // The same for the notes no disturbed run (backend down, or the catch-up after the sleep) held back.
    int undisturbedLatencySamples = 0;
    qint64 undisturbedLatencyP95Seconds = -1;
    int itemsLost = -1;
    qint64 duplicates = -1;
    qint64 firstRssKb = 0, peakRssKb = 0, lastRssKb = 0;
    qint64 firstPssKb = 0, peakPssKb = 0, lastPssKb = 0;
    qint64 storeBytes = 0, logBytes = 0;

    // Empty when every target holds: success on the attempts and p95 on the notes outside the injected
    // outages and sleep (a run during an outage cannot succeed, and what it holds waits for the next one);
    // the figures over every run and note are reported beside them.
    [[nodiscard]] QStringList missedTargets() const;
};

[[nodiscard]] MonthFigures computeMonthFigures(const MonthRecord& record);
// The record's facts and the figures, for the build directory (reliability-month.json / .md).
[[nodiscard]] QJsonObject monthJson(const MonthRecord& record, const MonthFigures& figures);
[[nodiscard]] QString monthMarkdown(const MonthRecord& record, const MonthFigures& figures);

// Targets (issue 16): success >= 99.5 %, notes completeness >= 99 %, call rate >= 95 %, p95 <= 4 h 30 min.
inline constexpr double kTargetSuccess = 0.995;
inline constexpr double kTargetNotes = 0.99;
inline constexpr double kTargetCalls = 0.95;
inline constexpr qint64 kTargetP95Seconds = 4 * 3600 + 30 * 60;

} // namespace odis::test
