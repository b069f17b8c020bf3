#include "agent/run/run_log.h"

#include "agent/run/run_report.h"
#include "storage/clock.h"
#include "storage/codes/agent_codes.h"
#include "storage/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QUuid>

#include <algorithm>

namespace odis::agent {

namespace {

const QString kColumns = QStringLiteral(
    "run_id, trigger, started_at, finished_at, status, step, counts, error_code, error_message, "
    "duration_ms, peak_rss_mb, drift_warnings, updated_at, reported, warnings");

const QString kRunning = QStringLiteral("running");
const QString kInterruptedCode = codes::kRunInterrupted;

// The store's form of an instant: UTC with milliseconds, fixed width, so text order is time order.
QString storeInstant(const QDateTime& instant)
{
    return instant.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseInstant(const QVariant& value)
{
    if (value.isNull())
        return {};
    const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return parsed.isValid() ? parsed.toUTC() : QDateTime();
}

QString countsText(const RunCounts& c)
{
    return QString::fromUtf8(QJsonDocument(runCountsJson(c)).toJson(QJsonDocument::Compact));
}

QString warningsText(const QList<sync::RunWarning>& warnings)
{
    return QString::fromUtf8(QJsonDocument(sync::warningsJson(warnings)).toJson(QJsonDocument::Compact));
}

RunCounts countsFromText(const QString& text)
{
    return runCountsFromJson(QJsonDocument::fromJson(text.toUtf8()).object());
}

[[nodiscard]] Result<RunRecord> recordFromRow(const QVariantList& row)
{
    RunRecord run;
    run.runId = row.value(0).toString();
    const auto trigger = runTriggerFromName(row.value(1).toString());
    const auto status = runStatusFromName(row.value(4).toString());
    run.startedAt = parseInstant(row.value(2));
    if (!trigger || !status || !run.startedAt.isValid())
        return fail(codes::kRunRowInvalid,
                    QStringLiteral("run %1 has an unreadable trigger, status or start time").arg(run.runId));
    run.trigger = *trigger;
    run.status = *status;
    run.finishedAt = parseInstant(row.value(3));
    run.step = row.value(5).toString();
    run.counts = countsFromText(row.value(6).toString());
    if (!row.value(7).isNull())
        run.error = RunError{row.value(7).toString(), row.value(8).toString()};
    if (!row.value(9).isNull())
        run.durationMs = row.value(9).toLongLong();
    if (!row.value(10).isNull())
        run.peakRssMb = row.value(10).toDouble();
    run.driftWarnings = row.value(11).toInt();
    run.updatedAt = parseInstant(row.value(12));
    run.warnings = sync::warningsFromJson(QJsonDocument::fromJson(row.value(14).toString().toUtf8()).array());
    return run;
}

std::unexpected<Error> outcomeInvalid(const QString& why)
{
    return fail(codes::kRunOutcomeInvalid, why);
}

[[nodiscard]] Status checkOutcome(const RunOutcome& outcome)
{
    if (outcome.status == RunStatus::Running)
        return outcomeInvalid(QStringLiteral("a run cannot finish as running"));
    if (outcome.error && outcome.error->code.isEmpty())
        return outcomeInvalid(QStringLiteral("a run error needs a code"));
    const bool needsError = outcome.status == RunStatus::Failed || outcome.status == RunStatus::Interrupted;
    if (needsError && !outcome.error)
        return outcomeInvalid(QStringLiteral("a %1 run needs an error").arg(runStatusName(outcome.status)));
    if (outcome.status == RunStatus::Completed && outcome.error)
        return outcomeInvalid(QStringLiteral("a completed run has no error (partial is for runs with one)"));
    if (outcome.status == RunStatus::Completed &&
        std::ranges::any_of(outcome.warnings, [](const sync::RunWarning& w) { return w.makesPartial(); }))
        return outcomeInvalid(QStringLiteral("a run that refused or held back something is partial"));
    if (outcome.driftWarnings < 0 || (outcome.durationMs && *outcome.durationMs < 0))
        return outcomeInvalid(QStringLiteral("drift warnings and duration cannot be negative"));
    return ok();
}

} // namespace

RunLog::RunLog(storage::Database& db, const Clock& clock)
    : m_db(db)
    , m_clock(clock)
{}

Result<RunRecord> RunLog::start(RunTrigger trigger)
{
    RunRecord run;
    run.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    run.trigger = trigger;
    run.startedAt = m_clock.nowUtc().toUTC();
    run.updatedAt = run.startedAt;
    auto inserted = m_db.execute(
        QStringLiteral("INSERT INTO runs(run_id, trigger, started_at, status, counts, updated_at) "
                       "VALUES(?, ?, ?, ?, ?, ?)"),
        {run.runId, runTriggerName(trigger), storeInstant(run.startedAt), kRunning, countsText(run.counts),
         storeInstant(run.updatedAt)});
    if (!inserted)
        return propagate(inserted);
    return run;
}

Status RunLog::setStep(const QString& runId, const QString& step)
{
    if (!isKnownRunStep(step))
        // Not repeated: whatever was passed by mistake may be anything.
        return fail(codes::kRunStepUnknown,
                    QStringLiteral("a step of %1 characters that is not in run_step (agent/run/run_record.h)")
                        .arg(step.size()));
    auto changed = m_db.execute(QStringLiteral("UPDATE runs SET step = ?, updated_at = ? "
                                               "WHERE run_id = ? AND status = 'running'"),
                                {step, storeInstant(m_clock.nowUtc()), runId});
    if (!changed)
        return propagate(changed);
    if (*changed == 0)
        return std::unexpected(notRunning(runId));
    return ok();
}

Status RunLog::setProgress(const QString& runId, const RunCounts& counts, int driftWarnings)
{
    if (driftWarnings < 0)
        return outcomeInvalid(QStringLiteral("drift warnings cannot be negative"));
    auto changed =
        m_db.execute(QStringLiteral("UPDATE runs SET counts = ?, drift_warnings = ?, updated_at = ? "
                                    "WHERE run_id = ? AND status = 'running'"),
                     {countsText(counts), driftWarnings, storeInstant(m_clock.nowUtc()), runId});
    if (!changed)
        return propagate(changed);
    if (*changed == 0)
        return std::unexpected(notRunning(runId));
    return ok();
}

Status RunLog::setWarnings(const QString& runId, const QList<sync::RunWarning>& warnings)
{
    auto changed = m_db.execute(QStringLiteral("UPDATE runs SET warnings = ?, updated_at = ? "
                                               "WHERE run_id = ? AND status = 'running'"),
                                {warningsText(warnings), storeInstant(m_clock.nowUtc()), runId});
    if (!changed)
        return propagate(changed);
    if (*changed == 0)
        return std::unexpected(notRunning(runId));
    return ok();
}

Result<RunRecord> RunLog::finish(const QString& runId, const RunOutcome& outcome)
{
    if (auto valid = checkOutcome(outcome); !valid)
        return propagate(valid);
    auto current = find(runId);
    if (!current)
        return propagate(current);
    if (!*current)
        return std::unexpected(notRunning(runId));
    RunRecord run = **current;
    if (run.finished())
        return std::unexpected(notRunning(runId));

    run.finishedAt = m_clock.nowUtc().toUTC();
    run.updatedAt = run.finishedAt;
    run.status = outcome.status;
    run.counts = outcome.counts;
    run.error = outcome.error;
    run.driftWarnings = outcome.driftWarnings;
    run.durationMs = outcome.durationMs.value_or(std::max<qint64>(0, run.startedAt.msecsTo(run.finishedAt)));
    run.peakRssMb = outcome.peakRssMb;
    run.warnings = outcome.warnings;
    auto changed = m_db.execute(
        QStringLiteral(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ?, error_code = ?, "
            "error_message = ?, duration_ms = ?, peak_rss_mb = ?, drift_warnings = ?, updated_at = ?, "
            "warnings = ? WHERE run_id = ? AND status = 'running'"),
        {storeInstant(run.finishedAt), runStatusName(run.status), countsText(run.counts),
         run.error ? QVariant(run.error->code) : QVariant(),
         run.error ? QVariant(run.error->message) : QVariant(), *run.durationMs,
         run.peakRssMb ? QVariant(*run.peakRssMb) : QVariant(), run.driftWarnings,
         storeInstant(run.updatedAt), warningsText(run.warnings), runId});
    if (!changed)
        return propagate(changed);
    if (*changed == 0)
        return std::unexpected(notRunning(runId));
    return run;
}

Result<RunRecord> RunLog::markInterrupted(const QString& runId)
{
    auto current = find(runId);
    if (!current)
        return propagate(current);
    if (!*current || (*current)->finished())
        return std::unexpected(notRunning(runId));
    const RunRecord& run = **current;
    const QDateTime lastSeen = run.updatedAt.isValid() ? run.updatedAt : run.startedAt;
    RunOutcome outcome;
    outcome.status = RunStatus::Interrupted;
    outcome.counts = run.counts;
    outcome.driftWarnings = run.driftWarnings;
    outcome.durationMs = std::max<qint64>(0, run.startedAt.msecsTo(lastSeen));
    const QString where = run.step.isEmpty() ? QStringLiteral("before its first step")
                                             : QStringLiteral("during step ") + run.step;
    outcome.error = RunError{kInterruptedCode, QStringLiteral("the agent stopped %1").arg(where)};
    return finish(runId, outcome);
}

Result<std::optional<RunRecord>> RunLog::find(const QString& runId)
{
    auto rows = select(QStringLiteral("run_id = ?"), {runId}, 1);
    if (!rows)
        return propagate(rows);
    if (rows->isEmpty())
        return std::optional<RunRecord>();
    return std::optional<RunRecord>(rows->first());
}

Result<std::optional<RunRecord>> RunLog::findUnfinished()
{
    auto rows = select(QStringLiteral("status = 'running'"), {}, 1);
    if (!rows)
        return propagate(rows);
    if (rows->isEmpty())
        return std::optional<RunRecord>();
    return std::optional<RunRecord>(rows->first());
}

Result<QList<RunRecord>> RunLog::lastRuns(int limit)
{
    return select(QStringLiteral("1 = 1"), {}, limit);
}

Result<QList<RunRecord>> RunLog::lastFinished(int limit)
{
    return select(QStringLiteral("status <> 'running'"), {}, limit);
}

Result<std::optional<QDateTime>> RunLog::lastSuccessAt()
{
    auto newest = m_db.scalar(
        QStringLiteral("SELECT MAX(finished_at) FROM runs WHERE status IN ('completed', 'partial')"));
    if (!newest)
        return propagate(newest);
    const QDateTime at = parseInstant(*newest);
    return at.isValid() ? std::optional<QDateTime>(at) : std::nullopt;
}

Result<std::optional<QDateTime>> RunLog::firstStartedAt()
{
    auto oldest = m_db.scalar(QStringLiteral("SELECT MIN(started_at) FROM runs"));
    if (!oldest)
        return propagate(oldest);
    const QDateTime at = parseInstant(*oldest);
    return at.isValid() ? std::optional<QDateTime>(at) : std::nullopt;
}

Status RunLog::markReported(const QString& runId, RunReportKind kind)
{
    auto reported = m_db.scalar(QStringLiteral("SELECT reported FROM runs WHERE run_id = ?"), {runId});
    if (!reported)
        return propagate(reported);
    if (!reported->isValid())
        return fail(codes::kRunNotFound, QStringLiteral("no run %1").arg(runId));
    QStringList kinds = reported->toString().split(u',', Qt::SkipEmptyParts);
    const QString name = runReportKindName(kind);
    if (kinds.contains(name))
        return ok();
    kinds.append(name);
    kinds.sort();
    auto changed = m_db.execute(QStringLiteral("UPDATE runs SET reported = ? WHERE run_id = ?"),
                                {kinds.join(u','), runId});
    if (!changed)
        return propagate(changed);
    return ok();
}

Result<QList<PendingRunReport>> RunLog::pendingReports(int limit)
{
    auto rows =
        m_db.query(QStringLiteral("SELECT ") + kColumns +
                       QStringLiteral(" FROM runs WHERE (status = 'running' AND instr(reported, 'start') = 0)"
                                      " OR (status <> 'running' AND instr(reported, 'end') = 0)"
                                      " ORDER BY started_at, rowid LIMIT ?"),
                   {limit});
    if (!rows)
        return propagate(rows);
    QList<PendingRunReport> out;
    for (const QVariantList& row : *rows) {
        auto run = recordFromRow(row);
        if (!run)
            return propagate(run);
        const RunReportKind kind = run->finished() ? RunReportKind::End : RunReportKind::Start;
        out.append(PendingRunReport{std::move(*run), kind});
    }
    return out;
}

Result<qint64> RunLog::purgeReportedBefore(const QDateTime& cutoff)
{
    Result<qint64> purged = 0;
    auto done = m_db.transaction([&]() -> Status {
        purged = m_db.execute(
            QStringLiteral("DELETE FROM runs WHERE status <> 'running' AND instr(reported, 'end') > 0 "
                           "AND started_at < ?"),
            {storeInstant(cutoff)});
        if (!purged)
            return propagate(purged);
        // A run's upload tally (sync/backend/outbox_batches.h) is part of its record.
        auto tallies = m_db.execute(
            QStringLiteral("DELETE FROM upload_tallies WHERE run_id NOT IN (SELECT run_id FROM runs)"));
        if (!tallies)
            return propagate(tallies);
        return ok();
    });
    if (!done)
        return propagate(done);
    return purged;
}

Result<QList<RunRecord>> RunLog::select(const QString& where, const QVariantList& params, int limit)
{
    QVariantList bound = params;
    bound.append(std::max(0, limit));
    // rowid breaks ties between runs started in the same millisecond: insertion order is start order.
    auto rows = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM runs WHERE ") +
                               where + QStringLiteral(" ORDER BY started_at DESC, rowid DESC LIMIT ?"),
                           bound);
    if (!rows)
        return propagate(rows);
    QList<RunRecord> out;
    out.reserve(rows->size());
    for (const QVariantList& row : *rows) {
        auto run = recordFromRow(row);
        if (!run)
            return propagate(run);
        out.append(std::move(*run));
    }
    return out;
}

Error RunLog::notRunning(const QString& runId)
{
    auto status = m_db.scalar(QStringLiteral("SELECT status FROM runs WHERE run_id = ?"), {runId});
    if (!status)
        return status.error();
    if (!status->isValid())
        return Error{codes::kRunNotFound, QStringLiteral("no run %1").arg(runId)};
    return Error{codes::kRunAlreadyFinished, QStringLiteral("run %1 has already finished").arg(runId)};
}

} // namespace odis::agent
