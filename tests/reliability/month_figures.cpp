#include "tests/reliability/month_figures.h"

#include "tests/e2e/truth_compare.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace odis::test {

namespace {

double share(int part, int whole)
{
    return whole > 0 ? double(part) / double(whole) : 1.0;
}

// Nearest-rank percentile of sorted values.
qint64 percentile(const QList<qint64>& sorted, double p)
{
    if (sorted.isEmpty())
        return -1;
    const auto rank = qsizetype(std::ceil(p * double(sorted.size())));
    return sorted.at(std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1));
}

QString hours(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("n/a");
    return QStringLiteral("%1 h %2 min")
        .arg(seconds / 3600)
        .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString percent(double v)
{
    return QString::number(v * 100.0, 'f', 2) + QStringLiteral(" %");
}

} // namespace

MonthFigures computeMonthFigures(const MonthRecord& record)
{
    MonthFigures f;
    for (const RunSample& run : record.runs) {
        const bool completed = run.status == QLatin1String("completed");
        ++f.runs;
        f.runsCompleted += completed ? 1 : 0;
        if (!run.disturbed) {
            ++f.undisturbedRuns;
            f.undisturbedCompleted += completed ? 1 : 0;
        }
    }
    f.successRate = share(f.runsCompleted, f.runs);
    f.undisturbedSuccessRate = share(f.undisturbedCompleted, f.undisturbedRuns);
    for (qsizetype i = 0; i < record.runs.size(); ++i) {
        const RunSample& run = record.runs.at(i);
        const bool retried = i + 1 < record.runs.size() && !record.runs.at(i + 1).disturbed &&
                             run.at.secsTo(record.runs.at(i + 1).at) <= 30 * 60;
        if (run.disturbed || retried)
            continue; // the attempt ends with its last run
        ++f.attempts;
        f.attemptsCompleted += run.status == QLatin1String("completed") ? 1 : 0;
    }
    f.attemptSuccessRate = share(f.attemptsCompleted, f.attempts);

    const QHash<QString, QJsonObject> held = payloadsByKey(record.itemsAtLastRun);
    // Notes: every consultation the ground truth has notes for by the last run.
    for (const QJsonValue v : record.truthAtLastRun.value(QStringLiteral("consultations")).toArray()) {
        const QJsonObject c = v.toObject();
        if (!c.value(QStringLiteral("has_notes")).toBool())
            continue;
        ++f.notesExpected;
        const QJsonObject got = held.value(QStringLiteral("consultation:") +
                                           c.value(QStringLiteral("neo_consultation_id")).toString());
        f.notesReached += got.value(QStringLiteral("has_notes")).toBool() ? 1 : 0;
    }
    f.notesCompleteness = share(f.notesReached, f.notesExpected);

    // Calls: eligible = planned by the ground truth; wrong = planned at the backend and not in the truth.
    QSet<QString> truthPlanned;
    for (const QJsonValue v : record.truthAtLastRun.value(QStringLiteral("discharge_calls")).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(QStringLiteral("decision")).toString() == QLatin1String("planned"))
            truthPlanned.insert(c.value(QStringLiteral("neo_appointment_id")).toString());
    }
    f.eligibleCalls = int(truthPlanned.size());
    for (auto it = held.begin(); it != held.end(); ++it) {
        if (!it.key().startsWith(QLatin1String("discharge_call:")) ||
            it->value(QStringLiteral("decision")).toString() != QLatin1String("planned"))
            continue;
        const QString id = it.key().mid(int(qstrlen("discharge_call:")));
        if (truthPlanned.contains(id)) {
            ++f.plannedCalls;
        } else {
            ++f.wrongCalls;
            f.wrongCallKeys << it.key();
        }
    }
    f.callRate = share(f.plannedCalls, f.eligibleCalls);

    // Latency: from the note's first appearance in Neo to the first run or delivery-only attempt after which
    // the backend held it.
    QList<qint64> latencies;
    QList<qint64> undisturbed;
    for (const QJsonValue v : record.noteTimes) {
        const QJsonObject n = v.toObject();
        const QDateTime written =
            QDateTime::fromString(n.value(QStringLiteral("written_at")).toString(), Qt::ISODate);
        const auto acked =
            record.notesAckedAt.constFind(n.value(QStringLiteral("neo_consultation_id")).toString());
        if (!written.isValid() || written > record.lastRunAt || acked == record.notesAckedAt.constEnd())
            continue;
        latencies.append(std::max<qint64>(0, written.secsTo(*acked)));
        const bool heldBack = std::ranges::any_of(record.runs, [&](const RunSample& r) {
            return r.disturbed && r.at >= written && r.at <= *acked;
        });
        if (!heldBack)
            undisturbed.append(latencies.last());
    }
    std::sort(undisturbed.begin(), undisturbed.end());
    f.undisturbedLatencySamples = int(undisturbed.size());
    f.undisturbedLatencyP95Seconds = percentile(undisturbed, 0.95);
    std::sort(latencies.begin(), latencies.end());
    f.latencySamples = int(latencies.size());
    f.latencyP50Seconds = percentile(latencies, 0.50);
    f.latencyP95Seconds = percentile(latencies, 0.95);
    f.latencyMaxSeconds = latencies.isEmpty() ? -1 : latencies.last();

    f.itemsLost = record.differencesAfterCleanRun;
    f.duplicates = record.duplicates;
    if (!record.runs.isEmpty()) {
        f.firstRssKb = record.runs.first().rssKb;
        f.lastRssKb = record.runs.last().rssKb;
        f.firstPssKb = record.runs.first().pssKb;
        f.lastPssKb = record.runs.last().pssKb;
        f.storeBytes = record.runs.last().storeBytes;
        f.logBytes = record.runs.last().logBytes;
        for (const RunSample& run : record.runs) {
            f.peakRssKb = std::max(f.peakRssKb, run.rssKb);
            f.peakPssKb = std::max(f.peakPssKb, run.pssKb);
        }
    }
    return f;
}

