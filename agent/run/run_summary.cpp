#include "agent/run/run_summary.h"

#include <QStringList>
#include <QTextStream>

namespace odis::agent {

namespace {

QString seconds(qint64 ms)
{
    return QString::number(static_cast<double>(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

void row(QTextStream& out, const char* label, const QString& value)
{
    out << "  " << QString::fromLatin1(label).leftJustified(17) << value << "\n";
}

} // namespace

QString syncSummaryText(const SyncRunResult& result)
{
    QString text;
    QTextStream out(&text);
    if (!result.run) {
        out << "No sync run started";
        if (result.error)
            out << ": " << result.error->message << " [" << result.error->code << "]";
        out << "\n";
        return text;
    }
    const RunRecord& run = *result.run;
    out << "Sync run " << run.runId << ": " << runStatusName(run.status) << " ("
        << runTriggerName(run.trigger) << ")\n";
    if (result.resumed)
        row(out, "resumed", QStringLiteral("found unfinished at step %1").arg(result.resumedAtStep));
    if (run.status == RunStatus::Failed && run.error)
        row(out, "failed",
            QStringLiteral("at step %1: %2 [%3]").arg(run.step, run.error->message, run.error->code));
    else if (run.error)
        row(out, "note", QStringLiteral("%1 [%2]").arg(run.error->message, run.error->code));

    const RunCounts& c = run.counts;
    if (result.plan) {
        const PlanCounts& p = *result.plan;
        row(out, "appointments", QStringLiteral("%1 read").arg(p.appointmentsSeen));
        row(out, "consultations",
            QStringLiteral("%1 read, %2 with notes").arg(p.consultationsFetched).arg(p.notesFound));
        row(out, "notes", QStringLiteral("%1 found").arg(p.notesFound));
        row(out, "calls planned",
            QStringLiteral(
                "%1 (%2 new in this run), %3 more visits covered by them (one call per owner per day)")
                .arg(p.callsPlanned)
                .arg(p.callsNewlyPlanned)
                .arg(p.callsGrouped));
        QStringList reasons;
        for (auto it = p.excludedByReason.cbegin(); it != p.excludedByReason.cend(); ++it)
            reasons << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
        row(out, "calls excluded",
            QString::number(p.callsExcluded) +
                (reasons.isEmpty() ? QString() : QStringLiteral(": ") + reasons.join(u", ")));
        row(out, "calls waiting",
            QStringLiteral("%1 for notes, %2 cancelled").arg(p.callsWaiting).arg(p.callsCancelled));
    } else {
        row(out, "appointments", QStringLiteral("%1 read").arg(c.appointmentsSeen));
        row(out, "consultations", QStringLiteral("%1 read").arg(c.consultationsFetched));
        row(out, "notes", QStringLiteral("%1 found").arg(c.notesFound));
        row(out, "calls planned", QString::number(c.callsPlanned));
        row(out, "calls excluded", QString::number(c.callsExcluded));
    }
    row(out, "items",
        QStringLiteral("%1 queued, %2 uploaded, %3 pending, %4 failed")
            .arg(c.itemsQueued)
            .arg(c.itemsUploaded)
            .arg(result.outboxPending)
            .arg(result.outboxFailed));
    row(out, "duration", run.durationMs ? seconds(*run.durationMs) : QStringLiteral("unknown"));
    row(out, "peak memory",
        run.peakRssMb ? QString::number(*run.peakRssMb, 'f', 1) + QStringLiteral(" MiB")
                      : QStringLiteral("unknown"));
    // What the run could not trust in Neo's answers or held back: field paths and counts, never values.
    for (const sync::RunWarning& warning : run.warnings)
        row(out, warning.makesPartial() ? "held or refused" : "neo drift", warning.toString());
    QStringList alerts;
    for (const Alert& alert : result.alerts)
        alerts << alert.name();
    row(out, "alerts", alerts.isEmpty() ? QStringLiteral("none") : alerts.join(u", "));
    return text;
}

int syncExitCode(const SyncRunResult& result)
{
    if (!result.run)
        return 3;
    switch (result.run->status) {
    case RunStatus::Completed:
        return 0;
    case RunStatus::Partial:
        return 4;
    case RunStatus::Failed:
    case RunStatus::Interrupted:
    case RunStatus::Running:
        return 1;
    }
    return 1;
}

} // namespace odis::agent
