#pragma once

// Where an operating system keeps the settings IT manages for every user of a workstation: named, typed
// values. On Windows the policy key HKLM\Software\Policies\Odis\Agent (Group Policy, the MSI's
// properties); on macOS the managed preferences of the domain com.odis.agent (a configuration profile
// pushed by MDM). Linux has no such store: IT's settings are the file /etc/odis-agent/config.json.
//
// A store only hands out what it holds, in its own types; what the values mean and which ones exist is
// the table of managed keys (managed_keys.h), read through policy_reader.h.

#include "storage/result.h"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace odis::agent::managed {

// How a store's values are typed, which decides what each kind of managed key accepts:
//   Registry  REG_SZ (QString), REG_DWORD / REG_QWORD (int, uint, qlonglong), REG_MULTI_SZ (QStringList)
//   Plist     <string> (QString), <integer> (qlonglong), <real> (double), <true/>/<false/> (bool),
//             <array> (QVariantList)
enum class PolicyDialect
{
    Registry,
    Plist
};

class PolicyStore
{
public:
    virtual ~PolicyStore() = default;

    // Names the store in messages ("HKLM\Software\Policies\Odis\Agent").
    [[nodiscard]] virtual QString description() const = 0;
    [[nodiscard]] virtual PolicyDialect dialect() const = 0;
    // The names of the values it holds, so that a misspelt one is refused instead of silently ignored.
    [[nodiscard]] virtual Result<QStringList> names() const = 0;
    // One value; nullopt when absent.
    [[nodiscard]] virtual Result<std::optional<QVariant>> value(const QString& name) const = 0;
};

} // namespace odis::agent::managed
