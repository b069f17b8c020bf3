#include "sync/core/item_key.h"

#include <algorithm>
#include <array>

namespace odis::sync {

namespace {

constexpr std::array kKinds{ItemKind::Appointment, ItemKind::Consultation, ItemKind::DischargeCall};

bool isDecimal(QStringView text)
{
    return !text.isEmpty() && std::ranges::all_of(text, [](QChar c) { return c >= u'0' && c <= u'9'; });
}

} // namespace

QString itemKindName(ItemKind kind)
{
    switch (kind) {
    case ItemKind::Appointment:
        return QStringLiteral("appointment");
    case ItemKind::Consultation:
        return QStringLiteral("consultation");
    case ItemKind::DischargeCall:
        return QStringLiteral("discharge_call");
    }
    return {};
}

QString itemKey(ItemKind kind, QStringView neoId)
{
    return itemKindName(kind) + u':' + neoId;
}

std::optional<ItemKind> itemKindOfKey(QStringView key)
{
    const qsizetype colon = key.indexOf(u':');
    if (colon < 0 || colon + 1 == key.size())
        return std::nullopt;
    const QStringView prefix = key.first(colon);
    for (const ItemKind kind : kKinds) {
        if (prefix == itemKindName(kind))
            return kind;
    }
    return std::nullopt;
}

QString itemIdOfKey(QStringView key)
{
    if (!itemKindOfKey(key))
        return {};
    return key.sliced(key.indexOf(u':') + 1).toString();
}

QString itemIdField(ItemKind kind)
{
    return kind == ItemKind::Consultation ? QStringLiteral("neo_consultation_id")
                                          : QStringLiteral("neo_appointment_id");
}

bool neoIdLess(QStringView left, QStringView right)
{
    const bool leftDecimal = isDecimal(left);
    const bool rightDecimal = isDecimal(right);
    if (leftDecimal != rightDecimal)
        return leftDecimal;
    if (leftDecimal && left.size() != right.size())
        return left.size() < right.size();
    return std::lexicographical_compare(left.utf16(), left.utf16() + left.size(), right.utf16(),
                                        right.utf16() + right.size());
}

} // namespace odis::sync
