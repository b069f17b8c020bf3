#include "agent/managed/managed_keys.h"

#include <array>

namespace odis::agent::managed {

namespace {

using namespace Qt::Literals::StringLiterals;

constexpr std::array kKeys{
    ManagedKey{"backend.url"_L1, "BackendUrl"_L1, ManagedKind::HttpsUrl},
    ManagedKey{"backend.ca_file"_L1, "BackendCaFile"_L1, ManagedKind::File},
    ManagedKey{"backend.spki_pins"_L1, "BackendSpkiPins"_L1, ManagedKind::PinList},
    ManagedKey{"backend.transfer_timeout_s"_L1, "BackendTransferTimeoutSeconds"_L1, ManagedKind::Seconds},
    ManagedKey{"backend.total_timeout_s"_L1, "BackendTotalTimeoutSeconds"_L1, ManagedKind::Seconds},
    ManagedKey{"neo.base_url"_L1, "NeoBaseUrl"_L1, ManagedKind::HttpsUrl},
    ManagedKey{"neo.selector_profile"_L1, "NeoSelectorProfile"_L1, ManagedKind::File},
    ManagedKey{"neo.allowed_origins"_L1, "NeoAllowedOrigins"_L1, ManagedKind::OriginList},
    ManagedKey{"telemetry.enabled"_L1, "TelemetryEnabled"_L1, ManagedKind::Flag},
    ManagedKey{"telemetry.posthog_host"_L1, "PostHogHost"_L1, ManagedKind::HttpsUrl},
    ManagedKey{"telemetry.posthog_api_key"_L1, "PostHogApiKey"_L1, ManagedKind::Text},
    ManagedKey{"proxy.url"_L1, "ProxyUrl"_L1, ManagedKind::Text},
    ManagedKey{"log_level"_L1, "LogLevel"_L1, ManagedKind::LogLevel},
    ManagedKey{"enrollment.code"_L1, "EnrollmentCode"_L1, ManagedKind::EnrollmentCode},
};

} // namespace

std::span<const ManagedKey> managedKeys()
{
    return kKeys;
}

const ManagedKey* managedKeyByPolicyName(QStringView policy)
{
    for (const ManagedKey& key : kKeys) {
        if (policy.compare(key.policy, Qt::CaseInsensitive) == 0)
            return &key;
    }
    return nullptr;
}

} // namespace odis::agent::managed
