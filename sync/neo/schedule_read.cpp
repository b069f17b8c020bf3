#include "sync/neo/schedule_read.h"

#include "sync/core/dom_extraction.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_schedule_parser.h"
#include "sync/neo/neo_request_runner.h"

#include <QLoggingCategory>
#include <QSet>
#include <QUrl>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcSchedule, "odis.sync.neo.schedule")

QString queryValue(const QString& text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}
} // namespace

ScheduleRead::ScheduleRead(NeoRequestRunner& runner, const SelectorProfile& profile,
                           std::chrono::milliseconds domSettle, QObject* parent)
    : QObject(parent)
    , m_runner(runner)
    , m_profile(profile)
    , m_domSettle(domSettle)
{}

QString ScheduleRead::jsonPath(const ReconcileWindow& window)
{
    const QString start = window.first.toString(Qt::ISODate) + QStringLiteral(" 00:00:00");
    const QString end = window.last.toString(Qt::ISODate) + QStringLiteral(" 23:59:59");
    return QStringLiteral("/appointments/getCalendarEventData?start=") + queryValue(start) +
           QStringLiteral("&end=") + queryValue(end);
}

void ScheduleRead::start(const ReconcileWindow& window, Callback done)
{
    m_window = window;
    m_done = std::move(done);
    readJson(1);
}

void ScheduleRead::readJson(int attempt)
{
    m_runner.get(jsonPath(m_window),
                 [this, attempt](Result<NeoResponse> result) { onJson(attempt, std::move(result)); });
}

void ScheduleRead::onJson(int attempt, Result<NeoResponse> result)
{
    if (!result) {
        finish(std::unexpected(NeoStepFailure{result.error(), {}, {}}));
        return;
    }
    if (isGoneStatus(result->httpStatus)) {
        qCWarning(lcSchedule) << "the schedule endpoint answered" << result->httpStatus
                              << "; reading the pages";
        readPages();
        return;
    }
    NeoAnswerCheck check;
    auto parsed = parseNeoSchedule(*result, &check);
    if (parsed) {
        ScheduleReadOutcome outcome{std::move(parsed->value.events),
                                    NeoReadSource::Json,
                                    std::move(parsed->warnings),
                                    parsed->value.refusedIds,
                                    {}};
        outcome.refusals = itemRefusalWarnings(neo_endpoint::kSchedule, check.refusals);
        addPresence(outcome.presence, check);
        finish(std::move(outcome));
        return;
    }
    if (!isUnparseable(parsed.error())) {
        finish(std::unexpected(NeoStepFailure{parsed.error(), {}, {}}));
        return;
    }
    if (attempt < 2) {
        qCWarning(lcSchedule) << "the schedule answer was not data:" << parsed.error().code
                              << "; asking again";
        readJson(attempt + 1);
        return;
    }
    // Twice: not a glitch. An answer the agent does not understand is never data, and never a reason to
    // read the pages instead (they carry less): the step ends, and the store keeps what it had.
    qCWarning(lcSchedule) << "the schedule answer was not data twice:" << parsed.error().code;
    if (parsed.error().code == neo_extraction_error::kLayoutChanged) {
        finish(std::unexpected(
            NeoStepFailure{parsed.error(), {}, refusalOf(neo_endpoint::kSchedule, parsed.error(), check)}));
        return;
    }
    finish(std::unexpected(NeoStepFailure{parsed.error(), {}, {}}));
}

void ScheduleRead::readPages()
{
    for (QDate day = m_window.first; day.isValid() && day <= m_window.last; day = day.addDays(1)) {
        m_days.append(day);
    }
    m_dayEvents = QList<std::optional<QList<NeoScheduleEvent>>>(m_days.size());
    m_daysLeft = m_days.size();
    if (m_days.isEmpty()) {
        finish(ScheduleReadOutcome{{}, NeoReadSource::Dom, {}, {}, {}});
        return;
    }
    const QJsonObject args = domScriptArgs(m_profile, m_profile.schedule, int(m_domSettle.count()));
    for (qsizetype i = 0; i < m_days.size(); ++i) {
        const QString path = m_profile.schedulePath(m_days.at(i));
        // The session makes its page visits one after another, in this order.
        m_runner.visit(
            PageVisitRequest{path, QStringLiteral("dom_extract.js"), args, false},
            [this, i, path](Result<PageVisitResult> result) { onPage(i, path, std::move(result)); });
    }
}

void ScheduleRead::onPage(qsizetype dayIndex, const QString& path, Result<PageVisitResult> result)
{
    if (m_finished) {
        return;
    }
    if (!result) {
        finish(std::unexpected(NeoStepFailure{result.error(), {}, {}}));
        return;
    }
    const int status = result->httpStatus;
    if (isGoneStatus(status)) {
        // The JSON endpoint is gone and so is its page: neither way gives data.
        finish(std::unexpected(NeoStepFailure{
            Error{QString(neo_extraction_error::kLayoutChanged),
                  QStringLiteral("the schedule endpoint and its page both answer HTTP %1").arg(status)},
            path,
            {}}));
        return;
    }
    if (status < 200 || status > 299) {
        finish(std::unexpected(NeoStepFailure{pageStatusError(status, dom_endpoint::kSchedulePage), {}, {}}));
        return;
    }
    auto events = scheduleFromDom(result->value, m_days.at(dayIndex));
    if (!events) {
        const bool layout = events.error().code == neo_extraction_error::kLayoutChanged;
        finish(std::unexpected(NeoStepFailure{events.error(), layout ? path : QString(), {}}));
        return;
    }
    m_warnings.append(events->warnings);
    m_dayEvents[dayIndex] = std::move(events->value);
    if (--m_daysLeft > 0) {
        return;
    }
    ScheduleReadOutcome outcome{{}, NeoReadSource::Dom, {}, {}, {}};
    QSet<QString> seen;
    for (const auto& day : std::as_const(m_dayEvents)) {
        for (const NeoScheduleEvent& event : *day) {
            if (!seen.contains(event.appointmentId)) {
                seen.insert(event.appointmentId);
                outcome.events.append(event);
            }
        }
    }
    // One warning per field and detail across the days, with the days' counts added up.
    DriftLog log{QString(dom_endpoint::kSchedulePage)};
    for (const DriftWarning& w : std::as_const(m_warnings)) {
        for (int n = 0; n < w.occurrences; ++n) {
            log.warn(w.field, w.detail);
        }
    }
    outcome.warnings = log.take();
    finish(std::move(outcome));
}

void ScheduleRead::finish(NeoStepResult<ScheduleReadOutcome> result)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    if (!result) {
        m_runner.cancelAll(); // the other days' pages would be read for nothing
    }
    m_done(std::move(result));
}

} // namespace odis::sync
