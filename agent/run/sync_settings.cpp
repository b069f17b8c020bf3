#include "agent/run/sync_settings.h"

#include "sync/core/clinic_policy.h"

#include <array>
#include <cmath>
#include <limits>

namespace odis::agent {

namespace {

std::unexpected<Error> invalid(const QString& message)
{
    return fail(QString(sync::kClinicProfileInvalid), message);
}

} // namespace

Result<SyncSettings> syncSettingsFromProfile(const QJsonObject& clinicProfile)
{
    SyncSettings settings;
    const QJsonValue sync = clinicProfile.value(QStringLiteral("sync"));
    if (sync.isUndefined() || sync.isNull())
        return settings;
    if (!sync.isObject())
        return invalid(QStringLiteral("the clinic profile's sync is not an object"));
    const QJsonObject object = sync.toObject();
    struct Field
    {
        const char* name;
        int* value;
        int minimum;
        int maximum;
    };
    const std::array fields{
        Field{"interval_minutes", &settings.intervalMinutes, 1, 7 * 24 * 60},
        Field{"lookback_hours", &settings.lookbackHours, 0, 24 * 60},
        Field{"reconcile_days", &settings.reconcileDays, 0, 60},
        Field{"lookahead_days", &settings.lookaheadDays, 0, 60},
    };
    for (const Field& field : fields) {
        const QJsonValue value = object.value(QLatin1StringView(field.name));
        if (value.isUndefined())
            continue;
        const double number = value.toDouble(std::numeric_limits<double>::quiet_NaN());
        if (!value.isDouble() || !(number >= field.minimum && number <= field.maximum) ||
            number != std::trunc(number))
            return invalid(QStringLiteral("the clinic profile's sync.%1 must be a whole number from %2 to %3")
                               .arg(QLatin1StringView(field.name))
                               .arg(field.minimum)
                               .arg(field.maximum));
        *field.value = static_cast<int>(number);
    }
    return settings;
}

Result<QUrl> neoBaseUrl(const QJsonObject& clinicProfile, const QUrl& override)
{
    if (override.isValid() && !override.isEmpty())
        return override;
    const QUrl url(
        clinicProfile.value(QStringLiteral("idexx")).toObject().value(QStringLiteral("base_url")).toString(),
        QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty())
        return invalid(QStringLiteral("the clinic profile's idexx.base_url is not an https URL"));
    return url;
}

} // namespace odis::agent
