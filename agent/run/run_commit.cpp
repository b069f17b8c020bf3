#include "agent/run/run_commit.h"

#include "agent/run/patient_findings_store.h"
#include "agent/run/run_log.h"
#include "storage/database.h"
#include "sync/backend/outbox.h"
#include "sync/backend/utc_text.h"
#include "sync/core/discharge_call_item.h"
#include "sync/core/item_key.h"
#include "sync/neo/neo_read_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace odis::agent {

namespace {

QVariant nullIfEmpty(const QString& text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

[[nodiscard]] Status storeObservation(storage::Database& db, const sync::ReconciledItem& item,
                                      const QString& observedAt)
{
    const QString kind = sync::itemKindName(item.kind);
    const QVariant localDate =
        item.localDate.isValid() ? QVariant(item.localDate.toString(Qt::ISODate)) : QVariant();
    const QString payload = QString::fromUtf8(item.canonical);
    auto updated = db.execute(
        QStringLiteral(
            "UPDATE observations SET kind = ?, version = ?, payload = ?, observed_at = ?, local_date = ?, "
            "removed = ?, acked = 0 WHERE key = ?"),
        {kind, item.version, payload, observedAt, localDate, item.removed ? 1 : 0, item.key});
    if (!updated)
        return propagate(updated);
    if (*updated > 0)
        return ok();
    auto inserted = db.execute(
        QStringLiteral("INSERT INTO observations(key, kind, version, payload, observed_at, first_seen_at, "
                       "local_date, removed) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"),
        {item.key, kind, item.version, payload, observedAt, observedAt, localDate, item.removed ? 1 : 0});
    return inserted ? ok() : Status(propagate(inserted));
}

// Each planned visit read becomes its neo_reads row: a success stores the row version it was read
// against, a failure counts up so that the read is due again next run.
[[nodiscard]] Status storeReads(storage::Database& db, const ClinicRead& read, const RunPlan& plan)
{
    for (const sync::VisitReadOutcome& visit : read.neo.visits) {
        const auto previous = read.previousReads.constFind(visit.planned.key);
        std::optional<QString> failure =
            visit.failure ? std::optional<QString>(visit.failure->code) : std::nullopt;
        if (!failure && plan.retryReads.contains(visit.planned.key))
            failure = QString(sync::warning_code::kFieldDrift); // answered without a field it needed
        const sync::NeoReadState state =
            sync::readStateAfter(visit.planned, previous == read.previousReads.cend() ? nullptr : &*previous,
                                 failure, read.readAt);
        if (auto stored = sync::storeNeoReadState(db, state); !stored)
            return stored;
    }
    return ok();
}

[[nodiscard]] Status storeHeldChanges(storage::Database& db, const RunPlan& plan)
{
    for (const sync::HeldChange& change : plan.settledChanges) {
        if (auto deleted = db.execute(QStringLiteral("DELETE FROM held_changes WHERE key = ? AND kind = ?"),
                                      {change.key, change.kind});
            !deleted)
            return propagate(deleted);
    }
    for (const sync::HeldChange& change : plan.heldChanges) {
        if (auto inserted =
                db.execute(QStringLiteral("INSERT OR REPLACE INTO held_changes(key, kind, since, run_id) "
                                          "VALUES(?, ?, ?, ?)"),
                           {change.key, change.kind, sync::utcText(change.since), change.runId});
            !inserted)
            return propagate(inserted);
    }
    return ok();
}

[[nodiscard]] Status storeDecision(storage::Database& db, const sync::DischargeDecision& decision,
                                   const QTimeZone& zone, const QString& runId, const QString& at)
{
    const QJsonObject payload = sync::dischargeCallPayload(decision, zone);
    const auto text = [&payload](const char* field) {
        const QJsonValue value = payload.value(QLatin1StringView(field));
        return value.isString() ? QVariant(value.toString()) : QVariant();
    };
    auto replaced = db.execute(
        QStringLiteral(
            "INSERT OR REPLACE INTO discharge_decisions(appointment_id, consultation_id, decision, "
            "reason, scheduled_for, scheduled_for_local, customer_phone, rule_trace, decided_at, "
            "run_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {decision.appointmentId, nullIfEmpty(decision.consultationId), sync::decisionKindCode(decision.kind),
         decision.wireReason(), text("scheduled_for"), text("scheduled_for_local"),
         nullIfEmpty(decision.customerPhone),
         QString::fromUtf8(QJsonDocument(payload.value(QStringLiteral("rule_trace")).toArray())
                               .toJson(QJsonDocument::Compact)),
         at, runId});
    return replaced ? ok() : Status(propagate(replaced));
}

[[nodiscard]] Status writeAll(storage::Database& db, sync::Outbox& outbox, RunLog& log,
                              const RunCommit& commit)
{
    const QString observedAt = sync::utcText(commit.plan.observedAt);
    for (const sync::ReconciledItem& item : commit.plan.changes) {
        if (auto stored = storeObservation(db, item, observedAt); !stored)
            return stored;
        if (auto queued =
                outbox.enqueue(sync::OutboxItem{sync::itemKindName(item.kind), item.key, item.version,
                                                commit.plan.observedAt, item.canonical});
            !queued)
            return queued;
    }
    if (auto reads = storeReads(db, commit.read, commit.plan); !reads)
        return reads;
    if (auto held = storeHeldChanges(db, commit.plan); !held)
        return held;
    const sync::PresenceCounts presence = sync::updatedBaseline(
        commit.read.presenceBaseline, commit.read.neo.presence, commit.read.neo.fieldDrift);
    if (auto stored = sync::storeFieldPresence(db, presence, commit.read.readAt); !stored)
        return stored;
    if (auto warnings = log.setWarnings(commit.runId, commit.plan.warnings); !warnings)
        return warnings;
    for (const sync::DischargeDecision& decision : commit.plan.changedDecisions) {
        if (auto stored = storeDecision(db, decision, commit.zone, commit.runId, observedAt); !stored)
            return stored;
    }
    if (auto findings = storePatientFindings(db, commit.plan.newFindings, commit.plan.findingsBackfilled,
                                             commit.runId, observedAt);
        !findings)
        return findings;
    if (auto volume = sync::storeScheduleVolume(db, commit.read.neo.appointmentsPerDay, commit.read.readAt);
        !volume)
        return volume;
    if (auto progress = log.setProgress(commit.runId, commit.counts, commit.driftWarnings); !progress)
        return progress;
    return log.setStep(commit.runId, run_step::kUpload);
}

} // namespace

Status commitRun(storage::Database& db, sync::Outbox& outbox, RunLog& log, const RunCommit& commit)
{
    return db.transaction([&] { return writeAll(db, outbox, log, commit); });
}

} // namespace odis::agent
