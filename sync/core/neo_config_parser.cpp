#include "sync/core/neo_config_parser.h"

#include "sync/core/neo_fields.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr std::array kConfigsFields{L1("businessHours"), L1("slotDuration"), L1("minTime"),
                                    L1("maxTime"),       L1("providers"),    L1("rooms")};
constexpr std::array kConfigsHoursFields{L1("start"), L1("end"), L1("daysOfWeek")};
constexpr std::array kConfigsProviderFields{L1("id"), L1("name"), L1("color")};
constexpr std::array kConfigsRoomFields{L1("id"), L1("name")};

constexpr std::array kViewFields{L1("slotInterval"), L1("businessHours"), L1("appointmentTypes"),
                                 L1("appointmentRooms"), L1("providers")};
constexpr std::array kViewHoursFields{L1("daysOfWeek"), L1("startTime"), L1("endTime")};
constexpr std::array kViewTypeFields{L1("id"), L1("name"), L1("duration"), L1("color")};
constexpr std::array kViewRoomFields{L1("id"), L1("name"), L1("position")};
constexpr std::array kViewProviderFields{L1("id"), L1("name"), L1("provider")};

// The root object of a configuration answer, when it is one and carries a documented field: an
// object with none of them (an error object, say) is not a configuration.
[[nodiscard]] Result<QJsonObject> configRoot(const NeoResponse& response, const QString& endpoint,
                                             std::span<const QLatin1StringView> known)
{
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc)
        return propagate(doc);
    const QJsonObject root = doc->object();
    const bool recognised = doc->isObject() && std::ranges::any_of(known, [&](QLatin1StringView key) {
                                return root.contains(key);
                            });
    if (!recognised)
        return fail(QString(neo_error::kUnexpectedShape),
                    endpoint + QStringLiteral(": not an object with the documented configuration fields"));
    return root;
}

std::optional<int> timeOfDay(const NeoObjectReader& r, L1 key)
{
    const QString text = r.text(key, Need::Required);
    if (text.isEmpty())
        return std::nullopt;
    const std::optional<int> minutes = parseMinutesOfDay(text);
    if (!minutes)
        r.log().warn(r.fieldPath(key), QStringLiteral("not a time of day HH:MM"));
    return minutes;
}

QList<int> daysOfWeek(const NeoObjectReader& r)
{
    QList<int> days;
    const QJsonArray array = r.array(L1("daysOfWeek"), Need::Required).value_or(QJsonArray());
    const QString path = r.fieldPath(L1("daysOfWeek")) + QStringLiteral("[]");
    for (const QJsonValue value : array) {
        double day = -1;
        if (value.isDouble()) {
            day = value.toDouble();
        } else if (value.isString()) {
            r.log().warn(path, QStringLiteral("string instead of number"));
            bool ok = false;
            day = value.toString().trimmed().toDouble(&ok);
            if (!ok)
                day = -1;
        }
        // 0..6 from Sunday in Neo's calendar; 7 is how ISO numbering says Sunday, kept as sent.
        if (std::trunc(day) != day || day < 0 || day > 7) {
            r.log().warn(path, QStringLiteral("not a day number 0..7, skipped"));
            continue;
        }
        days.append(int(day));
    }
    return days;
}

template <typename Read> void forEachObject(const NeoObjectReader& parent, L1 key, Read read)
{
    const QJsonArray array = parent.array(key, Need::Required).value_or(QJsonArray());
    const QString path = parent.fieldPath(key) + QStringLiteral("[]");
    for (const QJsonValue element : array) {
        if (!element.isObject()) {
            parent.log().warn(path,
                              QStringLiteral("%1 instead of an object, skipped").arg(jsonTypeName(element)));
            continue;
        }
        read(NeoObjectReader(element.toObject(), path, parent.log()));
    }
}

} // namespace

