#include "sync/core/change_guard.h"

#include "sync/core/item_key.h"

#include <QJsonValue>

#include <initializer_list>
#include <span>
namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

QString textAt(const QJsonObject& payload, L1 object, L1 field)
{
    return payload.value(object).toObject().value(field).toString();
}

bool phonePresent(const QJsonObject& payload)
{
    return !textAt(payload, L1("client"), L1("phone_e164")).isEmpty() ||
           !textAt(payload, L1("client"), L1("phone_raw")).trimmed().isEmpty();
}

// A phone that disappears: a number normalised before and none now, or raw text before and nothing now.
bool phoneRemoved(const QJsonObject& before, const QJsonObject& after)
{
    const bool e164Before = !textAt(before, L1("client"), L1("phone_e164")).isEmpty();
    const bool e164After = !textAt(after, L1("client"), L1("phone_e164")).isEmpty();
    return (e164Before && !e164After) || (phonePresent(before) && !phonePresent(after));
}

bool statusUnfinished(const QJsonObject& before, const QJsonObject& after)
{
    return before.value(L1("status")).toString() == u"completed" &&
           after.value(L1("status")).toString() != u"completed";
}

bool emptied(const QJsonObject& before, const QJsonObject& after, L1 field)
{
    return !before.value(field).toString().trimmed().isEmpty() &&
           after.value(field).toString().trimmed().isEmpty();
}

void keepPhone(QJsonObject& payload, const QJsonObject& stored)
{
    QJsonObject client = payload.value(L1("client")).toObject();
    const QJsonObject storedClient = stored.value(L1("client")).toObject();
    client.insert(QStringLiteral("phone_e164"), storedClient.value(L1("phone_e164")));
    client.insert(QStringLiteral("phone_raw"), storedClient.value(L1("phone_raw")));
    payload.insert(QStringLiteral("client"), client);
}

void keepFields(QJsonObject& payload, const QJsonObject& stored, std::initializer_list<L1> fields)
{
    for (const L1 field : fields)
        payload.insert(QString(field), stored.value(field));
}

void recomputeHasNotes(QJsonObject& payload)
{
    const bool hasNotes = !payload.value(L1("notes_text")).toString().isEmpty() ||
                          !payload.value(L1("discharge_summary")).toString().isEmpty();
    payload.insert(QStringLiteral("has_notes"), hasNotes);
}

struct Check
{
    L1 kind;
    bool (*detect)(const QJsonObject& before, const QJsonObject& after);
    void (*keep)(QJsonObject& payload, const QJsonObject& stored);
};

const Check kAppointmentChecks[] = {
    {held_kind::kPhoneRemoved, phoneRemoved, keepPhone},
    {held_kind::kStatusUnfinished, statusUnfinished,
     [](QJsonObject& p, const QJsonObject& s) {
         keepFields(p, s, {L1("status"), L1("status_raw")});
     }},
};

const Check kConsultationChecks[] = {
    {held_kind::kNotesEmptied,
     [](const QJsonObject& b, const QJsonObject& a) { return emptied(b, a, L1("notes_text")); },
     [](QJsonObject& p, const QJsonObject& s) {
         keepFields(p, s, {L1("notes_html"), L1("notes_text")});
         recomputeHasNotes(p);
     }},
    {held_kind::kSummaryEmptied,
     [](const QJsonObject& b, const QJsonObject& a) { return emptied(b, a, L1("discharge_summary")); },
     [](QJsonObject& p, const QJsonObject& s) {
         keepFields(p, s, {L1("discharge_summary")});
         recomputeHasNotes(p);
     }},
};

} // namespace

QString heldChangeId(const QString& key, const QString& kind)
{
    return key + u'\n' + kind;
}

GuardResult guardDestructiveChanges(QHash<QString, QJsonObject>& built,
                                    const QHash<QString, QJsonObject>& stored,
                                    const QHash<QString, HeldChange>& held, const QString& runId,
                                    const QDateTime& nowUtc)
{
    GuardResult result;
    QHash<QString, int> heldByKind;
    for (auto it = built.begin(); it != built.end(); ++it) {
        const std::optional<ItemKind> kind = itemKindOfKey(it.key());
        std::span<const Check> checks;
        if (kind == ItemKind::Appointment)
            checks = kAppointmentChecks;
        else if (kind == ItemKind::Consultation)
            checks = kConsultationChecks;
        else
            continue;
        const auto before = stored.constFind(it.key());
        for (const Check& check : checks) {
            const QString id = heldChangeId(it.key(), QString(check.kind));
            const auto pending = held.constFind(id);
            const bool destructive = before != stored.cend() && check.detect(*before, it.value());
            if (!destructive) {
                if (pending != held.cend())
                    result.settled.append(*pending); // the second read did not show it again: dropped
                continue;
            }
            if (pending != held.cend()) {
                result.settled.append(*pending); // shown again: confirmed, applied with this payload
                ++result.confirmed;
                continue;
            }
            check.keep(it.value(), *before);
            result.keptKeys.insert(it.key());
            result.held.append(HeldChange{it.key(), QString(check.kind), nowUtc.toUTC(), runId});
            ++heldByKind[QString(check.kind)];
        }
    }
    // Held changes of items not read in this run stay held: they are reported again.
    for (auto it = held.cbegin(); it != held.cend(); ++it) {
        if (!built.contains(it->key))
            ++heldByKind[it->kind];
    }
    QStringList kinds = heldByKind.keys();
    std::ranges::sort(kinds);
    for (const QString& k : std::as_const(kinds)) {
        result.warnings.append(RunWarning{QString(warning_code::kHeldBack),
                                          {},
                                          {},
                                          k,
                                          QStringLiteral("waits for a second read"),
                                          heldByKind.value(k)});
    }
    return result;
}

} // namespace odis::sync
