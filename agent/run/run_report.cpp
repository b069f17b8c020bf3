#include "agent/run/run_report.h"

#include "storage/codes/agent_codes.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QUuid>

#include <array>
#include <cmath>
#include <utility>

namespace odis::agent {

namespace {

// Fixed namespace for run report keys: changing it would change every key of every unsent report.
const QUuid kReportKeyNamespace(QStringLiteral("{6d1f0c52-3b8e-4f4e-9a57-2c41f0d8e7a3}"));

constexpr std::array kCountNames{
    std::pair{&RunCounts::appointmentsSeen, QLatin1StringView("appointments_seen")},
    std::pair{&RunCounts::consultationsFetched, QLatin1StringView("consultations_fetched")},
    std::pair{&RunCounts::notesFound, QLatin1StringView("notes_found")},
    std::pair{&RunCounts::itemsQueued, QLatin1StringView("items_queued")},
    std::pair{&RunCounts::itemsUploaded, QLatin1StringView("items_uploaded")},
    std::pair{&RunCounts::callsPlanned, QLatin1StringView("calls_planned")},
    std::pair{&RunCounts::callsExcluded, QLatin1StringView("calls_excluded")},
    std::pair{&RunCounts::failed, QLatin1StringView("failed")},
};

QJsonValue instantOrNull(const QDateTime& instant)
{
    return instant.isValid() ? QJsonValue(reportInstant(instant)) : QJsonValue(QJsonValue::Null);
}

// One decimal is plenty for a memory figure and keeps the JSON short.
double roundedMb(double mb)
{
    return std::round(mb * 10.0) / 10.0;
}

std::unexpected<Error> invalid(const QString& why)
{
    return fail(codes::kRunReportInvalid, why);
}

} // namespace

QJsonObject runCountsJson(const RunCounts& counts)
{
    QJsonObject json;
    for (const auto& [member, name] : kCountNames)
        json.insert(name, counts.*member);
    return json;
}

RunCounts runCountsFromJson(const QJsonObject& json)
{
    RunCounts counts;
    for (const auto& [member, name] : kCountNames)
        counts.*member = json.value(name).toInteger(0);
    return counts;
}

QString runReportKindName(RunReportKind kind)
{
    switch (kind) {
    case RunReportKind::Start:
        return QStringLiteral("start");
    case RunReportKind::End:
        return QStringLiteral("end");
    }
    Q_UNREACHABLE();
    return {};
}

Result<QJsonObject> runReportJson(const RunRecord& run, RunReportKind kind)
{
    if (run.runId.isEmpty())
        return invalid(QStringLiteral("the run has no id"));
    if (!run.startedAt.isValid())
        return invalid(QStringLiteral("run %1 has no start time").arg(run.runId));

    QJsonObject body{
        {QStringLiteral("run_id"), run.runId},
        {QStringLiteral("trigger"), runTriggerName(run.trigger)},
        {QStringLiteral("started_at"), reportInstant(run.startedAt)},
    };
    if (kind == RunReportKind::Start) {
        body.insert(QStringLiteral("finished_at"), QJsonValue::Null);
        body.insert(QStringLiteral("status"), runStatusName(RunStatus::Running));
        body.insert(QStringLiteral("step"), QJsonValue::Null);
        body.insert(QStringLiteral("counts"), runCountsJson(RunCounts{}));
        body.insert(QStringLiteral("error"), QJsonValue::Null);
        body.insert(QStringLiteral("duration_ms"), 0);
        body.insert(QStringLiteral("peak_rss_mb"), 0);
        body.insert(QStringLiteral("warnings"), QJsonArray());
        return body;
    }

    if (!run.finished() || !run.finishedAt.isValid())
        return fail(codes::kRunReportNotFinished,
                    QStringLiteral("run %1 has not finished: no end report yet").arg(run.runId));
    if (run.error && run.error->code.isEmpty())
        return invalid(QStringLiteral("run %1 has an error without a code").arg(run.runId));
    if (!run.error && (run.status == RunStatus::Failed || run.status == RunStatus::Interrupted))
        return invalid(
            QStringLiteral("run %1 %2 without an error").arg(run.runId, runStatusName(run.status)));

    body.insert(QStringLiteral("finished_at"), instantOrNull(run.finishedAt));
    body.insert(QStringLiteral("status"), runStatusName(run.status));
    body.insert(QStringLiteral("step"),
                run.step.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(run.step));
    body.insert(QStringLiteral("counts"), runCountsJson(run.counts));
    if (run.error) {
        body.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), run.error->code},
                                                         {QStringLiteral("message"),
                                                          run.error->message.left(kReportMessageMaxChars)}});
    } else {
        body.insert(QStringLiteral("error"), QJsonValue::Null);
    }
    const qint64 duration =
        run.durationMs.value_or(std::max<qint64>(0, run.startedAt.msecsTo(run.finishedAt)));
    body.insert(QStringLiteral("duration_ms"), std::max<qint64>(0, duration));
    body.insert(QStringLiteral("peak_rss_mb"), roundedMb(std::max(0.0, run.peakRssMb.value_or(0.0))));
    body.insert(QStringLiteral("warnings"), sync::warningsJson(sync::mergedWarnings(run.warnings)));
    return body;
}

QString runReportPath(const QString& runId)
{
    return QStringLiteral("/v1/sync/runs/") + runId;
}

QString runReportIdempotencyKey(const QString& runId, RunReportKind kind)
{
    return QUuid::createUuidV5(kReportKeyNamespace, runId + u'/' + runReportKindName(kind))
        .toString(QUuid::WithoutBraces);
}

QString reportInstant(const QDateTime& instant)
{
    return instant.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}

} // namespace odis::agent