QStringList MonthFigures::missedTargets() const
{
    QStringList missed;
    if (attemptSuccessRate < kTargetSuccess)
        missed << QStringLiteral("sync success %1 of the attempts outside outages and sleep < 99.5 %")
                      .arg(percent(attemptSuccessRate));
    if (notesCompleteness < kTargetNotes)
        missed << QStringLiteral("notes completeness %1 < 99 %").arg(percent(notesCompleteness));
    if (callRate < kTargetCalls)
        missed << QStringLiteral("call rate %1 < 95 %").arg(percent(callRate));
    if (undisturbedLatencyP95Seconds > kTargetP95Seconds || undisturbedLatencySamples == 0)
        missed << QStringLiteral(
                      "p95 latency %1 (notes not held back by an outage or the sleep) > 4 h 30 min")
                      .arg(hours(undisturbedLatencyP95Seconds));
    if (wrongCalls != 0)
        missed << QStringLiteral("%1 wrong call(s): %2")
                      .arg(wrongCalls)
                      .arg(wrongCallKeys.mid(0, 10).join(u' '));
    if (duplicates != 0)
        missed << QStringLiteral("%1 duplicate(s)").arg(duplicates);
    if (itemsLost != 0)
        missed << QStringLiteral("%1 item(s) lost or different after the clean run").arg(itemsLost);
    return missed;
}

