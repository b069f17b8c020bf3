#include "sync/core/reconciler.h"

#include "sync/core/canonical_json.h"
#include "sync/core/payloads.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <tuple>

namespace odis::sync {

namespace {

std::unexpected<Error> invalidInput(const QString& message)
{
    return fail(QString(kReconcileInputInvalid), message);
}

// Collects the paths whose values differ. Leaves are compared by their canonical JSON, the form the
// version hashes: 1 and 1.0, or the same keys in another order, are the same value here as there.
void collectDifferences(const QJsonObject& before, const QJsonObject& after, const QString& prefix,
                        QStringList& paths)
{
    QStringList keys = before.keys() + after.keys();
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const QString& key : std::as_const(keys)) {
        const QJsonValue old = before.value(key);
        const QJsonValue now = after.value(key);
        if (old.isObject() && now.isObject()) {
            collectDifferences(old.toObject(), now.toObject(), prefix + key + u'.', paths);
            continue;
        }
        const bool presenceDiffers = before.contains(key) != after.contains(key);
        if (presenceDiffers || canonicalJson(old) != canonicalJson(now))
            paths.append(prefix + key);
    }
}

[[nodiscard]] Result<QJsonObject> storedPayload(const QString& key, const StoredObservation& stored)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(stored.payload, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return fail(QString(kObservationPayloadInvalid),
                    QStringLiteral("the stored payload of %1 is not a JSON object").arg(key));
    return document.object();
}

ReconciledItem finish(ReconciledItem item)
{
    item.canonical = canonicalJson(item.payload);
    item.version = sha256Hex(item.canonical);
    return item;
}

[[nodiscard]] Result<ReconciledItem> compareBuilt(const QString& key, ItemKind kind,
                                                  const QJsonObject& payload, const StoredObservation* stored)
{
    ReconciledItem item;
    item.key = key;
    item.kind = kind;
    item.payload = payload;
    if (kind == ItemKind::Appointment)
        item.localDate = QDate::fromString(payload.value(QStringLiteral("date")).toString(), Qt::ISODate);
    item = finish(std::move(item));
    if (!stored) {
        item.change = ItemChange::New;
        return item;
    }
    if (!stored->removed && stored->version == item.version) {
        item.change = ItemChange::Unchanged;
        return item;
    }
    item.change = stored->removed ? ItemChange::Reappeared : ItemChange::Changed;
    const auto before = storedPayload(key, *stored);
    if (!before)
        return propagate(before);
    collectDifferences(*before, payload, QString(), item.changedPaths);
    return item;
}

[[nodiscard]] Status checkBuiltKey(const QString& key, const QJsonObject& payload,
                                   std::optional<ItemKind> kind)
{
    if (!kind)
        return invalidInput(QStringLiteral("an item key of no known kind was built"));
    const QJsonValue id = payload.value(itemIdField(*kind));
    if (!id.isString() || id.toString() != itemIdOfKey(key))
        return invalidInput(
            QStringLiteral("the payload of %1 does not carry its id in %2").arg(key, itemIdField(*kind)));
    return ok();
}

} // namespace

QString itemChangeName(ItemChange change)
{
    switch (change) {
    case ItemChange::New:
        return QStringLiteral("new");
    case ItemChange::Changed:
        return QStringLiteral("changed");
    case ItemChange::Unchanged:
        return QStringLiteral("unchanged");
    case ItemChange::Removed:
        return QStringLiteral("removed");
    case ItemChange::Reappeared:
        return QStringLiteral("reappeared");
    }
    return {};
}

qsizetype Reconciliation::count(ItemChange change) const
{
    return std::ranges::count(items, change, &ReconciledItem::change);
}

Result<Reconciliation> reconcile(const ReconcileInput& input)
{
    Reconciliation result;
    result.items.reserve(input.built.size());
    for (auto it = input.built.cbegin(); it != input.built.cend(); ++it) {
        const std::optional<ItemKind> kind = itemKindOfKey(it.key());
        if (const Status valid = checkBuiltKey(it.key(), it.value(), kind); !valid)
            return propagate(valid);
        const auto stored = input.stored.constFind(it.key());
        auto item =
            compareBuilt(it.key(), *kind, it.value(), stored == input.stored.cend() ? nullptr : &*stored);
        if (!item)
            return propagate(item);
        result.items.append(std::move(*item));
    }

    // Absence means removal only for appointments, only inside a window whose schedule was read, and only
    // with proof: the appointment itself was read and is gone.
    if (input.window.scheduleRead) {
        for (auto it = input.stored.cbegin(); it != input.stored.cend(); ++it) {
            const StoredObservation& stored = it.value();
            if (itemKindOfKey(it.key()) != ItemKind::Appointment || stored.removed ||
                !input.window.contains(stored.localDate) || input.built.contains(it.key()) ||
                input.seenNotBuilt.contains(it.key()) || !input.provenGone.contains(it.key()))
                continue;
            const auto before = storedPayload(it.key(), stored);
            if (!before)
                return propagate(before);
            ReconciledItem item;
            item.key = it.key();
            item.kind = ItemKind::Appointment;
            item.change = ItemChange::Removed;
            item.payload = removedAppointmentPayload(*before);
            item.removed = true;
            item.localDate = stored.localDate;
            result.items.append(finish(std::move(item)));
        }
    }

    std::ranges::sort(result.items, [](const ReconciledItem& left, const ReconciledItem& right) {
        if (left.kind != right.kind)
            return left.kind < right.kind;
        const QString leftId = itemIdOfKey(left.key);
        const QString rightId = itemIdOfKey(right.key);
        return neoIdLess(leftId, rightId);
    });
    return result;
}

} // namespace odis::sync
