#include "sync/core/clinic_policy.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace odis::sync {

namespace {

constexpr std::array<QLatin1StringView, 7> kWeekdays{
    QLatin1StringView("monday"),   QLatin1StringView("tuesday"), QLatin1StringView("wednesday"),
    QLatin1StringView("thursday"), QLatin1StringView("friday"),  QLatin1StringView("saturday"),
    QLatin1StringView("sunday")};

std::unexpected<Error> invalid(QLatin1StringView code, const QString& message)
{
    return fail(QString(code), message);
}

// "HH:MM" on a 24-hour clock; "24:00", "9:00" and seconds are refused.
[[nodiscard]] Result<QTime> parseClockTime(const QJsonValue& value, const QString& path)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^([01]\d|2[0-3]):([0-5]\d)$)"));
    const QRegularExpressionMatch match =
        value.isString() ? pattern.match(value.toString()) : QRegularExpressionMatch();
    if (!match.hasMatch())
        return invalid(kClinicTimeInvalid, path + QStringLiteral(" is not a time HH:MM (00:00-23:59)"));
    return QTime(match.captured(1).toInt(), match.captured(2).toInt());
}

bool isAbsent(const QJsonObject& object, QLatin1StringView key)
{
    return !object.contains(key) || object.value(key).isNull();
}

// The read* helpers leave `target` (its default) alone when the member is absent or null, and refuse a
// member of the wrong type or form: a default must never stand in for a value that was meant.
[[nodiscard]] Status readClockTime(const QJsonObject& object, QLatin1StringView key, const QString& path,
                                   QTime& target)
{
    if (isAbsent(object, key))
        return ok();
    const auto time = parseClockTime(object.value(key), path + QLatin1Char('.') + key);
    if (!time)
        return propagate(time);
    target = *time;
    return ok();
}

[[nodiscard]] Status readBool(const QJsonObject& object, QLatin1StringView key, const QString& path,
                              bool& target)
{
    if (isAbsent(object, key))
        return ok();
    if (!object.value(key).isBool())
        return invalid(kClinicProfileInvalid,
                       path + QLatin1Char('.') + key + QStringLiteral(" is not a boolean"));
    target = object.value(key).toBool();
    return ok();
}

[[nodiscard]] Status readInt(const QJsonObject& object, QLatin1StringView key, const QString& path,
                             int& target)
{
    if (isAbsent(object, key))
        return ok();
    const QJsonValue value = object.value(key);
    const double number = value.toDouble();
    // JSON has one number type; a fraction or an absurd magnitude is a mistake, not something to round.
    if (!value.isDouble() || std::trunc(number) != number || std::fabs(number) > 100000)
        return invalid(kClinicProfileInvalid,
                       path + QLatin1Char('.') + key + QStringLiteral(" is not an integer"));
    target = static_cast<int>(number);
    return ok();
}

// Entries are trimmed; empty ones carry no meaning and are dropped.
[[nodiscard]] Status readStringList(const QJsonObject& object, QLatin1StringView key, const QString& path,
                                    QStringList& target)
{
    if (isAbsent(object, key))
        return ok();
    if (!object.value(key).isArray())
        return invalid(kClinicProfileInvalid,
                       path + QLatin1Char('.') + key + QStringLiteral(" is not an array"));
    QStringList entries;
    for (const QJsonValue entry : object.value(key).toArray()) {
        if (!entry.isString())
            return invalid(kClinicProfileInvalid, path + QLatin1Char('.') + key +
                                                      QStringLiteral(" holds a value that is not a string"));
        const QString trimmed = entry.toString().trimmed();
        if (!trimmed.isEmpty())
            entries.append(trimmed);
    }
    target = entries;
    return ok();
}

// The first failed step, or ok. All steps run (they are cheap and have no side effects beyond their
// target), which keeps the callers a flat list.
[[nodiscard]] Status firstFailure(std::initializer_list<Status> steps)
{
    for (const Status& step : steps) {
        if (!step)
            return step;
    }
    return ok();
}

