#include "agent/run/run_plan.h"

#include "sync/core/discharge_call_item.h"
#include "sync/core/discharge_planner.h"
#include "sync/core/item_key.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_read_plan.h"
#include "sync/core/payloads.h"
#include "sync/core/visit_mapping.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <optional>

namespace odis::agent {

namespace {

using sync::ItemChange;
using sync::ItemKind;

// This run's payloads of Neo's data, and the latest known consultation payload of every visit.
struct BuiltItems
{
    sync::ReconcileInput input;
    QHash<QString, QJsonObject> consultationById; // built in this run
    QSet<QString> keptFromStore;                  // appointment payloads that kept stored fields
    QList<sync::VisitInput> visits;
};

const sync::NeoConsultation* readConsultation(const sync::NeoRead& read, const sync::NeoScheduleEvent& event)
{
    if (!event.consultationId)
        return nullptr;
    const auto it = read.consultations.constFind(*event.consultationId);
    return it == read.consultations.cend() ? nullptr : &*it;
}

// The consultation's newest payload: built in this run, else the stored one.
std::optional<QJsonObject> latestConsultation(const BuiltItems& built, const StoredState& stored,
                                              const QString& consultationId)
{
    if (consultationId.isEmpty())
        return std::nullopt;
    if (const auto it = built.consultationById.constFind(consultationId); it != built.consultationById.cend())
        return *it;
    return stored.payload(sync::consultationKey(consultationId));
}

// The consultation's summary is unknown in this run: Neo left both of its fields out of this answer and
// stopped sending them altogether (drift), so their absence does not mean "no summary".
bool summaryUnknown(const sync::NeoRead& read, const sync::NeoConsultation& consultation)
{
    if (consultation.summaryGiven || consultation.shape != sync::NeoConsultationShape::Current)
        return false;
    return read.drifted(sync::NeoShapeId::ConsultationCurrent, u"consultation.dischargeSummary") ||
           read.drifted(sync::NeoShapeId::ConsultationCurrent, u"consultationNotes");
}

bool phoneUnknown(const sync::NeoRead& read, const sync::NeoConsultation* consultation)
{
    if (!consultation || consultation->client.phoneGiven)
        return false;
    return consultation->shape != sync::NeoConsultationShape::Current ||
           read.drifted(sync::NeoShapeId::ConsultationCurrent, u"client.phone");
}

bool statusUnknown(const sync::NeoRead& read, const sync::NeoScheduleEvent& event)
{
    return event.fields == sync::NeoEventFields::Older && !event.statusGiven &&
           read.drifted(sync::NeoShapeId::ScheduleOlder, u"status");
}

// Whether a read of this visit was due in this run and did not give fresh data.
bool readFailed(const sync::NeoRead& read, const RunPlan& plan, const sync::NeoScheduleEvent& event)
{
    const QString key = sync::neoReadKey(event);
    if (plan.retryReads.contains(key))
        return true;
    return std::ranges::any_of(read.visits, [&](const sync::VisitReadOutcome& v) {
        return v.planned.key == key && v.failure.has_value();
    });
}

[[nodiscard]] Status buildPayloads(const sync::NeoRead& read, const StoredState& stored,
                                   const QTimeZone& zone, const sync::PhoneCountry& country,
                                   BuiltItems& built, RunPlan& plan)
{
    for (const sync::NeoScheduleEvent& event : read.events) {
        const sync::NeoConsultation* consultation = readConsultation(read, event);
        if (!consultation)
            continue;
        const std::optional<QJsonObject> previous = stored.payload(sync::consultationKey(consultation->id));
        auto payload = sync::consultationPayload(*consultation, event, previous ? &*previous : nullptr,
                                                 summaryUnknown(read, *consultation));
        if (!payload) {
            if (payload.error().code == sync::kPayloadFieldUnknown)
                plan.retryReads.insert(sync::neoReadKey(event)); // waits for a read that has the field
            else if (payload.error().code != sync::kPayloadIncomplete)
                return propagate(payload);
            continue; // not sendable as the contract wants it; the visit counts as not read
        }
        built.consultationById.insert(consultation->id, *payload);
        built.input.built.insert(sync::consultationKey(consultation->id), *payload);
    }
    plan.counts.appointmentsSeen = read.events.size();
    for (const sync::NeoScheduleEvent& event : read.events) {
        const QString key = sync::appointmentKey(event.appointmentId);
        const std::optional<QJsonObject> previous = stored.payload(key);
        const auto detail = read.appointmentDetails.constFind(event.appointmentId);
        const sync::NeoConsultation* consultation = readConsultation(read, event);
        sync::AppointmentSources sources{event, consultation,
                                         detail == read.appointmentDetails.cend() ? nullptr : &*detail,
                                         previous ? &*previous : nullptr};
        sources.phoneUnknown = phoneUnknown(read, consultation);
        auto payload = sync::appointmentPayload(sources, zone, country);
        if (!payload) {
            if (payload.error().code != sync::kPayloadIncomplete)
                return propagate(payload);
            built.input.seenNotBuilt.insert(key); // still in Neo: never taken as removed
            continue;
        }
        if (statusUnknown(read, event) && previous) {
            // The older shape's status that Neo stopped sending: the stored one, not the CSS class's.
            payload->insert(QStringLiteral("status"), previous->value(QStringLiteral("status")));
            payload->insert(QStringLiteral("status_raw"), previous->value(QStringLiteral("status_raw")));
            built.keptFromStore.insert(key);
        }
        built.input.built.insert(key, *payload);
    }
    for (const QString& id : read.refusedIds)
        built.input.seenNotBuilt.insert(sync::appointmentKey(id)); // refused, but still in Neo
    for (const QString& id : read.confirmedGone)
        built.input.provenGone.insert(sync::appointmentKey(id));
    return ok();
}

// Destructive changes wait for a second read; what this run could not settle stays held. A held change of
// an appointment that left the window can no longer be read again: it is dropped, the stored value stays.
sync::GuardResult guardChanges(const sync::NeoRead& read, const StoredState& stored, BuiltItems& built,
                               const QString& runId, const QDateTime& now)
{
    QHash<QString, QJsonObject> before;
    for (auto it = built.input.built.cbegin(); it != built.input.built.cend(); ++it) {
        const auto observation = stored.observations.constFind(it.key());
        if (observation == stored.observations.cend() || observation->removed)
            continue;
        if (const std::optional<QJsonObject> payload = stored.payload(it.key()))
            before.insert(it.key(), *payload);
    }
    QHash<QString, sync::HeldChange> held;
    QList<sync::HeldChange> outOfReach;
    for (auto it = stored.held.cbegin(); it != stored.held.cend(); ++it) {
        const auto observation = stored.observations.constFind(it->key);
        const bool appointment = sync::itemKindOfKey(it->key) == sync::ItemKind::Appointment;
        if (observation == stored.observations.cend() ||
            (appointment && read.window.scheduleRead && !read.window.contains(observation->localDate)))
            outOfReach.append(*it);
        else
            held.insert(it.key(), *it);
    }
    sync::GuardResult guard = sync::guardDestructiveChanges(built.input.built, before, held, runId, now);
    guard.settled.append(outOfReach);
    for (auto it = built.input.built.cbegin(); it != built.input.built.cend(); ++it) {
        if (sync::itemKindOfKey(it.key()) == sync::ItemKind::Consultation)
            built.consultationById.insert(sync::itemIdOfKey(it.key()), it.value());
    }
    return guard;
}

void buildVisits(const sync::NeoRead& read, const StoredState& stored, const sync::PhoneCountry& country,
                 BuiltItems& built, const RunPlan& plan, const sync::GuardResult& guard)
{
    for (const sync::NeoScheduleEvent& event : read.events) {
        const QString key = sync::appointmentKey(event.appointmentId);
        const auto payload = built.input.built.constFind(key);
        if (payload == built.input.built.cend())
            continue;
        const std::optional<QJsonObject> previous = stored.payload(key);
        const auto detail = read.appointmentDetails.constFind(event.appointmentId);
        const sync::NeoConsultation* consultation = readConsultation(read, event);
        sync::AppointmentSources sources{event, consultation,
                                         detail == read.appointmentDetails.cend() ? nullptr : &*detail,
                                         previous ? &*previous : nullptr};
        sources.phoneUnknown = phoneUnknown(read, consultation);
        const QString consultationId = event.consultationId.value_or(QString());
        const std::optional<QJsonObject> consultationPayload =
            latestConsultation(built, stored, consultationId);
        sync::VisitInput visit =
            sync::visitInput(sources, consultationPayload ? &*consultationPayload : nullptr, country);
        if (guard.keptKeys.contains(key) || built.keptFromStore.contains(key))
            sync::keepStoredFacts(visit, *payload, country);
        if ((!consultationId.isEmpty() && guard.keptKeys.contains(sync::consultationKey(consultationId))) ||
            readFailed(read, plan, event) || read.visitsRefused)
            visit.complete = false;
        built.visits.append(visit);
    }
}

// The removed appointments become visits too: a planned call of a deleted appointment is cancelled.
[[nodiscard]] Status addRemovedVisits(const QList<sync::ReconciledItem>& items, const BuiltItems& built,
                                      const StoredState& stored, QList<sync::VisitInput>& visits)
{
    for (const sync::ReconciledItem& item : items) {
        if (item.change != ItemChange::Removed)
            continue;
        const std::optional<QJsonObject> consultation = latestConsultation(
            built, stored, item.payload.value(QStringLiteral("neo_consultation_id")).toString());
        auto visit = sync::removedVisitInput(item.payload, consultation ? &*consultation : nullptr);
        if (!visit)
            return propagate(visit);
        visits.append(*visit);
    }
    return ok();
}

void countDecision(const sync::DecisionUpdate& update, const StoredState& stored, PlanCounts& counts)
{
    const sync::DischargeDecision& decision = update.decision;
    switch (decision.kind) {
    case sync::DecisionKind::Planned:
        ++counts.callsPlanned;
        if (update.changed) {
            const bool wasPlanned =
                std::any_of(stored.decisions.cbegin(), stored.decisions.cend(), [&](const auto& d) {
                    return d.appointmentId == decision.appointmentId && d.kind == sync::DecisionKind::Planned;
                });
            if (!wasPlanned)
                ++counts.callsNewlyPlanned;
        }
        break;
    case sync::DecisionKind::WaitingForNotes:
        ++counts.callsWaiting;
        break;
    case sync::DecisionKind::Excluded:
        ++counts.callsExcluded;
        ++counts.excludedByReason[sync::reasonCode(decision.reason)];
        break;
    case sync::DecisionKind::Cancelled:
        ++counts.callsCancelled;
        break;
    case sync::DecisionKind::Grouped:
        ++counts.callsGrouped;
        break;
    }
}

// Only the discharge_call observations: the decisions are compared among themselves.
QHash<QString, sync::StoredObservation> storedOfKind(const StoredState& stored, ItemKind kind, bool wanted)
{
    QHash<QString, sync::StoredObservation> out;
    for (auto it = stored.observations.cbegin(); it != stored.observations.cend(); ++it) {
        if ((sync::itemKindOfKey(it.key()) == kind) == wanted)
            out.insert(it.key(), it.value());
    }
    return out;
}

// The stored visits the planner needs although this run did not read them: those of live calls (their
// re-check), and every stored appointment while the findings backfill is pending. A stored payload that
// no longer maps is left out: its call is then kept as it is.
QList<sync::VisitInput> unreadVisits(const QList<sync::VisitInput>& read, const StoredState& stored,
                                     const QDateTime& nowUtc)
{
    QSet<QString> wanted;
    QSet<QString> readIds;
    for (const sync::VisitInput& visit : read)
        readIds.insert(visit.appointmentId);
    for (const sync::DischargeDecision& decision : stored.decisions) {
        if (decision.isCall() && decision.scheduledFor > nowUtc && !readIds.contains(decision.appointmentId))
            wanted.insert(sync::appointmentKey(decision.appointmentId));
    }
    if (stored.findingsBackfillPending) {
        for (auto it = stored.observations.cbegin(); it != stored.observations.cend(); ++it) {
            if (sync::itemKindOfKey(it.key()) == ItemKind::Appointment)
                wanted.insert(it.key());
        }
    }
    QList<sync::VisitInput> visits;
    for (const QString& key : std::as_const(wanted)) {
        const std::optional<QJsonObject> appointment = stored.payload(key);
        if (!appointment)
            continue;
        const QString id = appointment->value(QStringLiteral("neo_appointment_id")).toString();
        if (readIds.contains(id))
            continue;
        const std::optional<QJsonObject> consultation = stored.payload(
            sync::consultationKey(appointment->value(QStringLiteral("neo_consultation_id")).toString()));
        auto visit = sync::storedVisitInput(*appointment, consultation ? &*consultation : nullptr);
        if (visit)
            visits.append(*visit);
    }
    return visits;
}

} // namespace

Result<RunPlan> reconcileRead(const ClinicRead& read, const StoredState& stored, const QTimeZone& zone,
                              const sync::PhoneCountry& country, const QString& runId)
{
    RunPlan plan;
    plan.observedAt = read.readAt;
    BuiltItems built;
    built.input.window = read.neo.window;
    built.input.stored = storedOfKind(stored, ItemKind::DischargeCall, false);
    if (auto items = buildPayloads(read.neo, stored, zone, country, built, plan); !items)
        return propagate(items);
    const sync::GuardResult guard = guardChanges(read.neo, stored, built, runId, read.readAt);
    plan.heldChanges = guard.held;
    plan.settledChanges = guard.settled;
    buildVisits(read.neo, stored, country, built, plan, guard);
    for (const QJsonObject& payload : std::as_const(built.consultationById)) {
        ++plan.counts.consultationsFetched;
        if (payload.value(QStringLiteral("has_notes")).toBool())
            ++plan.counts.notesFound;
    }
    auto reconciled = sync::reconcile(built.input);
    if (!reconciled)
        return propagate(reconciled);
    if (auto removed = addRemovedVisits(reconciled->items, built, stored, built.visits); !removed)
        return propagate(removed);
    plan.visits = std::move(built.visits);
    for (const sync::ReconciledItem& item : std::as_const(reconciled->items)) {
        if (item.needsUpload())
            plan.changes.append(item);
    }
    plan.counts.itemsToQueue = plan.changes.size();
    plan.warnings = read.neo.runWarnings();
    plan.warnings.append(guard.warnings);
    if (!plan.retryReads.isEmpty())
        plan.warnings.append(
            sync::RunWarning{QString(sync::warning_code::kFieldDrift),
                             QString(sync::neo_endpoint::kConsultation),
                             QStringLiteral("consultation.dischargeSummary"),
                             {},
                             QStringLiteral("not sent and nothing stored to keep; read again next run"),
                             int(plan.retryReads.size())});
    plan.warnings = sync::mergedWarnings(plan.warnings);
    return plan;
}

Result<RunPlan> planCalls(RunPlan plan, const StoredState& stored, const sync::ClinicPolicy& policy,
                          const QDateTime& nowUtc)
{
    auto planner = sync::DischargePlanner::create(policy);
    if (!planner)
        return propagate(planner);
    const sync::PlanInput input{plan.visits, unreadVisits(plan.visits, stored, nowUtc), stored.decisions,
                                stored.findings, nowUtc};
    auto planned = planner->plan(input);
    if (!planned)
        return propagate(planned);
    plan.newFindings = planned->newFindings;
    plan.findingsBackfilled = stored.findingsBackfillPending;
    sync::ReconcileInput calls;
    calls.stored = storedOfKind(stored, ItemKind::DischargeCall, true);
    for (const sync::DecisionUpdate& update : std::as_const(planned->updates)) {
        countDecision(update, stored, plan.counts);
        calls.built.insert(sync::dischargeCallKey(update.decision.appointmentId),
                           sync::dischargeCallPayload(update.decision, policy.zone));
        if (update.changed)
            plan.changedDecisions.append(update.decision);
    }
    auto reconciled = sync::reconcile(calls);
    if (!reconciled)
        return propagate(reconciled);
    for (const sync::ReconciledItem& item : std::as_const(reconciled->items)) {
        if (item.needsUpload())
            plan.changes.append(item);
    }
    plan.counts.itemsToQueue = plan.changes.size();
    return plan;
}

} // namespace odis::agent
