#pragma once

// The one table of the settings IT may manage, with where each lives in every managed store:
//   config      its path in config.json (/etc/odis-agent/config.json on Linux, and the per-user file)
//   policy      its value name in the Windows policy key and the macOS managed preferences
//   kind        what it holds, which decides the types a store may give it (policy_reader.h)
// The MSI's public properties, the example configuration profile and installer/README.md name these
// keys; tst_managed_keys checks that they name only keys of this table, with the right types.

#include <QLatin1StringView>

#include <span>

namespace odis::agent::managed {

enum class ManagedKind
{
    HttpsUrl,       // an https URL without user, query or fragment
    File,           // a file; in a policy store an absolute path (there is no file to be relative to)
    PinList,        // base64 SHA-256 digests of SubjectPublicKeyInfos
    OriginList,     // https origins (where the clinic's IDEXX password may be typed besides IDEXX's own)
    Seconds,        // a whole number of seconds
    Flag,           // on or off
    Text,           // free text
    LogLevel,       // trace, debug, info, warn, error, critical, off
    EnrollmentCode, // a pre-provisioned enrollment code: used once, never logged (provisioned_enrollment.h)
};

struct ManagedKey
{
    QLatin1StringView config;
    QLatin1StringView policy;
    ManagedKind kind;
};

[[nodiscard]] std::span<const ManagedKey> managedKeys();

// The key with this policy name (case-insensitive, as the Windows registry is); nullptr when unknown.
[[nodiscard]] const ManagedKey* managedKeyByPolicyName(QStringView policy);

} // namespace odis::agent::managed