[[nodiscard]] Result<std::optional<OpeningHours>> parseDay(const QJsonValue& value, const QString& path)
{
    if (value.isUndefined() || value.isNull())
        return std::optional<OpeningHours>();
    if (!value.isObject())
        return invalid(kClinicProfileInvalid, path + QStringLiteral(" is neither an object nor null"));
    const QJsonObject day = value.toObject();
    if (isAbsent(day, QLatin1StringView("open")) || isAbsent(day, QLatin1StringView("close")))
        return invalid(kClinicProfileInvalid, path + QStringLiteral(" needs both open and close"));
    OpeningHours hours;
    const Status read =
        firstFailure({readClockTime(day, QLatin1StringView("open"), path, hours.open),
                      readClockTime(day, QLatin1StringView("close"), path, hours.close),
                      readClockTime(day, QLatin1StringView("lunch_start"), path, hours.lunchStart),
                      readClockTime(day, QLatin1StringView("lunch_end"), path, hours.lunchEnd)});
    if (!read)
        return propagate(read);
    return std::optional<OpeningHours>(hours);
}

[[nodiscard]] Result<BusinessHours> parseBusinessHours(const QJsonValue& value)
{
    const QString path = QStringLiteral("business_hours");
    if (!value.isObject())
        return invalid(kClinicProfileInvalid, path + QStringLiteral(" is missing or not an object"));
    const QJsonObject object = value.toObject();
    for (const QString& key : object.keys()) {
        if (std::ranges::find(kWeekdays, key) == kWeekdays.end())
            return invalid(kClinicProfileInvalid,
                           path + QStringLiteral(" has an unknown day \"%1\"").arg(key));
    }
    BusinessHours hours;
    for (std::size_t index = 0; index < kWeekdays.size(); ++index) {
        auto day = parseDay(object.value(kWeekdays[index]), path + QLatin1Char('.') + kWeekdays[index]);
        if (!day)
            return propagate(day);
        hours.days[index] = *day;
    }
    return hours;
}

[[nodiscard]] Result<DischargePolicy> parseDischargePolicy(const QJsonValue& value)
{
    const QString path = QStringLiteral("discharge_policy");
    if (!value.isObject())
        return invalid(kClinicProfileInvalid, path + QStringLiteral(" is missing or not an object"));
    const QJsonObject object = value.toObject();
    if (!object.value(QLatin1StringView("enabled")).isBool())
        return invalid(kClinicProfileInvalid, path + QStringLiteral(".enabled is missing or not a boolean"));

    DischargePolicy policy;
    policy.enabled = object.value(QLatin1StringView("enabled")).toBool();
    Status read = firstFailure(
        {readInt(object, QLatin1StringView("call_delay_days"), path, policy.callDelayDays),
         readClockTime(object, QLatin1StringView("call_time"), path, policy.callTime),
         readBool(object, QLatin1StringView("skip_closed_days"), path, policy.skipClosedDays),
         readInt(object, QLatin1StringView("stagger_minutes"), path, policy.staggerMinutes),
         readInt(object, QLatin1StringView("max_visit_age_days"), path, policy.maxVisitAgeDays),
         readBool(object, QLatin1StringView("calls_outside_hours"), path, policy.callsOutsideHours),
         readStringList(object, QLatin1StringView("excluded_appointment_types"), path,
                        policy.excludedAppointmentTypes),
         readStringList(object, QLatin1StringView("blocked_keywords"), path, policy.blockedKeywords)});
    if (!read)
        return propagate(read);

    const QLatin1StringView windowKey("call_window");
    if (!isAbsent(object, windowKey)) {
        if (!object.value(windowKey).isObject())
            return invalid(kClinicProfileInvalid, path + QStringLiteral(".call_window is not an object"));
        const QJsonObject window = object.value(windowKey).toObject();
        const QString windowPath = path + QStringLiteral(".call_window");
        read = firstFailure(
            {readClockTime(window, QLatin1StringView("start"), windowPath, policy.callWindow.start),
             readClockTime(window, QLatin1StringView("end"), windowPath, policy.callWindow.end)});
        if (!read)
            return propagate(read);
    }
    return policy;
}

