#include "agent/run/patient_findings_store.h"

#include "storage/database.h"
#include "sync/core/discharge_call_item.h"

namespace odis::agent {

Result<QList<sync::PatientFinding>> loadPatientFindings(storage::Database& db)
{
    auto rows =
        db.query(QStringLiteral("SELECT patient_id, appointment_id, rule, words FROM patient_findings "
                                "ORDER BY patient_id"));
    if (!rows)
        return propagate(rows);
    QList<sync::PatientFinding> findings;
    findings.reserve(rows->size());
    for (const QVariantList& row : *rows) {
        sync::PatientFinding finding;
        finding.patientId = row.value(0).toString();
        finding.appointmentId = row.value(1).toString();
        const QString rule = row.value(2).toString();
        if (rule == sync::reasonCode(sync::DecisionReason::EndOfLife))
            finding.rule = sync::DecisionReason::EndOfLife;
        else if (rule == sync::reasonCode(sync::DecisionReason::EndOfLifePossible))
            finding.rule = sync::DecisionReason::EndOfLifePossible;
        else
            return fail(QString(sync::kDischargeItemInvalid),
                        QStringLiteral("a stored patient finding has the unknown rule \"%1\"").arg(rule));
        finding.words = row.value(3).toString();
        findings.append(finding);
    }
    return findings;
}

Result<bool> findingsBackfillPending(storage::Database& db)
{
    auto rows = db.query(QStringLiteral("SELECT 1 FROM kv WHERE key = ?"), {QString(kFindingsBackfillKey)});
    if (!rows)
        return propagate(rows);
    return !rows->isEmpty();
}

Status storePatientFindings(storage::Database& db, const QList<sync::PatientFinding>& findings,
                            bool backfillDone, const QString& runId, const QString& at)
{
    for (const sync::PatientFinding& finding : findings) {
        auto inserted = db.execute(
            QStringLiteral("INSERT OR IGNORE INTO patient_findings(patient_id, appointment_id, rule, words, "
                           "found_at, run_id) VALUES(?, ?, ?, ?, ?, ?)"),
            {finding.patientId, finding.appointmentId, sync::reasonCode(finding.rule), finding.words, at,
             runId});
        if (!inserted)
            return propagate(inserted);
    }
    if (backfillDone) {
        auto removed =
            db.execute(QStringLiteral("DELETE FROM kv WHERE key = ?"), {QString(kFindingsBackfillKey)});
        if (!removed)
            return propagate(removed);
    }
    return ok();
}

} // namespace odis::agent
