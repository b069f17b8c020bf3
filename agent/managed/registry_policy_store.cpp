#include "agent/managed/registry_policy_store.h"

#include "storage/codes/agent_codes.h"

#include <QSettings>

#include <utility>

namespace odis::agent::managed {

namespace {

// Registry64Format: the same key for a 32-bit and a 64-bit build (no WOW6432Node redirection). It exists
// only in Windows' Qt; elsewhere nothing constructs this store (platform_policy_store.cpp).
#if defined(Q_OS_WIN)
constexpr QSettings::Format kFormat = QSettings::Registry64Format;
#else
constexpr QSettings::Format kFormat = QSettings::NativeFormat;
#endif

[[nodiscard]] Result<void> readable(const QSettings& settings, const QString& description)
{
    if (settings.status() == QSettings::AccessError)
        return fail(codes::kConfigUnreadable,
                    QStringLiteral("%1 cannot be read (access denied)").arg(description));
    return ok();
}

} // namespace

RegistryPolicyStore::RegistryPolicyStore(QString key)
    : m_key(std::move(key))
{}

QString RegistryPolicyStore::description() const
{
    QString shown = m_key;
    shown.replace(QStringLiteral("HKEY_LOCAL_MACHINE\\"), QStringLiteral("HKLM\\"));
    return shown;
}

Result<QStringList> RegistryPolicyStore::names() const
{
    const QSettings settings(m_key, kFormat);
    if (auto status = readable(settings, description()); !status)
        return propagate(status);
    return settings.childKeys();
}

Result<std::optional<QVariant>> RegistryPolicyStore::value(const QString& name) const
{
    const QSettings settings(m_key, kFormat);
    if (auto status = readable(settings, description()); !status)
        return propagate(status);
    if (!settings.contains(name))
        return std::nullopt;
    return settings.value(name);
}

} // namespace odis::agent::managed
