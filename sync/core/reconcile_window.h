#pragma once

// The clinic-local dates one run reads from Neo's schedule, inside which an appointment that Neo no
// longer returns counts as removed (docs/idexx-neo.md, "Settled in this project": Window).

#include <QDate>
#include <QDateTime>
#include <QTimeZone>

namespace odis::sync {

// The schedule window this run asked Neo for (docs/idexx-neo.md, "Settled in this project").
struct ReconcileWindow
{
    QDate first; // clinic-local, inclusive
    QDate last;  // clinic-local, inclusive
    // True only when the one schedule call for the whole window answered and parsed. Without it an
    // absence means nothing: no appointment is removed.
    bool scheduleRead = false;

    [[nodiscard]] bool contains(QDate date) const;
};

// The window of the run at `nowUtc` (docs/idexx-neo.md, "Window"): from the clinic-local date of the
// instant now - reconcileDays x 24 h to that of now + lookaheadDays x 24 h (instants first, then their
// dates in `clinicZone`). scheduleRead is false until the run has read it.
[[nodiscard]] ReconcileWindow reconcileWindow(const QDateTime& nowUtc, const QTimeZone& clinicZone,
                                              int reconcileDays, int lookaheadDays);

} // namespace odis::sync