QJsonObject monthJson(const MonthRecord& r, const MonthFigures& f)
{
    QJsonArray runs;
    for (const RunSample& s : r.runs)
        runs.append(QJsonObject{{QStringLiteral("at"), s.at.toString(Qt::ISODate)},
                                {QStringLiteral("trigger"), s.trigger},
                                {QStringLiteral("status"), s.status},
                                {QStringLiteral("disturbed"), s.disturbed},
                                {QStringLiteral("rss_kb"), s.rssKb},
                                {QStringLiteral("pss_kb"), s.pssKb},
                                {QStringLiteral("store_bytes"), s.storeBytes},
                                {QStringLiteral("log_bytes"), s.logBytes}});
    return {{QStringLiteral("seed"), qint64(r.seed)},
            {QStringLiteral("days"), r.days},
            {QStringLiteral("start"), r.start.toString(Qt::ISODate)},
            {QStringLiteral("wall_seconds"), r.wallSeconds},
            {QStringLiteral("session_expiries"), r.sessionExpiries},
            {QStringLiteral("deliveries"), r.deliveries},
            {QStringLiteral("deliveries_drained"), r.deliveriesDrained},
            {QStringLiteral("session_expiries_during_a_run"), r.sessionExpiriesDuringARun},
            {QStringLiteral("backend_outages"), r.backendOutages},
            {QStringLiteral("backend_outage_seconds"), r.backendOutageSeconds},
            {QStringLiteral("sleeps"), r.sleeps},
            {QStringLiteral("fault_answers"), r.faultAnswers},
            {QStringLiteral("runs"), f.runs},
            {QStringLiteral("runs_completed"), f.runsCompleted},
            {QStringLiteral("success_rate"), f.successRate},
            {QStringLiteral("undisturbed_success_rate"), f.undisturbedSuccessRate},
            {QStringLiteral("attempts"), f.attempts},
            {QStringLiteral("attempt_success_rate"), f.attemptSuccessRate},
            {QStringLiteral("undisturbed_latency_p95_s"), f.undisturbedLatencyP95Seconds},
            {QStringLiteral("notes_expected"), f.notesExpected},
            {QStringLiteral("notes_reached"), f.notesReached},
            {QStringLiteral("notes_completeness"), f.notesCompleteness},
            {QStringLiteral("eligible_calls"), f.eligibleCalls},
            {QStringLiteral("planned_calls"), f.plannedCalls},
            {QStringLiteral("call_rate"), f.callRate},
            {QStringLiteral("wrong_calls"), f.wrongCalls},
            {QStringLiteral("latency_samples"), f.latencySamples},
            {QStringLiteral("latency_p50_s"), f.latencyP50Seconds},
            {QStringLiteral("latency_p95_s"), f.latencyP95Seconds},
            {QStringLiteral("latency_max_s"), f.latencyMaxSeconds},
            {QStringLiteral("items_lost"), f.itemsLost},
            {QStringLiteral("duplicates"), f.duplicates},
            {QStringLiteral("rejected_items"), r.rejectedItems},
            {QStringLiteral("rss_kb"), QJsonObject{{QStringLiteral("first"), f.firstRssKb},
                                                   {QStringLiteral("peak"), f.peakRssKb},
                                                   {QStringLiteral("last"), f.lastRssKb}}},
            {QStringLiteral("pss_kb"), QJsonObject{{QStringLiteral("first"), f.firstPssKb},
                                                   {QStringLiteral("peak"), f.peakPssKb},
                                                   {QStringLiteral("last"), f.lastPssKb}}},
            {QStringLiteral("store_bytes"), f.storeBytes},
            {QStringLiteral("log_bytes"), f.logBytes},
            {QStringLiteral("missed_targets"), QJsonArray::fromStringList(f.missedTargets())},
            {QStringLiteral("per_run"), runs}};
}

