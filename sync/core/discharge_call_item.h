#pragma once

// The `discharge_call` item of a sync batch (docs/backend-api.md, docs/discharge-rules.md "Output"),
// and its way back: the local store keeps this payload, and the next run reads its decisions from it.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/discharge_decision.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QTimeZone>

namespace odis::sync {

inline constexpr QLatin1StringView kDischargeItemInvalid{codes::kDischargeItemInvalid};

// "discharge_call:<neo_appointment_id>"
[[nodiscard]] QString dischargeCallKey(const QString& appointmentId);

// {neo_appointment_id, neo_consultation_id|null, decision, reason, scheduled_for|null (UTC, "Z"),
//  scheduled_for_local|null (clinic wall clock with its offset), customer_phone|null, rule_trace,
//  group? (a planned call covering others), grouped_into? (a grouped call)}
[[nodiscard]] QJsonObject dischargeCallPayload(const DischargeDecision& decision,
                                               const QTimeZone& clinicZone);

// Reads a payload written by dischargeCallPayload(). Refuses (kDischargeItemInvalid) an unknown
// decision, a reason that does not belong to it, a planned or grouped call without a valid time or a
// number, any other decision with a time, a time that is not "YYYY-MM-DDTHH:MM:SSZ" on a whole minute, a
// phone that is not E.164, a trace that is not a list of strings, a `group` that is not two or more
// distinct ids including the call's own on a planned call, and a `grouped_into` missing on a grouped
// call, present on another, or naming the call itself. scheduled_for_local is derived data and not read.
[[nodiscard]] Result<DischargeDecision> dischargeDecisionFromPayload(const QJsonObject& payload);

} // namespace odis::sync
