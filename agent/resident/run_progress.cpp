#include "agent/resident/run_progress.h"

#include <QJsonDocument>

namespace odis::agent {

namespace {

QByteArray line(const QJsonObject& event)
{
    return QByteArray(kRunLinePrefix.data(), kRunLinePrefix.size()) +
           QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QString RunProgress::text() const
{
    if (total > 0)
        return QStringLiteral("%1 %2/%3").arg(step).arg(done).arg(total);
    return step;
}

QJsonObject RunResultLine::toJson() const
{
    return QJsonObject{{QStringLiteral("run_id"), textOrNull(runId)},
                       {QStringLiteral("trigger"), textOrNull(trigger)},
                       {QStringLiteral("status"), textOrNull(status)},
                       {QStringLiteral("exit_code"), exitCode},
                       {QStringLiteral("error_code"), textOrNull(errorCode)},
                       {QStringLiteral("error_message"), textOrNull(errorMessage)},
                       {QStringLiteral("summary"), summary}};
}

RunResultLine RunResultLine::fromJson(const QJsonObject& object)
{
    RunResultLine r;
    r.runId = object.value(QStringLiteral("run_id")).toString();
    r.trigger = object.value(QStringLiteral("trigger")).toString();
    r.status = object.value(QStringLiteral("status")).toString();
    r.exitCode = object.value(QStringLiteral("exit_code")).toInt(-1);
    r.errorCode = object.value(QStringLiteral("error_code")).toString();
    r.errorMessage = object.value(QStringLiteral("error_message")).toString();
    r.summary = object.value(QStringLiteral("summary")).toString();
    return r;
}

QByteArray stepLine(const QString& runId, const QString& step)
{
    return line({{QStringLiteral("event"), QStringLiteral("step")},
                 {QStringLiteral("run_id"), runId},
                 {QStringLiteral("step"), step}});
}

QByteArray progressLine(const QString& step, int done, int total)
{
    return line({{QStringLiteral("event"), QStringLiteral("progress")},
                 {QStringLiteral("step"), step},
                 {QStringLiteral("done"), done},
                 {QStringLiteral("total"), total}});
}

QByteArray resultLine(const RunResultLine& result)
{
    QJsonObject event = result.toJson();
    event.insert(QStringLiteral("event"), QStringLiteral("result"));
    return line(event);
}

std::optional<QJsonObject> parseRunLine(const QByteArray& text)
{
    const QByteArray prefix(kRunLinePrefix.data(), kRunLinePrefix.size());
    if (!text.startsWith(prefix))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(text.mid(prefix.size()).trimmed());
    if (!doc.isObject() || !doc.object().value(QStringLiteral("event")).isString())
        return std::nullopt;
    return doc.object();
}

} // namespace odis::agent
