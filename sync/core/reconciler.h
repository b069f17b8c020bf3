#pragma once

// Reconciliation: what this run read from Neo (and decided) against what the store last kept, by item
// key and version (docs/backend-api.md: the SHA-256 of the canonical payload). It tells the run code
// what to store and what to queue for upload. Pure and deterministic: no clock, no store, no order
// dependence on the input containers.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/item_key.h"
#include "sync/core/reconcile_window.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace odis::sync {

// A caller bug, not clinic data: a key of no known kind, a payload whose id does not match its key.
inline constexpr QLatin1StringView kReconcileInputInvalid{codes::kReconcileInputInvalid};
// A stored payload that is not a JSON object although it is needed (changed fields, removed form).
inline constexpr QLatin1StringView kObservationPayloadInvalid{codes::kObservationPayloadInvalid};

// The latest observation of one key, as the `observations` table keeps it.
struct StoredObservation
{
    QString version;
    QByteArray payload; // canonical JSON; parsed only when a change or a removal needs it
    bool removed = false;
    QDate localDate; // appointments: the clinic-local visit date; invalid when unknown
};

struct ReconcileInput
{
    // Every item built in this run, by key. These are the only keys compared: a consultation that was
    // not read again (or a call not decided again) is not here and is left as it is stored.
    QHash<QString, QJsonObject> built;
    // Keys of everything Neo returned in this run whose payload could not be built (a row with no
    // usable start time, ...): such an appointment is still in Neo, so it is never taken as removed.
    QSet<QString> seenNotBuilt;
    // The store's observations; appointments among them are checked for removal.
    QHash<QString, StoredObservation> stored;
    ReconcileWindow window;
    // Keys of the appointments proven gone in this run (sync/core/removal_proof.h): only these may be
    // removed. An appointment merely missing from the schedule stays as it is stored.
    QSet<QString> provenGone;
};

enum class ItemChange
{
    New,        // never stored
    Changed,    // stored with another version
    Unchanged,  // stored with the same version: nothing to write, nothing to send
    Removed,    // a stored appointment of the read window that Neo no longer returns, proven gone
    Reappeared, // stored as removed, returned again
};

[[nodiscard]] QString itemChangeName(ItemChange change); // "new", "changed", ...

struct ReconciledItem
{
    QString key;
    ItemKind kind = ItemKind::Appointment;
    ItemChange change = ItemChange::New;
    QJsonObject payload;  // what is current now: the built payload, or the removed form
    QByteArray canonical; // canonicalJson(payload): the stored and uploaded text
    QString version;      // sha256 of `canonical`
    bool removed = false; // the store's `removed` flag after this run
    QDate localDate;      // appointments: the visit's clinic-local date (the payload's `date`)
    // Changed and Reappeared: the field paths whose value differs, sorted: a top-level field
    // ("status", "products_services"), or a field of a nested object ("client.phone_e164"). Arrays
    // count as one value. A field present on one side only is listed too. Empty when only the stored
    // version differs (a payload stored in another canonical form): it is sent again all the same.
    QStringList changedPaths;

    // New, Changed, Removed and Reappeared are stored and queued for upload; Unchanged is neither.
    [[nodiscard]] bool needsUpload() const { return change != ItemChange::Unchanged; }
};

struct Reconciliation
{
    // One entry per built key and per removed appointment, ordered by kind (appointment, consultation,
    // discharge_call) and then by id (numerically for decimal ids).
    QList<ReconciledItem> items;

    [[nodiscard]] qsizetype count(ItemChange change) const;
};

// Errors: kReconcileInputInvalid for a built key of no known kind or whose payload names another id
// (neo_consultation_id for consultations, neo_appointment_id otherwise); kObservationPayloadInvalid
// when a stored payload needed for a change or a removal is not a JSON object.
[[nodiscard]] Result<Reconciliation> reconcile(const ReconcileInput& input);

} // namespace odis::sync