bool isWholeMinute(QTime time)
{
    return time.isValid() && time.second() == 0 && time.msec() == 0;
}

int minuteOfDay(QTime time)
{
    return time.hour() * 60 + time.minute();
}

// `ranges` without the minutes of [first, last].
QList<MinuteRange> without(const QList<MinuteRange>& ranges, MinuteRange gap)
{
    QList<MinuteRange> out;
    for (const MinuteRange& range : ranges) {
        if (gap.last < range.first || gap.first > range.last) {
            out.append(range);
            continue;
        }
        if (range.first < gap.first)
            out.append({range.first, gap.first - 1});
        if (gap.last < range.last)
            out.append({gap.last + 1, range.last});
    }
    return out;
}

} // namespace

QList<MinuteRange> callMinutes(const ClinicPolicy& policy, int dayOfWeek)
{
    if (dayOfWeek < 1 || dayOfWeek > 7)
        return {};
    const DischargePolicy& discharge = policy.discharge;
    const auto& hours = policy.businessHours.days[static_cast<std::size_t>(dayOfWeek - 1)];
    if (discharge.skipClosedDays && !hours)
        return {};
    const MinuteRange window{minuteOfDay(discharge.callWindow.start), minuteOfDay(discharge.callWindow.end)};
    if (window.first > window.last)
        return {};
    if (discharge.callsOutsideHours)
        return {window};
    if (!hours || !hours->open.isValid() || !hours->close.isValid())
        return {};
    // Closing time and the end of lunch are the first minutes the clinic is closed / open again.
    QList<MinuteRange> ranges{{std::max(window.first, minuteOfDay(hours->open)),
                               std::min(window.last, minuteOfDay(hours->close) - 1)}};
    if (ranges.first().first > ranges.first().last)
        return {};
    if (hours->lunchStart.isValid() && hours->lunchEnd.isValid() && hours->lunchStart < hours->lunchEnd)
        ranges = without(ranges, {minuteOfDay(hours->lunchStart), minuteOfDay(hours->lunchEnd) - 1});
    return ranges;
}

bool BusinessHours::isOpenOn(QDate date) const
{
    return date.isValid() && days[static_cast<std::size_t>(date.dayOfWeek() - 1)].has_value();
}

bool BusinessHours::hasOpenDay() const
{
    return std::ranges::any_of(days, [](const auto& day) { return day.has_value(); });
}

bool isIanaZoneId(const QString& id)
{
    if (id.isEmpty() || id.contains(QLatin1Char(':')) || id.contains(QLatin1Char(',')) ||
        id.contains(QLatin1Char(' ')))
        return false;
    const QByteArray bytes = id.toUtf8();
    if (!QTimeZone(bytes).isValid())
        return false;
    // Qt's list of ids misses valid database entries such as "Etc/GMT+5"; an "Area/Location" name is
    // only valid when the database has it (unknown ones come back invalid), so it is accepted as well.
    // Bare names without '/' are accepted only from the list: Qt reads "Foo" as a POSIX rule.
    return QTimeZone::isTimeZoneIdAvailable(bytes) || id.contains(QLatin1Char('/'));
}

