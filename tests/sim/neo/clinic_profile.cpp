#include "tests/sim/neo/clinic_profile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace odis::sim::neo {

namespace {

const char* const kDayNames[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                  "friday", "saturday", "sunday"};

std::unexpected<Error> invalid(const QString& field, const QString& why)
{
    return fail(QStringLiteral("invalid_clinic_profile"), field + QStringLiteral(": ") + why);
}

Result<QTime> parseTime(const QJsonValue& value, const QString& field)
{
    const QTime time = QTime::fromString(value.toString(), QStringLiteral("HH:mm"));
    if (!value.isString() || !time.isValid())
        return invalid(field, QStringLiteral("expected \"HH:MM\""));
    return time;
}

// Reads an optional field of `object`: absent keeps `target`, present with a wrong type is an error.
Status readInt(const QJsonObject& object, const QString& key, const QString& path, int& target, int min)
{
    if (!object.contains(key))
        return ok();
    const QJsonValue value = object.value(key);
    if (!value.isDouble() || value.toDouble() != static_cast<double>(value.toInt()) || value.toInt() < min)
        return invalid(path + key, QStringLiteral("expected an integer >= %1").arg(min));
    target = value.toInt();
    return ok();
}

Status readBool(const QJsonObject& object, const QString& key, const QString& path, bool& target)
{
    if (!object.contains(key))
        return ok();
    if (!object.value(key).isBool())
        return invalid(path + key, QStringLiteral("expected a boolean"));
    target = object.value(key).toBool();
    return ok();
}

Status readStrings(const QJsonObject& object, const QString& key, const QString& path, QStringList& target)
{
    if (!object.contains(key))
        return ok();
    if (!object.value(key).isArray())
        return invalid(path + key, QStringLiteral("expected an array of strings"));
    target.clear();
    for (const QJsonValue item : object.value(key).toArray()) {
        if (!item.isString())
            return invalid(path + key, QStringLiteral("expected an array of strings"));
        target.append(item.toString());
    }
    return ok();
}

Status readHours(const QJsonObject& profile, SimClinicProfile& out)
{
    const QJsonObject hours = profile.value(QStringLiteral("business_hours")).toObject();
    for (int day = 0; day < 7; ++day) {
        const QString name = QString::fromLatin1(kDayNames[day]);
        const QJsonValue value = hours.value(name);
        if (value.isUndefined() || value.isNull())
            continue;
        const QString path = QStringLiteral("business_hours.") + name + QLatin1Char('.');
        if (!value.isObject())
            return invalid(path.chopped(1), QStringLiteral("expected an object or null"));
        const QJsonObject o = value.toObject();
        SimDayHours h;
        auto open = parseTime(o.value(QStringLiteral("open")), path + QStringLiteral("open"));
        auto close = parseTime(o.value(QStringLiteral("close")), path + QStringLiteral("close"));
        if (!open)
            return std::unexpected(open.error());
        if (!close)
            return std::unexpected(close.error());
        h.open = *open;
        h.close = *close;
        if (o.contains(QStringLiteral("lunch_start")) || o.contains(QStringLiteral("lunch_end"))) {
            auto ls = parseTime(o.value(QStringLiteral("lunch_start")), path + QStringLiteral("lunch_start"));
            auto le = parseTime(o.value(QStringLiteral("lunch_end")), path + QStringLiteral("lunch_end"));
            if (!ls)
                return std::unexpected(ls.error());
            if (!le)
                return std::unexpected(le.error());
            h.lunchStart = *ls;
            h.lunchEnd = *le;
        }
        out.hours[day] = h;
    }
    return ok();
}

Status readPolicy(const QJsonObject& profile, SimDischargePolicy& p)
{
    const QJsonObject o = profile.value(QStringLiteral("discharge_policy")).toObject();
    const QString path = QStringLiteral("discharge_policy.");
    for (const Status& s :
         {readBool(o, QStringLiteral("enabled"), path, p.enabled),
          readInt(o, QStringLiteral("call_delay_days"), path, p.callDelayDays, 0),
          readBool(o, QStringLiteral("skip_closed_days"), path, p.skipClosedDays),
          readInt(o, QStringLiteral("stagger_minutes"), path, p.staggerMinutes, 1),
          readInt(o, QStringLiteral("max_visit_age_days"), path, p.maxVisitAgeDays, 0),
          readBool(o, QStringLiteral("calls_outside_hours"), path, p.callsOutsideHours),
          readStrings(o, QStringLiteral("excluded_appointment_types"), path, p.excludedAppointmentTypes),
          readStrings(o, QStringLiteral("blocked_keywords"), path, p.blockedKeywords)}) {
        if (!s)
            return s;
    }
    if (o.contains(QStringLiteral("call_time"))) {
        auto t = parseTime(o.value(QStringLiteral("call_time")), path + QStringLiteral("call_time"));
        if (!t)
            return std::unexpected(t.error());
        p.callTime = *t;
    }
    if (o.contains(QStringLiteral("call_window"))) {
        const QJsonObject w = o.value(QStringLiteral("call_window")).toObject();
        auto ws = parseTime(w.value(QStringLiteral("start")), path + QStringLiteral("call_window.start"));
        auto we = parseTime(w.value(QStringLiteral("end")), path + QStringLiteral("call_window.end"));
        if (!ws)
            return std::unexpected(ws.error());
        if (!we)
            return std::unexpected(we.error());
        if (*we < *ws)
            return invalid(path + QStringLiteral("call_window"), QStringLiteral("end before start"));
        p.windowStart = *ws;
        p.windowEnd = *we;
    }
    return ok();
}

} // namespace

