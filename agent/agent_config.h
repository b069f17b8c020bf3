#pragma once

// The agent's configuration: built-in defaults, then the per-user file, then the managed file that IT
// deploys (its settings win, so a clinic's IT can fix the backend and its pins for every user). Both files
// are optional JSON objects with the same keys:
//
//   { "backend":   { "url": "https://api.odis.example", "ca_file": "extra-ca.pem",
//                    "spki_pins": ["<base64 SHA-256 of a SubjectPublicKeyInfo>", ...],
//                    "transfer_timeout_s": 30, "total_timeout_s": 120 },
//     "neo":       { "base_url": "https://us.idexxneo.com", "selector_profile": "selectors.json",
//                    "allowed_origins": ["https://neo.clinic.example"] },
//     "telemetry": { "enabled": true, "posthog_host": "https://eu.i.posthog.com",
//                    "posthog_api_key": "phc_..." },
//     "proxy":     { "url": "http://proxy.clinic.lan:3128" },
//     "log_level": "info",
//     "enrollment": { "code": "<pre-provisioned enrollment code>" } }
//
// Files:
//   per user   QStandardPaths::AppConfigLocation + "/config.json"
//              (Linux ~/.config/Odis/odis-agent/config.json, Windows
//              %LOCALAPPDATA%/Odis/odis-agent/config.json, macOS ~/Library/Preferences/Odis/odis-agent/
//              config.json)
//   managed    Linux /etc/odis-agent/config.json; Windows the policy key HKLM\Software\Policies\Odis\Agent;
//              macOS the managed preferences of com.odis.agent (agent/managed/: one table of managed
//              keys, read from each store with its own types)
//
// Parsing is strict: an unknown key, a wrong type, a URL that is not https, a pin that is not a base64
// SHA-256 or an unknown log level is an error naming the file and the key (config_invalid), never a
// silent default. A file that is absent is fine; one that cannot be read or is not a JSON object is not.
// Time-outs are whole seconds: transfer 1..600 (no byte either way for that long aborts a request),
// total 1..3600 and not shorter than the transfer time-out (a slow link or a TLS-inspecting proxy may
// need more than the defaults; nothing needs less outside tests).
// Relative file names (ca_file, selector_profile) are relative to the file that names them.
//
// proxy.url: "system" (the default: the operating system's proxy settings, the environment's on Linux),
// "direct" (no proxy whatever the system says), or an http:// or socks5:// URL with a host and a port and
// nothing else: its user name and password, if the proxy needs them, live in the OS keychain
// (`odis-agent proxy set-login`), never in a file. Used alike for the backend and for the Neo web page.
//
// neo.base_url is normally absent: the clinic profile's idexx.base_url says where the clinic's Neo is.
// Wherever the address comes from, the agent types the clinic's password only on an allowed origin: IDEXX
// Neo's own (https://*.idexxneo.com, sync/core/neo_origin_allow_list.h) and those in
// neo.allowed_origins, which only the managed file may set (a user file naming it is refused): the
// backend, the user's file or anyone who can pass for the backend cannot widen it.
// ODIS_MANAGED_CONFIG=<file> names the managed file instead of the platform's path (the tests and the demo,
// which cannot write to /etc; whoever sets the agent's environment runs as its user and reaches its
// keychain anyway, so this grants nothing the account does not already have).
// Telemetry is sent only when it is enabled AND an API key is configured (there is no built-in key).
// enrollment.code is a pre-provisioned enrollment code (agent/provisioning/provisioned_enrollment.h):
// printable ASCII without spaces, at most 128 characters; never printed, whatever the error.

#include "storage/codes/agent_codes.h"
#include "storage/result.h"
#include "sync/backend/backend_config.h"

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>
#include <spdlog/common.h>

namespace odis::agent {

namespace managed {
class PolicyStore;
}

inline constexpr QLatin1StringView kConfigInvalid{codes::kConfigInvalid};
inline constexpr const char* kManagedConfigVariable = "ODIS_MANAGED_CONFIG";

struct AgentConfigPaths
{
    QString userFile;
    QString managedFile;
    // Windows and macOS: IT's settings come from this store instead of a managed file.
    std::shared_ptr<const managed::PolicyStore> managedStore;

