#include "sync/neo/neo_extractor.h"

#include "storage/clock.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_json.h"
#include "sync/neo/layout_diagnostics.h"
#include "sync/neo/neo_request_runner.h"
#include "sync/neo/schedule_read.h"
#include "sync/neo/visit_reads.h"

#include <QHash>
#include <QLoggingCategory>

#include <algorithm>

namespace odis::sync {

namespace {
Q_LOGGING_CATEGORY(lcExtractor, "odis.sync.neo.extractor")

// Each answer reports its own drift; across a run's 70 answers the same drift is one warning with a count.
QList<DriftWarning> merged(const QList<DriftWarning>& warnings)
{
    QList<DriftWarning> out;
    QHash<QString, qsizetype> index;
    for (const DriftWarning& w : warnings) {
        const QString key = w.endpoint + QLatin1Char('\n') + w.field + QLatin1Char('\n') + w.detail;
        const auto it = index.constFind(key);
        if (it == index.constEnd()) {
            index.insert(key, out.size());
            out.append(w);
        } else {
            out[*it].occurrences += w.occurrences;
        }
    }
    return out;
}
} // namespace

int NeoRead::failedVisits() const
{
    return int(std::count_if(visits.cbegin(), visits.cend(),
                             [](const VisitReadOutcome& v) { return v.failure.has_value(); }));
}

NeoExtractor::NeoExtractor(NeoSession& session, const Clock& clock, SelectorProfile profile,
                           NeoReadSettings settings, LayoutDiagnostics* diagnostics, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_clock(clock)
    , m_profile(std::move(profile))
    , m_settings(std::move(settings))
    , m_diagnostics(diagnostics)
{}

NeoExtractor::~NeoExtractor() = default;

void NeoExtractor::read(NeoReadInput input, Callback done)
{
    ++m_generation;
    delete m_schedule;
    delete m_visits;
    m_input = std::move(input);
    m_done = std::move(done);
    m_read = NeoRead{};
    m_now = m_clock.nowUtc();
    if (!m_settings.clinicZone.isValid() || !m_settings.phoneCountry.isValid() ||
        m_settings.reconcileDays < 0 || m_settings.lookaheadDays < 0 || m_settings.lookbackHours < 0) {
        finish(fail(QStringLiteral("neo_read_config_invalid"),
                    QStringLiteral("a Neo read needs the clinic's zone, its country and non-negative window "
                                   "settings")));
        return;
    }
    m_runner = std::make_unique<NeoRequestRunner>(m_session, m_clock, m_settings.pacing, m_settings.retry,
                                                  *m_random);
    m_read.window =
        reconcileWindow(m_now, m_settings.clinicZone, m_settings.reconcileDays, m_settings.lookaheadDays);
    m_schedule = new ScheduleRead(*m_runner, m_profile, m_settings.domSettle, this);
    m_schedule->start(m_read.window,
                      [this](NeoStepResult<ScheduleReadOutcome> result) { onSchedule(std::move(result)); });
}

void NeoExtractor::onSchedule(NeoStepResult<ScheduleReadOutcome> result)
{
    m_schedule->deleteLater();
    if (!result) {
        failStep(std::move(result.error()), QStringLiteral("the schedule read"));
        return;
    }
    m_read.scheduleSource = result->source;
    m_read.events = std::move(result->events);
    m_read.driftWarnings.append(result->warnings);
    if (result->source == NeoReadSource::Dom) {
        m_read.domFallbackEndpoints.append(QString(neo_endpoint::kSchedule));
    }
    m_read.window.scheduleRead = true;
    const ReadPlan plan = planNeoReads(
        m_read.events, m_input.previousReads,
        ReadPlanSettings{m_settings.clinicZone, m_settings.phoneCountry, m_settings.lookbackHours}, m_now);
    m_read.finishedVisits = plan.finishedVisits;
    m_read.upToDate = plan.upToDate;
    qCInfo(lcExtractor) << "schedule read:" << m_read.events.size() << "rows," << plan.finishedVisits
                        << "finished visits," << plan.reads.size() << "to read";
    const quint64 generation = m_generation;
    const QPointer<NeoExtractor> self(this);
    Q_EMIT visitReadsStarting(int(plan.reads.size()));
    if (!self || generation != m_generation) // a receiver dropped or restarted this read
        return;
    m_visits =
        new VisitReads(*m_runner, m_profile, m_settings.domSettle, m_settings.pacing.maxInFlight, this);
    connect(m_visits, &VisitReads::visitDone, this, &NeoExtractor::visitReadProgress);
    m_visits->start(plan.reads,
                    [this](NeoStepResult<VisitReadsOutcome> visits) { onVisits(std::move(visits)); });
}

void NeoExtractor::onVisits(NeoStepResult<VisitReadsOutcome> result)
{
    m_visits->deleteLater();
    if (!result) {
        failStep(std::move(result.error()), QStringLiteral("the visit reads"));
        return;
    }
    m_read.consultations = std::move(result->consultations);
    m_read.appointmentDetails = std::move(result->details);
    m_read.visits = std::move(result->visits);
    m_read.driftWarnings.append(result->warnings);
    if (result->consultationPagesUsed) {
        m_read.domFallbackEndpoints.append(QString(neo_endpoint::kConsultation));
    }
    const int attempted = int(m_read.visits.size());
    const int failed = m_read.failedVisits();
    if (mostItemsFailed(attempted, failed)) {
        const auto first = std::find_if(m_read.visits.cbegin(), m_read.visits.cend(),
                                        [](const VisitReadOutcome& v) { return v.failure.has_value(); });
        finish(fail(QString(neo_extraction_error::kReadsFailed),
                    QStringLiteral("%1 of %2 visit reads failed (first: %3)")
                        .arg(failed)
                        .arg(attempted)
                        .arg(first->failure->code)));
        return;
    }
    m_read.appointmentsPerDay = appointmentsPerDay(m_read.events, m_read.window.first, m_read.window.last);
    const QDate today = m_now.toTimeZone(m_settings.clinicZone).date();
    m_read.volumeWarnings =
        checkScheduleVolume(m_read.appointmentsPerDay, m_input.volumeBaseline, today, m_settings.volume);
    for (const VolumeWarning& w : std::as_const(m_read.volumeWarnings)) {
        qCWarning(lcExtractor) << kVolumeCollapseWarning << w.date << "had" << w.count
                               << "appointments against" << w.baselineCount << "on" << w.baselineDate;
    }
    m_read.driftWarnings = merged(m_read.driftWarnings);
    for (const DriftWarning& w : std::as_const(m_read.driftWarnings)) {
        qCDebug(lcExtractor) << "drift:" << w.toString(); // field names and Neo's status words only
    }
    m_read.requests = m_runner->stats();
    qCInfo(lcExtractor) << "visit reads:" << attempted << "attempted," << failed << "failed;"
                        << m_read.requests.requests << "requests," << m_read.driftWarnings.size()
                        << "drift warnings";
    finish(std::move(m_read));
}

void NeoExtractor::failStep(NeoStepFailure failure, const QString& step)
{
    qCWarning(lcExtractor) << "the Neo read failed in" << step << failure.error.code;
    // The session's and the parsers' messages say what went wrong, not in which step of the read.
    failure.error.message = step + QStringLiteral(": ") + failure.error.message;
    if (failure.error.code != neo_extraction_error::kLayoutChanged || !m_diagnostics ||
        failure.layoutPage.isEmpty()) {
        finish(std::unexpected(std::move(failure.error)));
        return;
    }
    m_runner->cancelAll();
    const Error error = failure.error;
    m_diagnostics->capture(m_session, m_input.runId, failure.layoutPage, error,
                           [guard = QPointer(this), generation = m_generation, error](Status kept) {
                               if (!guard || guard->m_generation != generation) {
                                   return;
                               }
                               if (!kept) {
                                   qCWarning(lcExtractor)
                                       << "layout diagnostics were not kept:" << kept.error().code;
                               }
                               guard->finish(std::unexpected(error));
                           });
}

void NeoExtractor::finish(Result<NeoRead> result)
{
    // Later, from the event loop, and only for the read that is current.
    QMetaObject::invokeMethod(
        this,
        [this, generation = m_generation, result = std::move(result)]() mutable {
            if (generation == m_generation && m_done) {
                std::exchange(m_done, {})(std::move(result));
            }
        },
        Qt::QueuedConnection);
}

} // namespace odis::sync
