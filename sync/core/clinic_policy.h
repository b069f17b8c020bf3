#pragma once

// The parts of the clinic profile (`GET /v1/clinic`, docs/backend-api.md) that discharge planning reads:
// the clinic's IANA zone, its country (for phone numbers), its business hours and its `discharge_policy`.
// Parsed strictly: a profile that would plan calls at the wrong time is refused with a typed error rather
// than half-applied.

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/phone_e164.h"

#include <QDate>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QStringList>
#include <QTime>
#include <QTimeZone>

#include <array>
#include <optional>

namespace odis::sync {

struct OpeningHours
{
    QTime open;
    QTime close;
    QTime lunchStart; // invalid when the day has no lunch break
    QTime lunchEnd;

    bool operator==(const OpeningHours&) const = default;
};

struct BusinessHours
{
    // Indexed by Qt::DayOfWeek - 1 (0 = Monday ... 6 = Sunday); nullopt = closed that day.
    std::array<std::optional<OpeningHours>, 7> days;

    [[nodiscard]] bool isOpenOn(QDate date) const;
    [[nodiscard]] bool hasOpenDay() const;
};

struct CallWindow
{
    QTime start{9, 0};
    QTime end{20, 0}; // inclusive: a call at exactly `end` is inside
};

// Defaults are the documented ones (docs/discharge-rules.md); max_visit_age_days has none there and
// takes the value of the reference profile.
struct DischargePolicy
{
    bool enabled = true;
    int callDelayDays = 2;
    QTime callTime{16, 0};
    CallWindow callWindow;
    bool skipClosedDays = true;
    int staggerMinutes = 2;
    int maxVisitAgeDays = 3;
    // False: calls only while the clinic is open (business hours, not at lunch), so that an owner can call
    // back; true: anywhere in the call window.
    bool callsOutsideHours = false;
    QStringList excludedAppointmentTypes;
    QStringList blockedKeywords;
};

struct ClinicPolicy
{
    QTimeZone zone;
    PhoneCountry country; // numbers without a country code are read as this country's
    BusinessHours businessHours;
    DischargePolicy discharge;
};

// Minutes since midnight of a clinic-local day, both ends included.
struct MinuteRange
{
    int first = 0;
    int last = 0;

    bool operator==(const MinuteRange&) const = default;
};

// The call slots of a weekday (1 = Monday ... 7 = Sunday) as wall-clock minutes (docs/discharge-rules.md,
// "Call slots"): the call window (both ends included), on call days only (every day, or open days when
// skip_closed_days), and unless calls_outside_hours only while open (from `open`, before `close`, not from
// `lunch_start` to before `lunch_end`). Ascending, disjoint; empty when the day has no slot.
[[nodiscard]] QList<MinuteRange> callMinutes(const ClinicPolicy& policy, int dayOfWeek);

// Error codes of the parser and of validateClinicPolicy().
inline constexpr QLatin1StringView kClinicProfileInvalid{codes::kClinicProfileInvalid}; // missing, wrong type
inline constexpr QLatin1StringView kClinicTimezoneUnknown{
    codes::kClinicTimezoneUnknown}; // not an IANA zone id
inline constexpr QLatin1StringView kClinicCountryUnknown{
    codes::kClinicCountryUnknown};                                                // not ISO 3166-1 alpha-2
inline constexpr QLatin1StringView kClinicTimeInvalid{codes::kClinicTimeInvalid}; // not "HH:MM"
inline constexpr QLatin1StringView kClinicPolicyOutOfRange{codes::kClinicPolicyOutOfRange}; // e.g. days < 0

// Reads `timezone`, `country`, `business_hours` and `discharge_policy` from a clinic profile. Required:
// `timezone`, `country` (an upper-case ISO 3166-1 alpha-2 code with a numbering plan, "US", "CA", "GB":
// guessing it would read every phone number of the clinic in the wrong country),
// `business_hours` (an object; a weekday that is absent or null is closed; an unknown key is an error, so
// a typo cannot close a day silently), `discharge_policy` and its `enabled` (no default can be right for
// whether a clinic wants calls). Every other policy member takes its default when absent, never when it
// has the wrong type or range.
[[nodiscard]] Result<ClinicPolicy> parseClinicPolicy(const QJsonObject& clinicProfile);

// The invariants the planner relies on (parseClinicPolicy() only returns policies that pass): a valid
// zone; a valid country; call_delay_days >= 0; max_visit_age_days >= 1; stagger_minutes >= 1 (two calls never
// share a minute); valid whole-minute times; window start before its end; open before close; at least one
// weekday with a call slot (callMinutes()), or no call could ever be placed.
[[nodiscard]] Status validateClinicPolicy(const ClinicPolicy& policy);

// True for an id of the IANA time zone database that this system knows ("America/Los_Angeles", "UTC",
// "Etc/GMT+5"); false for Qt's own "UTC+05:00" ids, POSIX rules ("PST8PDT,M3.2.0,M11.1.0") and unknown
// names, which QTimeZone would otherwise accept or silently read as UTC.
[[nodiscard]] bool isIanaZoneId(const QString& id);

} // namespace odis::sync
