#pragma once

// The clinic profile's `sync` object (docs/backend-api.md, GET /v1/clinic) as one run uses it, and where
// the clinic's Neo is (`idexx.base_url`, unless the configuration overrides it).

#include "storage/result.h"

#include <QJsonObject>
#include <QUrl>

namespace odis::agent {

struct SyncSettings
{
    int intervalMinutes = 240;
    int lookbackHours = 48;
    int reconcileDays = 7;
    int lookaheadDays = 1;
};

// Members that are absent take the documented defaults; a member of the wrong type or out of range
// (negative days, a zero interval) is clinic_profile_invalid. An absent `sync` object is all defaults.
[[nodiscard]] Result<SyncSettings> syncSettingsFromProfile(const QJsonObject& clinicProfile);

// `override` when valid; else the profile's idexx.base_url, which must be an https URL
// (clinic_profile_invalid otherwise: a Neo address is never guessed).
[[nodiscard]] Result<QUrl> neoBaseUrl(const QJsonObject& clinicProfile, const QUrl& override);

} // namespace odis::agent
