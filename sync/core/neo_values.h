#pragma once

// The value rules behind Neo's fields, independent of where a value sits: ids, clinic-local times,
// times of day, older-shape client names.

#include "storage/result.h"
#include "sync/core/neo_types.h"

#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <optional>

namespace odis::sync {

// Neo ids are positive integers; anything above 2^53 - 1 cannot be handled by Neo's own JavaScript
// pages either, so it is not a real id.
inline constexpr qint64 kMaxNeoId = (qint64(1) << 53) - 1;

// An integral JSON number or a string of decimal digits (white space around it allowed) in
// 1..kMaxNeoId, as its canonical decimal string; an error message saying why not otherwise.
[[nodiscard]] Result<QString> normaliseNeoId(const QJsonValue& value);

// "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", seconds and a fraction optional, or a date alone
// when `allowDateOnly`. "24:00:00" is the next day's 00:00. A zone suffix ("Z", "+01:00") is refused:
// Neo's times are clinic-local, and guessing what a zone would mean could move a visit by hours.
[[nodiscard]] Result<LocalDateTime> parseLocalDateTime(QStringView text, bool allowDateOnly = false);

// "HH:MM" or "HH:MM:SS" as minutes after midnight, 0..1440 ("24:00" allowed).
[[nodiscard]] std::optional<int> parseMinutesOfDay(QStringView text);

// Splits an older-shape client name: "LAST, FIRST" at the first comma, else "First Last" at the first
// space (so two surnames stay together: "María García López" -> "María" / "García López"); a single
// word is a last name. Both parts normalised.
struct SplitName
{
    QString first;
    QString last;
};
[[nodiscard]] SplitName splitClientName(QStringView raw);

// The JSON type of a value in words ("object", "array", "boolean", ...), for warnings.
[[nodiscard]] QString jsonTypeName(const QJsonValue& value);

} // namespace odis::sync
