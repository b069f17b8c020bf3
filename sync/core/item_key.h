#pragma once

// The identity of a sync item (docs/backend-api.md, "Item kinds"): "<kind>:<neo id>", the same key in
// the local store (observations, outbox) and on the wire.

#include <QString>
#include <QStringView>

#include <optional>

namespace odis::sync {

enum class ItemKind
{
    Appointment,   // "appointment:<neo_appointment_id>"
    Consultation,  // "consultation:<neo_consultation_id>"
    DischargeCall, // "discharge_call:<neo_appointment_id>"
};

// "appointment", "consultation", "discharge_call": the item's `kind` on the wire and in the store.
[[nodiscard]] QString itemKindName(ItemKind kind);

// "<kind>:<id>".
[[nodiscard]] QString itemKey(ItemKind kind, QStringView neoId);
[[nodiscard]] inline QString appointmentKey(QStringView appointmentId)
{
    return itemKey(ItemKind::Appointment, appointmentId);
}
[[nodiscard]] inline QString consultationKey(QStringView consultationId)
{
    return itemKey(ItemKind::Consultation, consultationId);
}

// The kind a key names; nullopt unless the key is one of the prefixes followed by a non-empty id.
[[nodiscard]] std::optional<ItemKind> itemKindOfKey(QStringView key);
// The id after the prefix; empty when itemKindOfKey() is nullopt.
[[nodiscard]] QString itemIdOfKey(QStringView key);

// The payload field that carries a kind's id: neo_consultation_id for consultations, else
// neo_appointment_id.
[[nodiscard]] QString itemIdField(ItemKind kind);

// A total order on Neo ids: decimal ids numerically (shorter first, then digit by digit), before any
// other text, which is ordered by UTF-16 code units.
[[nodiscard]] bool neoIdLess(QStringView left, QStringView right);

} // namespace odis::sync
