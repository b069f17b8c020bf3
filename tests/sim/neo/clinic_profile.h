#pragma once

// The parts of the backend's clinic profile (GET /v1/clinic, docs/backend-api.md) that the simulated
// clinic and its ground truth use: time zone, country, business hours, discharge policy and sync settings.
// Missing policy and sync fields take the defaults the docs give; malformed ones are an error.

#include "storage/result.h"

#include <QDate>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTime>
#include <QTimeZone>

#include <array>
#include <optional>

namespace odis::sim::neo {

struct SimDayHours
{
    QTime open;
    QTime close;
    std::optional<QTime> lunchStart;
    std::optional<QTime> lunchEnd;
};

struct SimDischargePolicy
{
    bool enabled = true;
    int callDelayDays = 2;
    QTime callTime = QTime(16, 0);
    QTime windowStart = QTime(9, 0);
    QTime windowEnd = QTime(20, 0);
    bool skipClosedDays = true;
    int staggerMinutes = 2;
    int maxVisitAgeDays = 3;
    bool callsOutsideHours = false; // false: calls only while open (business hours, not at lunch)
    QStringList excludedAppointmentTypes;
    QStringList blockedKeywords;
};

struct SimSyncSettings
{
    int intervalMinutes = 240;
    int lookbackHours = 48;
    int reconcileDays = 7;
    int lookaheadDays = 1;
};

struct SimClinicProfile
{
    QTimeZone zone;
    // ISO 3166-1 alpha-2: "US", "CA" or "GB", the countries whose phone numbers the generator writes.
    QString country;
    QString companyId;
    std::array<std::optional<SimDayHours>, 7> hours; // index 0 = Monday ... 6 = Sunday; nullopt = closed
    SimDischargePolicy policy;
    SimSyncSettings sync;

    [[nodiscard]] std::optional<SimDayHours> hoursOn(QDate date) const;
    [[nodiscard]] bool isOpen(QDate date) const { return hoursOn(date).has_value(); }
};

// Error code "invalid_clinic_profile" with the offending field in the message.
[[nodiscard]] Result<SimClinicProfile> parseClinicProfile(const QJsonObject& profile);

// tests/sim/common/default-clinic-profile.json, embedded in the library as a resource.
[[nodiscard]] QJsonObject defaultClinicProfile();

} // namespace odis::sim::neo
