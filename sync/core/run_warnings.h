#pragma once

// What a run has to say about what it read and kept: answers the contract refused, items refused, Neo's
// drift, days that collapsed and changes held back until a second read confirms them. They reach the
// run's row (the runs table, for the heartbeat and `status`), the run report's `warnings`
// (docs/backend-api.md) and the log. Field paths and endpoint names only, never a value: a field's name
// is not clinic data, its content may be.

#include "storage/codes/sync_core_codes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QString>

namespace odis::sync {

namespace warning_code {
// An answer broke the contract (a field missing, of the wrong type or form, an unknown shape): nothing of
// its step was handed on.
inline constexpr QLatin1StringView kLayoutChanged{codes::kNeoLayoutChanged};
// One item (row, consultation, appointment) refused: a value over its maximum, or invalid UTF-8.
inline constexpr QLatin1StringView kValueTooLong{codes::kNeoValueTooLong};
inline constexpr QLatin1StringView kInvalidUtf8{codes::kNeoInvalidUtf8};
// An Optional field that earlier reads had is absent from every answer of this run: stored values kept.
inline constexpr QLatin1StringView kFieldDrift{codes::kNeoFieldDrift};
// A day of the schedule came back empty or collapsed against what the store holds for it (or against
// the same weekday a week earlier): nothing of it is removed.
inline constexpr QLatin1StringView kVolumeCollapse{codes::kNeoVolumeCollapse};
// A destructive change waits for a second read to confirm it (`kind` says which).
inline constexpr QLatin1StringView kHeldBack{codes::kHeldBack};
// Drift Neo's answer was still usable with: an unknown status or field. Reported, not held.
inline constexpr QLatin1StringView kDrift{codes::kNeoDrift};
} // namespace warning_code

// The kinds of held-back changes.
namespace held_kind {
inline constexpr QLatin1StringView kRemoval{"removal"};            // an appointment gone from the schedule
inline constexpr QLatin1StringView kNotesEmptied{"notes_emptied"}; // notes from text to empty
inline constexpr QLatin1StringView kSummaryEmptied{"summary_emptied"};     // discharge summary to empty
inline constexpr QLatin1StringView kPhoneRemoved{"phone_removed"};         // a phone number that disappeared
inline constexpr QLatin1StringView kStatusUnfinished{"status_unfinished"}; // a finished visit no longer so
} // namespace held_kind

struct RunWarning
{
    QString code;     // warning_code::k*
    QString endpoint; // "getCalendarEventData", "page-data", "getAppointment"; empty when none applies
    QString field;    // the field's path ("consultation.notes", "[].phone_number"); empty when none
    QString kind;     // held_back: held_kind::k*; empty otherwise
    QString detail;   // what happened, in words (no values): "missing", "2026-03-10: 0 of 25 stored"
    int count = 1;    // rows, items or days it concerns

    // Whether a run that says this ends `partial` rather than `completed`: everything but kDrift.
    [[nodiscard]] bool makesPartial() const;
    [[nodiscard]] QString toString() const; // "neo_layout_changed page-data consultation.notes: missing (x3)"
    [[nodiscard]] QJsonObject
    toJson() const; // {code, endpoint|null, field|null, kind|null, detail|null, count}
    [[nodiscard]] static RunWarning fromJson(const QJsonObject& json);

    friend bool operator==(const RunWarning&, const RunWarning&) = default;
};

// Warnings with the same code, endpoint, field, kind and detail merged into one, their counts added, in
// the order first seen; at most `limit` kept (the rest merged into one last "further warnings" entry of
// the first dropped code), so a hostile answer cannot grow a report without bound.
[[nodiscard]] QList<RunWarning> mergedWarnings(const QList<RunWarning>& warnings, qsizetype limit = 50);

[[nodiscard]] QJsonArray warningsJson(const QList<RunWarning>& warnings);
[[nodiscard]] QList<RunWarning> warningsFromJson(const QJsonArray& array);

// The most serious code among `warnings` that makes a run partial (layout, then refusals, drift,
// collapse, held back); empty when none does.
[[nodiscard]] QString leadingWarningCode(const QList<RunWarning>& warnings);

} // namespace odis::sync
