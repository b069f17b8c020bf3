#include "sync/neo/neo_extractor.h"

#include "storage/clock.h"
#include "storage/codes/neo_codes.h"
#include "sync/core/neo_extraction_errors.h"
#include "sync/core/neo_json.h"
#include "sync/core/personal_values.h"
#include "sync/neo/layout_diagnostics.h"
#include "sync/neo/neo_request_runner.h"
#include "sync/neo/removal_checks.h"
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
    delete m_removals;
    delete m_visits;
    m_input = std::move(input);
    m_done = std::move(done);
    m_read = NeoRead{};
    m_now = m_clock.nowUtc();
    if (!m_settings.clinicZone.isValid() || !m_settings.phoneCountry.isValid() ||
        m_settings.reconcileDays < 0 || m_settings.lookaheadDays < 0 || m_settings.lookbackHours < 0) {
        finish(fail(codes::kNeoReadConfigInvalid,
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
    if (!result && result.error().refusal) {
        // The schedule broke the contract: nothing was read, nothing is removed, no visit is read.
        refuse(std::move(*result.error().refusal));
        m_read.scheduleRefused = true;
        finishRead();
        return;
    }
    if (!result) {
        failStep(std::move(result.error()), QStringLiteral("the schedule read"));
        return;
    }
    m_read.scheduleSource = result->source;
    m_read.events = std::move(result->events);
    QStringList personal;
    for (const NeoScheduleEvent& event : std::as_const(m_read.events))
        personal << personalValues(event);
    Q_EMIT personalDataSeen(personal);
    m_read.driftWarnings.append(result->warnings);
    m_read.refusedIds = std::move(result->refusedIds);
    m_read.itemRefusals.append(result->refusals);
    m_read.presence = std::move(result->presence);
    if (result->source == NeoReadSource::Dom) {
        m_read.domFallbackEndpoints.append(QString(neo_endpoint::kSchedule));
    }
    m_read.window.scheduleRead = true;

    // Volumes per day, and which absences may be removals (sync/core/removal_proof.h).
    m_read.appointmentsPerDay = appointmentsPerDay(m_read.events, m_read.window.first, m_read.window.last);
    const QDate today = m_now.toTimeZone(m_settings.clinicZone).date();
    m_read.volumeWarnings =
        checkScheduleVolume(m_read.appointmentsPerDay, m_input.volumeBaseline, today, m_settings.volume);
    QSet<QString> seen(m_read.refusedIds.cbegin(), m_read.refusedIds.cend());
    QString control;
    for (const NeoScheduleEvent& event : std::as_const(m_read.events)) {
        seen.insert(event.appointmentId);
        if (control.isEmpty() && !event.isBlock && !event.isRoster)
            control = event.appointmentId;
    }
    const RemovalPlan removals = planRemovals(m_input.storedAppointments, rowsPerDay(m_read.events), seen,
                                              m_read.window, m_read.volumeWarnings);
    m_read.collapsedDays = removals.collapsed;
    m_read.heldRemovals = removals.held;
    for (const DayCollapse& day : std::as_const(m_read.collapsedDays)) {
        qCWarning(lcExtractor) << kVolumeCollapseWarning << day.date << "read" << day.read << "rows against"
                               << day.stored << "stored," << day.weekBefore << "a week before";
    }
    QList<HeldRemoval> candidates;
    for (const QString& id : removals.toConfirm)
        candidates.append(HeldRemoval{id, m_input.storedAppointments.value(id), {}});
    m_removalCandidates = candidates;
    m_removals = new RemovalChecks(*m_runner, this);
    m_removals->start(candidates, control, m_read.window,
                      [this](NeoStepResult<RemovalChecksOutcome> checks) { onRemovals(std::move(checks)); });
}

void NeoExtractor::onRemovals(NeoStepResult<RemovalChecksOutcome> result)
{
    m_removals->deleteLater();
    if (!result && !result.error().refusal) {
        failStep(std::move(result.error()), QStringLiteral("the removal checks"));
        return;
    }
    if (!result) {
        // getAppointment broke the contract: no removal is proven in this run.
        refuse(std::move(*result.error().refusal));
        for (HeldRemoval held : std::as_const(m_removalCandidates)) {
            held.reason = QString(removal_hold::kNotConfirmed);
            m_read.heldRemovals.append(held);
        }
    } else {
        m_read.confirmedGone = std::move(result->gone);
        m_read.heldRemovals.append(result->held);
        m_read.driftWarnings.append(result->warnings);
        m_read.itemRefusals.append(result->refusals);
    }
    startVisitReads();
}

void NeoExtractor::startVisitReads()
{
    const ReadPlan plan = planNeoReads(
        m_read.events, m_input.previousReads,
        ReadPlanSettings{m_settings.clinicZone, m_settings.phoneCountry, m_settings.lookbackHours}, m_now,
        m_input.confirm);
    m_read.finishedVisits = plan.finishedVisits;
    m_read.upToDate = plan.upToDate;
    qCInfo(lcExtractor) << "schedule read:" << m_read.events.size() << "rows," << plan.finishedVisits
                        << "finished visits," << plan.reads.size() << "to read";
    const quint64 generation = m_generation;
    const QPointer<NeoExtractor> self(this);
    Q_EMIT visitReadsStarting(int(plan.reads.size()));
    if (!self || generation != m_generation) // a receiver dropped or restarted this read
        return;
    m_plannedReads = plan.reads;
    m_visits =
        new VisitReads(*m_runner, m_profile, m_settings.domSettle, m_settings.pacing.maxInFlight, this);
    connect(m_visits, &VisitReads::visitDone, this, &NeoExtractor::visitReadProgress);
    m_visits->start(plan.reads,
                    [this](NeoStepResult<VisitReadsOutcome> visits) { onVisits(std::move(visits)); });
}

void NeoExtractor::onVisits(NeoStepResult<VisitReadsOutcome> result)
{
    m_visits->deleteLater();
    if (!result && result.error().refusal) {
        // A page-data or getAppointment answer broke the contract: nothing of this step is handed on, and
        // every visit it was to read is read again next run.
        const Error error = result.error().refusal->error;
        refuse(std::move(*result.error().refusal));
        m_read.visitsRefused = true;
        for (const PlannedRead& planned : std::as_const(m_plannedReads))
            m_read.visits.append(VisitReadOutcome{planned, error, false, false});
        finishRead();
        return;
    }
    if (!result) {
        failStep(std::move(result.error()), QStringLiteral("the visit reads"));
        return;
    }
    m_read.consultations = std::move(result->consultations);
    m_read.appointmentDetails = std::move(result->details);
    QStringList seen;
    for (const NeoConsultation& consultation : std::as_const(m_read.consultations))
        seen << personalValues(consultation);
    for (const NeoAppointmentDetail& detail : std::as_const(m_read.appointmentDetails))
        seen << personalValues(detail);
    Q_EMIT personalDataSeen(seen);
    m_read.visits = std::move(result->visits);
    m_read.driftWarnings.append(result->warnings);
    m_read.itemRefusals.append(result->refusals);
    for (auto it = result->presence.cbegin(); it != result->presence.cend(); ++it) {
        m_read.presence[it.key()].rows += it.value().rows;
        m_read.presence[it.key()].present += it.value().present;
    }
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
    finishRead();
}

void NeoExtractor::refuse(NeoRefusal refusal)
{
    qCWarning(lcExtractor) << "Neo's" << refusal.endpoint
                           << "answer broke the contract; nothing of it is used:" << refusal.error.message;
    m_read.refusals.append(std::move(refusal));
}

void NeoExtractor::finishRead()
{
    m_read.fieldDrift = findFieldDrift(m_read.presence, m_input.presenceBaseline);
    for (const FieldDrift& d : std::as_const(m_read.fieldDrift)) {
        qCWarning(lcExtractor) << "Neo stopped sending" << d.endpoint << d.shape << d.field << "(absent from"
                               << d.rows << "rows; stored values kept)";
    }
    m_read.driftWarnings = merged(m_read.driftWarnings);
    for (const DriftWarning& w : std::as_const(m_read.driftWarnings)) {
        qCDebug(lcExtractor) << "drift:" << w.toString(); // field names and Neo's status words only
    }
    m_read.requests = m_runner->stats();
    qCInfo(lcExtractor) << "visit reads:" << m_read.visits.size() << "attempted," << m_read.failedVisits()
                        << "failed;" << m_read.requests.requests << "requests," << m_read.driftWarnings.size()
                        << "drift warnings," << m_read.refusals.size() << "refused answers";
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