Result<Parsed<NeoScheduleConfig>> parseNeoScheduleConfigs(const NeoResponse& response)
{
    const QString endpoint(neo_endpoint::kScheduleConfigs);
    const Result<QJsonObject> root = configRoot(response, endpoint, kConfigsFields);
    if (!root)
        return propagate(root);

    DriftLog log(endpoint);
    const NeoObjectReader r(*root, QString(), log);
    r.reportUnknownKeys(kConfigsFields);
    NeoScheduleConfig config;
    if (const std::optional<QJsonObject> hours = r.object(L1("businessHours"), Need::Required)) {
        const NeoObjectReader h(*hours, r.fieldPath(L1("businessHours")), log);
        h.reportUnknownKeys(kConfigsHoursFields);
        config.businessHours = {daysOfWeek(h), timeOfDay(h, L1("start")), timeOfDay(h, L1("end"))};
    }
    config.slotMinutes = r.minutes(L1("slotDuration"), Need::Required);
    config.minMinutes = timeOfDay(r, L1("minTime"));
    config.maxMinutes = timeOfDay(r, L1("maxTime"));
    forEachObject(r, L1("providers"), [&](const NeoObjectReader& p) {
        p.reportUnknownKeys(kConfigsProviderFields);
        config.providers.append({p.id(L1("id"), Need::Required).value, p.name(L1("name"), Need::Required),
                                 p.text(L1("color"), Need::Required)});
    });
    forEachObject(r, L1("rooms"), [&](const NeoObjectReader& room) {
        room.reportUnknownKeys(kConfigsRoomFields);
        config.rooms.append(
            {room.keyText(L1("id"), Need::Required), room.text(L1("name"), Need::Required), {}});
    });
    return Parsed<NeoScheduleConfig>{std::move(config), log.take()};
}

Result<Parsed<NeoAppointmentView>> parseNeoAppointmentView(const NeoResponse& response)
{
    const QString endpoint(neo_endpoint::kAppointmentView);
    const Result<QJsonObject> root = configRoot(response, endpoint, kViewFields);
    if (!root)
        return propagate(root);

    DriftLog log(endpoint);
    const NeoObjectReader r(*root, QString(), log);
    r.reportUnknownKeys(kViewFields);
    NeoAppointmentView view;
    view.slotMinutes = r.minutes(L1("slotInterval"), Need::Required);
    forEachObject(r, L1("businessHours"), [&](const NeoObjectReader& h) {
        h.reportUnknownKeys(kViewHoursFields);
        view.businessHours.append(
            {daysOfWeek(h), timeOfDay(h, L1("startTime")), timeOfDay(h, L1("endTime"))});
    });
    forEachObject(r, L1("appointmentTypes"), [&](const NeoObjectReader& t) {
        t.reportUnknownKeys(kViewTypeFields);
        view.appointmentTypes.append(
            {t.id(L1("id"), Need::Required).value, t.text(L1("name"), Need::Required),
             t.minutes(L1("duration"), Need::Required), t.text(L1("color"), Need::Required)});
    });
    forEachObject(r, L1("appointmentRooms"), [&](const NeoObjectReader& room) {
        room.reportUnknownKeys(kViewRoomFields);
        NeoRoom entry{room.keyText(L1("id"), Need::Required), room.text(L1("name"), Need::Required), {}};
        if (const std::optional<double> position = room.number(L1("position"), Need::Required))
            entry.position = int(std::clamp(*position, -1e6, 1e6));
        view.rooms.append(std::move(entry));
    });
    forEachObject(r, L1("providers"), [&](const NeoObjectReader& p) {
        p.reportUnknownKeys(kViewProviderFields);
        NeoViewProvider provider{
            p.id(L1("id"), Need::Required).value, p.name(L1("name"), Need::Required), {}};
        if (p.hasValue(L1("provider")))
            provider.isProvider = p.flag(L1("provider"), Need::Optional);
        else if (!p.has(L1("provider")))
            log.missing(p.fieldPath(L1("provider")));
        view.providers.append(std::move(provider));
    });
    return Parsed<NeoAppointmentView>{std::move(view), log.take()};
}

} // namespace odis::sync