std::optional<SimDayHours> SimClinicProfile::hoursOn(QDate date) const
{
    if (!date.isValid())
        return std::nullopt;
    return hours[static_cast<size_t>(date.dayOfWeek() - 1)];
}

Result<SimClinicProfile> parseClinicProfile(const QJsonObject& profile)
{
    SimClinicProfile out;
    const QString zoneName = profile.value(QStringLiteral("timezone")).toString();
    out.zone = QTimeZone(zoneName.toUtf8());
    if (zoneName.isEmpty() || !out.zone.isValid())
        return invalid(QStringLiteral("timezone"), QStringLiteral("expected an IANA zone name"));
    out.country = profile.value(QStringLiteral("country")).toString();
    if (!QStringList{QStringLiteral("US"), QStringLiteral("CA"), QStringLiteral("GB")}.contains(out.country))
        return invalid(QStringLiteral("country"),
                       QStringLiteral("expected \"US\", \"CA\" or \"GB\" (the countries the simulator "
                                      "generates clinics in)"));
    out.companyId =
        profile.value(QStringLiteral("idexx")).toObject().value(QStringLiteral("company_id")).toString();
    if (Status s = readHours(profile, out); !s)
        return std::unexpected(s.error());
    if (Status s = readPolicy(profile, out.policy); !s)
        return std::unexpected(s.error());
    const QJsonObject sync = profile.value(QStringLiteral("sync")).toObject();
    const QString path = QStringLiteral("sync.");
    for (const Status& s :
         {readInt(sync, QStringLiteral("interval_minutes"), path, out.sync.intervalMinutes, 1),
          readInt(sync, QStringLiteral("lookback_hours"), path, out.sync.lookbackHours, 0),
          readInt(sync, QStringLiteral("reconcile_days"), path, out.sync.reconcileDays, 0),
          readInt(sync, QStringLiteral("lookahead_days"), path, out.sync.lookaheadDays, 0)}) {
        if (!s)
            return std::unexpected(s.error());
    }
    return out;
}

QJsonObject defaultClinicProfile()
{
    QFile file(QStringLiteral(":/odis/sim/default-clinic-profile.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("odis_neo_model: the embedded default clinic profile is missing (a build error)");
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace odis::sim::neo