    [[nodiscard]] static AgentConfigPaths defaults();
    // Where IT's settings are read from, for messages and the usage text.
    [[nodiscard]] QString managedDescription() const;
};

// What one file sets; absent members leave the value to a lower layer.
struct AgentConfigLayer
{
    QString source; // the file, for messages
    std::optional<QUrl> backendUrl;
    std::optional<QString> backendCaFile;
    std::optional<QStringList> spkiPins;
    std::optional<std::chrono::seconds> transferTimeout;
    std::optional<std::chrono::seconds> totalTimeout;
    std::optional<QUrl> neoBaseUrl;
    std::optional<QString> selectorProfileFile;
    std::optional<QStringList> neoAllowedOrigins; // managed file only
    std::optional<bool> telemetryEnabled;
    std::optional<QUrl> posthogHost;
    std::optional<QString> posthogApiKey;
    std::optional<spdlog::level::level_enum> logLevel;
    std::optional<QString> proxy; // "system", "direct" or the URL's text
    std::optional<QString> enrollmentCode;
};

struct AgentConfig
{
    static inline const QUrl kDefaultBackendUrl{QStringLiteral("https://api.odis.example")};
    static inline const QUrl kDefaultPostHogHost{QStringLiteral("https://eu.i.posthog.com")};

    QUrl backendUrl = kDefaultBackendUrl;
    QString backendCaFile; // empty: the system store only
    QStringList spkiPins;  // empty: no pinning
    std::chrono::seconds transferTimeout{30};
    std::chrono::seconds totalTimeout{120};
    QUrl neoBaseUrl;               // empty: the clinic profile's idexx.base_url
    QString selectorProfileFile;   // empty: the profile shipped with the agent
    QStringList neoAllowedOrigins; // beyond the built-in IDEXX Neo origins; from the managed file
    bool telemetryEnabled = true;
    QUrl posthogHost = kDefaultPostHogHost;
    QString posthogApiKey;
    spdlog::level::level_enum logLevel = spdlog::level::info;
    // proxy.url: empty with proxyDirect false is "system".
    QUrl proxyUrl;
    bool proxyDirect = false;
    // Not read from a file: the proxy as this process uses it for Qt Network, with its login from the
    // keychain (agent/proxy/proxy_setup.h); absent: the system's settings.
    std::optional<QNetworkProxy> networkProxy;
    QString enrollmentCode;       // empty: none pre-provisioned
    QString enrollmentCodeSource; // the layer that set it (a file, or a policy store's description)
    QStringList sources;          // the files that were read, lowest layer first

    // Enabled and a key to send with.
    [[nodiscard]] bool telemetryActive() const { return telemetryEnabled && !posthogApiKey.isEmpty(); }
    // How to reach the backend: this URL (or `url` when given), the CA file, the pins, the time-outs.
    [[nodiscard]] sync::BackendConfig backend(const std::optional<QUrl>& url = std::nullopt) const;
};

// Which file a layer comes from: some settings belong to IT alone.
enum class ConfigLayerKind
{
    User,
    Managed,
};

// One file's content. `source` names it in errors and anchors relative paths (its directory).
[[nodiscard]] Result<AgentConfigLayer> parseAgentConfigLayer(const QByteArray& json, const QString& source,
                                                             ConfigLayerKind kind = ConfigLayerKind::User);

// The defaults with `layers` applied in order (later ones win, key by key). Refused (config_invalid)
// when the result is inconsistent: a total time-out shorter than the transfer time-out.
[[nodiscard]] Result<AgentConfig> resolveAgentConfig(const QList<AgentConfigLayer>& layers);

// Reads the user file, then the managed file or store (each optional) and resolves them.
[[nodiscard]] Result<AgentConfig>
loadAgentConfig(const AgentConfigPaths& paths = AgentConfigPaths::defaults());

// Sets backend.url in the per-user file (created when absent, other keys kept), so that the backend an
// install enrolled with (`enroll --backend`) is the one its syncs use. Refused (config_invalid) when the
// file exists but does not parse.
[[nodiscard]] Status saveUserBackendUrl(const QString& userFile, const QUrl& url);

[[nodiscard]] QString logLevelName(spdlog::level::level_enum level);

} // namespace odis::agent