QString monthMarkdown(const MonthRecord& r, const MonthFigures& f)
{
    QString md;
    md += QStringLiteral("| figure | value | target |\n|---|---|---|\n");
    const auto row = [&md](const QString& name, const QString& value, const QString& target) {
        md += QStringLiteral("| %1 | %2 | %3 |\n").arg(name, value, target);
    };
    row(QStringLiteral("simulated days (seed %1)").arg(r.seed), QString::number(r.days), QString());
    row(QStringLiteral("wall time"), QStringLiteral("%1 s").arg(qRound(r.wallSeconds)), QString());
    row(QStringLiteral("runs (completed)"), QStringLiteral("%1 (%2)").arg(f.runs).arg(f.runsCompleted),
        QString());
    row(QStringLiteral("sync success rate, every run"), percent(f.successRate), QString());
    row(QStringLiteral("sync success, attempts outside outages and sleep (a quick retry is one attempt)"),
        QStringLiteral("%1 (%2 of %3)")
            .arg(percent(f.attemptSuccessRate))
            .arg(f.attemptsCompleted)
            .arg(f.attempts),
        QStringLiteral(">= 99.5 %"));
    row(QStringLiteral("success rate, runs outside outages and sleep"),
        QStringLiteral("%1 of %2 runs").arg(percent(f.undisturbedSuccessRate)).arg(f.undisturbedRuns),
        QString());
    row(QStringLiteral("notes completeness"),
        QStringLiteral("%1 (%2 of %3)")
            .arg(percent(f.notesCompleteness))
            .arg(f.notesReached)
            .arg(f.notesExpected),
        QStringLiteral(">= 99 %"));
    row(QStringLiteral("discharge call rate"),
        QStringLiteral("%1 (%2 of %3)").arg(percent(f.callRate)).arg(f.plannedCalls).arg(f.eligibleCalls),
        QStringLiteral(">= 95 %"));
    row(QStringLiteral("latency note -> backend, p50 / p95 / max"),
        QStringLiteral("%1 / %2 / %3 (%4 notes)")
            .arg(hours(f.latencyP50Seconds), hours(f.latencyP95Seconds), hours(f.latencyMaxSeconds))
            .arg(f.latencySamples),
        QString());
    row(QStringLiteral("latency p95, notes not held back by an outage or the sleep"),
        QStringLiteral("%1 (%2 notes)")
            .arg(hours(f.undisturbedLatencyP95Seconds))
            .arg(f.undisturbedLatencySamples),
        QStringLiteral("<= 4 h 30 min"));
    row(QStringLiteral("wrong calls"), QString::number(f.wrongCalls), QStringLiteral("0"));
    row(QStringLiteral("duplicates"), QString::number(f.duplicates), QStringLiteral("0"));
    row(QStringLiteral("items lost or different after a clean run"), QString::number(f.itemsLost),
        QStringLiteral("0"));
    row(QStringLiteral("delivery-only attempts (the outbox alone, no Neo read), drained"),
        QStringLiteral("%1, %2").arg(r.deliveries).arg(r.deliveriesDrained), QString());
    row(QStringLiteral("faults survived"),
        QStringLiteral(
            "%1 error answers, %2 session expiries (%3 during a run), %4 backend outages (%5 h), %6 "
            "sleep(s) of 9 h")
            .arg(r.faultAnswers)
            .arg(r.sessionExpiries)
            .arg(r.sessionExpiriesDuringARun)
            .arg(r.backendOutages)
            .arg(double(r.backendOutageSeconds) / 3600.0, 0, 'f', 1)
            .arg(r.sleeps),
        QString());
    row(QStringLiteral("agent RSS first / peak / last"),
        QStringLiteral("%1 / %2 / %3 MiB")
            .arg(f.firstRssKb / 1024)
            .arg(f.peakRssKb / 1024)
            .arg(f.lastRssKb / 1024),
        QStringLiteral("no growth"));
    row(QStringLiteral("agent PSS first / peak / last"),
        QStringLiteral("%1 / %2 / %3 MiB")
            .arg(f.firstPssKb / 1024)
            .arg(f.peakPssKb / 1024)
            .arg(f.lastPssKb / 1024),
        QStringLiteral("no growth"));
    row(QStringLiteral("store / logs at the end"),
        QStringLiteral("%1 KiB / %2 KiB").arg(f.storeBytes / 1024).arg(f.logBytes / 1024), QString());
    const QStringList missed = f.missedTargets();
    md += QStringLiteral("\nTargets missed: %1\n")
              .arg(missed.isEmpty() ? QStringLiteral("none") : missed.join(QStringLiteral("; ")));
    return md;
}

} // namespace odis::test
