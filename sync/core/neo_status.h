#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace odis::sync {

// What a visit's Neo status means to the agent. The names on the wire are the backend contract's
// (`scheduled`, `checked_in`, ...); Neo's own string is always kept next to it as the raw status.
enum class NeoStatus
{
    Scheduled,
    CheckedIn,
    InProgress,
    Completed,
    NoShow,
    Cancelled,
    Unknown,
};

// The contract's name of a status: "scheduled", "checked_in", "in_progress", "completed", "no_show",
// "cancelled", "unknown".
[[nodiscard]] QString statusName(NeoStatus status);

// The inverse of statusName(); nullopt for anything that is not exactly one of those names.
[[nodiscard]] std::optional<NeoStatus> statusFromName(QStringView name);

// Maps a status string as Neo shows it (schedule `current_status`/`status_label`/`status`, a CSS
// `className` token, a consultation's `in_progress|completed|cancelled`) to its meaning, by the table
// settled in docs/idexx-neo.md. Case-insensitive, trimmed, and `_`/`-` read as spaces so that
// "Checked In", "checked_in" and "checked-in" agree. Anything not in the table is Unknown: the caller
// keeps the raw string and reports drift.
[[nodiscard]] NeoStatus normaliseNeoStatus(QStringView raw);

} // namespace odis::sync
