#pragma once

// The Windows policy key as a policy store: HKLM\Software\Policies\Odis\Agent in the 64-bit view of the
// registry (Group Policy and the MSI write there; users may read it and cannot change it). Qt's registry
// access maps REG_SZ to QString, REG_DWORD/REG_QWORD to integers and REG_MULTI_SZ to QStringList, which
// is the Registry dialect of policy_reader.h. Compiled everywhere; only Windows has a registry to open.

#include "agent/managed/policy_store.h"

#include <QString>

namespace odis::agent::managed {

inline constexpr QLatin1StringView kWindowsPolicyKey{"HKEY_LOCAL_MACHINE\\Software\\Policies\\Odis\\Agent"};

class RegistryPolicyStore final : public PolicyStore
{
public:
    explicit RegistryPolicyStore(QString key = QString(kWindowsPolicyKey));

    [[nodiscard]] QString description() const override;
    [[nodiscard]] PolicyDialect dialect() const override { return PolicyDialect::Registry; }
    [[nodiscard]] Result<QStringList> names() const override;
    [[nodiscard]] Result<std::optional<QVariant>> value(const QString& name) const override;

private:
    QString m_key;
};

} // namespace odis::agent::managed