Result<ClinicPolicy> parseClinicPolicy(const QJsonObject& clinicProfile)
{
    const QJsonValue zoneValue = clinicProfile.value(QLatin1StringView("timezone"));
    if (!zoneValue.isString())
        return invalid(kClinicProfileInvalid, QStringLiteral("timezone is missing or not a string"));
    // The id is configuration, not clinic data: it may appear in the message.
    if (!isIanaZoneId(zoneValue.toString()))
        return invalid(
            kClinicTimezoneUnknown,
            QStringLiteral("timezone \"%1\" is not a known IANA time zone").arg(zoneValue.toString()));

    const QJsonValue countryValue = clinicProfile.value(QLatin1StringView("country"));
    if (!countryValue.isString())
        return invalid(kClinicProfileInvalid, QStringLiteral("country is missing or not a string"));
    const std::optional<PhoneCountry> country = PhoneCountry::fromIsoCode(countryValue.toString());
    if (!country)
        return invalid(
            kClinicCountryUnknown,
            QStringLiteral("country \"%1\" is not an ISO 3166-1 alpha-2 code with a numbering plan")
                .arg(countryValue.toString().left(16)));

    ClinicPolicy policy;
    policy.zone = QTimeZone(zoneValue.toString().toUtf8());
    policy.country = *country;
    auto hours = parseBusinessHours(clinicProfile.value(QLatin1StringView("business_hours")));
    if (!hours)
        return propagate(hours);
    policy.businessHours = *hours;
    auto discharge = parseDischargePolicy(clinicProfile.value(QLatin1StringView("discharge_policy")));
    if (!discharge)
        return propagate(discharge);
    policy.discharge = *discharge;
    if (auto valid = validateClinicPolicy(policy); !valid)
        return propagate(valid);
    return policy;
}

Status validateClinicPolicy(const ClinicPolicy& policy)
{
    if (!policy.zone.isValid())
        return invalid(kClinicTimezoneUnknown, QStringLiteral("the clinic has no valid time zone"));
    if (!policy.country.isValid())
        return invalid(kClinicCountryUnknown, QStringLiteral("the clinic has no valid country"));
    const DischargePolicy& discharge = policy.discharge;
    if (discharge.callDelayDays < 0)
        return invalid(kClinicPolicyOutOfRange, QStringLiteral("call_delay_days is negative"));
    if (discharge.maxVisitAgeDays < 1)
        return invalid(kClinicPolicyOutOfRange, QStringLiteral("max_visit_age_days is below 1"));
    if (discharge.staggerMinutes < 1)
        return invalid(kClinicPolicyOutOfRange, QStringLiteral("stagger_minutes is below 1"));
    if (!isWholeMinute(discharge.callTime) || !isWholeMinute(discharge.callWindow.start) ||
        !isWholeMinute(discharge.callWindow.end))
        return invalid(kClinicTimeInvalid, QStringLiteral("call_time and call_window need whole minutes"));
    if (discharge.callWindow.start >= discharge.callWindow.end)
        return invalid(kClinicPolicyOutOfRange,
                       QStringLiteral("call_window.start is not before call_window.end"));
    for (std::size_t index = 0; index < policy.businessHours.days.size(); ++index) {
        const auto& day = policy.businessHours.days[index];
        if (!day)
            continue;
        const QString name = kWeekdays[index];
        if (!day->open.isValid() || !day->close.isValid() || day->open >= day->close)
            return invalid(kClinicPolicyOutOfRange,
                           QStringLiteral("business_hours.%1 does not open before it closes").arg(name));
        if (day->lunchStart.isValid() != day->lunchEnd.isValid())
            return invalid(kClinicPolicyOutOfRange,
                           QStringLiteral("business_hours.%1 has half a lunch break").arg(name));
        if (day->lunchStart.isValid() && day->lunchStart >= day->lunchEnd)
            return invalid(kClinicPolicyOutOfRange,
                           QStringLiteral("business_hours.%1 lunch does not start before it ends").arg(name));
    }
    if (discharge.skipClosedDays && !policy.businessHours.hasOpenDay())
        return invalid(kClinicPolicyOutOfRange,
                       QStringLiteral("business_hours has no open day while skip_closed_days is set"));
    bool anySlot = false;
    for (int day = 1; day <= 7; ++day)
        anySlot = anySlot || !callMinutes(policy, day).isEmpty();
    if (!anySlot)
        return invalid(
            kClinicPolicyOutOfRange,
            QStringLiteral("no weekday has opening hours inside call_window (calls_outside_hours is "
                           "false): no call could ever be placed"));
    return ok();
}

} // namespace odis::sync
