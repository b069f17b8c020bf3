#pragma once

// A stand-in for the OS stores of managed settings (the Windows registry, macOS managed preferences):
// named values of the types Qt's registry access and CoreFoundation hand out, in memory. The reader under
// test is the production one (agent/managed/policy_reader.h).

#include "agent/managed/policy_store.h"

#include <QVariantMap>

namespace odis::test {

class StandInPolicyStore final : public agent::managed::PolicyStore
{
public:
    StandInPolicyStore(agent::managed::PolicyDialect dialect, QVariantMap values)
        : m_dialect(dialect)
        , m_values(std::move(values))
    {}

    [[nodiscard]] QString description() const override
    {
        return m_dialect == agent::managed::PolicyDialect::Registry
                   ? QStringLiteral("HKLM\\Software\\Policies\\Odis\\Agent")
                   : QStringLiteral("managed preferences com.odis.agent");
    }
    [[nodiscard]] agent::managed::PolicyDialect dialect() const override { return m_dialect; }
    [[nodiscard]] Result<QStringList> names() const override { return m_values.keys(); }
    [[nodiscard]] Result<std::optional<QVariant>> value(const QString& name) const override
    {
        // The registry's names are case-insensitive; a plist's keys are not.
        for (auto it = m_values.begin(); it != m_values.end(); ++it) {
            const auto sensitivity = m_dialect == agent::managed::PolicyDialect::Registry
                                         ? Qt::CaseInsensitive
                                         : Qt::CaseSensitive;
            if (it.key().compare(name, sensitivity) == 0)
                return std::optional<QVariant>(it.value());
        }
        return std::optional<QVariant>();
    }

private:
    agent::managed::PolicyDialect m_dialect;
    QVariantMap m_values;
};

} // namespace odis::test
