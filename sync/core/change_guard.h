#pragma once

// Destructive changes need a second read (docs/idexx-neo.md, "Destructive changes need proof"): notes or
// a discharge summary that go from text to empty, a phone number that disappears, a finished visit that
// is no longer finished. The first read that shows one keeps the stored values in the payload and
// records the change as held back (the held_changes table); the next read of the same item settles it:
// the change is applied when that read shows it again, dropped when it does not. Everything else (a new
// phone number, edited notes, a new status after an unfinished one) goes through at once.
//
// Pure: the run code loads the held changes, calls guardDestructiveChanges() on the payloads it built,
// and stores what it says in the run's one transaction.

#include "sync/core/run_warnings.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

namespace odis::sync {

// One row of held_changes.
struct HeldChange
{
    QString key;     // the item key: "appointment:<id>", "consultation:<id>"
    QString kind;    // held_kind::k* (not kRemoval: removals are proven by reading the appointment)
    QDateTime since; // UTC of the first read that showed it
    QString runId;   // that read's run

    friend bool operator==(const HeldChange&, const HeldChange&) = default;
};

// "appointment:482913\nphone_removed": one held change per item and kind.
[[nodiscard]] QString heldChangeId(const QString& key, const QString& kind);

struct GuardResult
{
    QList<HeldChange> held;     // new rows: changes held back by this run
    QList<HeldChange> settled;  // rows to delete: confirmed (applied now) or not seen again
    QSet<QString> keptKeys;     // items whose payload kept stored values
    QList<RunWarning> warnings; // held_back, by kind
    int confirmed = 0;          // changes applied now, confirmed by this second read
};

// Checks every payload of `built` (this run's appointment and consultation payloads, by key) against
// its stored payload (`stored`, by key; removed ones excluded by the caller) and the held changes
// (`held`, by heldChangeId()). Payloads that keep stored values are changed in place. A held change of
// an item not built in this run stays held.
[[nodiscard]] GuardResult guardDestructiveChanges(QHash<QString, QJsonObject>& built,
                                                  const QHash<QString, QJsonObject>& stored,
                                                  const QHash<QString, HeldChange>& held,
                                                  const QString& runId, const QDateTime& nowUtc);

} // namespace odis::sync
