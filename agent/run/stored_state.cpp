#include "agent/run/stored_state.h"

#include "agent/run/patient_findings_store.h"
#include "storage/database.h"
#include "sync/core/discharge_call_item.h"
#include "sync/core/item_key.h"

#include <QJsonDocument>

namespace odis::agent {

std::optional<QJsonObject> StoredState::payload(const QString& key) const
{
    const auto it = observations.constFind(key);
    if (it == observations.cend())
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(it->payload);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

Result<StoredState> loadStoredState(storage::Database& db)
{
    auto rows =
        db.query(QStringLiteral("SELECT key, kind, version, payload, removed, local_date FROM observations"));
    if (!rows)
        return propagate(rows);
    StoredState state;
    state.observations.reserve(rows->size());
    const QString callKind = sync::itemKindName(sync::ItemKind::DischargeCall);
    for (const QVariantList& row : *rows) {
        sync::StoredObservation observation;
        observation.version = row.value(2).toString();
        observation.payload = row.value(3).toString().toUtf8();
        observation.removed = row.value(4).toInt() != 0;
        observation.localDate = QDate::fromString(row.value(5).toString(), Qt::ISODate);
        const QString key = row.value(0).toString();
        if (row.value(1).toString() == callKind) {
            const QJsonDocument document = QJsonDocument::fromJson(observation.payload);
            auto decision = sync::dischargeDecisionFromPayload(document.object());
            if (!document.isObject() || !decision)
                return fail(
                    QString(sync::kDischargeItemInvalid),
                    QStringLiteral("the stored decision %1 does not read back%2")
                        .arg(key, decision ? QString() : QStringLiteral(": ") + decision.error().message));
            state.decisions.append(*decision);
        }
        state.observations.insert(key, observation);
    }
    auto findings = loadPatientFindings(db);
    if (!findings)
        return propagate(findings);
    state.findings = std::move(*findings);
    auto pending = findingsBackfillPending(db);
    if (!pending)
        return propagate(pending);
    state.findingsBackfillPending = *pending;
    auto held = db.query(QStringLiteral("SELECT key, kind, since, run_id FROM held_changes"));
    if (!held)
        return propagate(held);
    for (const QVariantList& row : *held) {
        const sync::HeldChange change{row.value(0).toString(), row.value(1).toString(),
                                      QDateTime::fromString(row.value(2).toString(), Qt::ISODateWithMs),
                                      row.value(3).toString()};
        state.held.insert(sync::heldChangeId(change.key, change.kind), change);
    }
    return state;
}

} // namespace odis::agent
