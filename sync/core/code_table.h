#pragma once

// An enum that has a wire name (a code in the backend contract, the run report or the database) keeps its
// names in one constexpr table of (value, name) pairs; these two lookups read every such table, instead of a
// pair of loops written again beside each enum. The name type is QStringView (u"...") or QLatin1StringView.

#include <QStringView>

#include <array>
#include <cstddef>
#include <optional>
#include <utility>

namespace odis::sync {

// The name of `value`; nullopt when the table lacks it (a table that covers its enum can assert on that).
template <typename Enum, typename Name, std::size_t N>
[[nodiscard]] constexpr std::optional<Name> codeOf(const std::array<std::pair<Enum, Name>, N>& table,
                                                   Enum value)
{
    for (const auto& [candidate, name] : table) {
        if (candidate == value)
            return name;
    }
    return std::nullopt;
}

// The value named `code`; nullopt for a name the table does not hold.
template <typename Enum, typename Name, std::size_t N>
[[nodiscard]] std::optional<Enum> valueOfCode(const std::array<std::pair<Enum, Name>, N>& table,
                                              QStringView code)
{
    for (const auto& [value, name] : table) {
        if (code == name)
            return value;
    }
    return std::nullopt;
}

} // namespace odis::sync
