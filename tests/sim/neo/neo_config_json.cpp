#include "tests/sim/neo/neo_config_json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonValue>
#include <QMap>

#include <algorithm>
#include <array>

namespace odis::sim::neo {

namespace {

constexpr int kSlotMinutes = 15;

const std::array kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                             "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

QString color(qsizetype index)
{
    return QString::fromLatin1(kPalette[size_t(index) % kPalette.size()]);
}

QString hhmm(const QTime& t)
{
    return t.toString(QStringLiteral("HH:mm"));
}

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QJsonArray providerList(const QList<SimProvider>& providers, bool flagAsProvider)
{
    QJsonArray rows;
    for (qsizetype i = 0; i < providers.size(); ++i) {
        QJsonObject row{{QStringLiteral("id"), providers[i].id}, {QStringLiteral("name"), providers[i].name}};
        if (flagAsProvider) {
            row.insert(QStringLiteral("provider"), providers[i].userType == QLatin1String("Vet"));
        } else {
            row.insert(QStringLiteral("color"), color(i));
        }
        rows.append(row);
    }
    return rows;
}

QString columnName(const QList<QPair<QString, QString>>& columns, const QString& id)
{
    for (const auto& [columnId, name] : columns) {
        if (columnId == id) {
            return name;
        }
    }
    return {};
}

// An open day as Neo's calendar counts days: 0 = Sunday ... 6 = Saturday.
struct BusinessDay
{
    int dayOfWeek = 0;
    QTime open;
    QTime close;
};

QList<BusinessDay> businessDays(const SimClinicProfile& profile)
{
    QList<BusinessDay> days;
    // The profile counts from Monday (index 0); Sunday goes first, as in Neo.
    for (int neoDay = 0; neoDay < 7; ++neoDay) {
        const auto& hours = profile.hours[size_t((neoDay + 6) % 7)];
        if (hours) {
            days.append(BusinessDay{neoDay, hours->open, hours->close});
        }
    }
    return days;
}

} // namespace

QJsonObject scheduleConfigs(const NeoCalendarSetup& setup)
{
    QTime earliest(8, 0);
    QTime latest(18, 0);
    QJsonArray daysOfWeek;
    const QList<BusinessDay> days = businessDays(setup.profile);
    for (qsizetype i = 0; i < days.size(); ++i) {
        const BusinessDay& day = days[i];
        earliest = i == 0 ? day.open : std::min(earliest, day.open);
        latest = i == 0 ? day.close : std::max(latest, day.close);
        daysOfWeek.append(day.dayOfWeek);
    }
    QJsonArray rooms;
    for (const auto& [id, name] : setup.columns) {
        rooms.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("name"), name}});
    }
    // The calendar shows an hour either side of the opening hours.
    return QJsonObject{
        {QStringLiteral("businessHours"), QJsonObject{{QStringLiteral("start"), hhmm(earliest)},
                                                      {QStringLiteral("end"), hhmm(latest)},
                                                      {QStringLiteral("daysOfWeek"), daysOfWeek}}},
        {QStringLiteral("slotDuration"), kSlotMinutes},
        {QStringLiteral("minTime"), earliest.addSecs(-3600).toString(QStringLiteral("HH:mm:ss"))},
        {QStringLiteral("maxTime"), latest.addSecs(3600).toString(QStringLiteral("HH:mm:ss"))},
        {QStringLiteral("providers"), providerList(setup.providers, false)},
        {QStringLiteral("rooms"), rooms},
    };
}

QJsonObject appointmentView(const NeoCalendarSetup& setup, const QList<SimAppointment>& appointments)
{
    // Days with the same opening hours share one entry, as calendar widgets expect.
    QMap<QPair<QTime, QTime>, QJsonArray> groups;
    for (const BusinessDay& day : businessDays(setup.profile)) {
        groups[{day.open, day.close}].append(day.dayOfWeek);
    }
    QJsonArray businessHours;
    for (auto it = groups.constBegin(); it != groups.constEnd(); ++it) {
        businessHours.append(QJsonObject{{QStringLiteral("daysOfWeek"), it.value()},
                                         {QStringLiteral("startTime"), hhmm(it.key().first)},
                                         {QStringLiteral("endTime"), hhmm(it.key().second)}});
    }
    QMap<QString, int> durations; // type -> minutes of its first booking
    for (const SimAppointment& a : appointments) {
        if (!a.isBlock && !a.isRoster && !a.typeDescription.isEmpty() &&
            !durations.contains(a.typeDescription)) {
            durations.insert(a.typeDescription, int(a.start.secsTo(a.end) / 60));
        }
    }
    QJsonArray types;
    int typeId = 0;
    for (auto it = durations.constBegin(); it != durations.constEnd(); ++it, ++typeId) {
        types.append(QJsonObject{{QStringLiteral("id"), typeId + 1},
                                 {QStringLiteral("name"), it.key()},
                                 {QStringLiteral("duration"), it.value()},
                                 {QStringLiteral("color"), color(typeId)}});
    }
    QJsonArray rooms;
    for (qsizetype i = 0; i < setup.columns.size(); ++i) {
        rooms.append(QJsonObject{{QStringLiteral("id"), setup.columns[i].first},
                                 {QStringLiteral("name"), setup.columns[i].second},
                                 {QStringLiteral("position"), int(i + 1)}});
    }
    return QJsonObject{
        {QStringLiteral("slotInterval"), kSlotMinutes},
        {QStringLiteral("businessHours"), businessHours},
        {QStringLiteral("appointmentTypes"), types},
        {QStringLiteral("appointmentRooms"), rooms},
        {QStringLiteral("providers"), providerList(setup.providers, true)},
    };
}

QJsonObject appointmentDetail(const SimAppointment& a, const QList<QPair<QString, QString>>& columns)
{
    const QString stamp = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    const bool visit = !a.isBlock && !a.isRoster;
    const QJsonObject client{
        {QStringLiteral("id"), a.client.id},
        {QStringLiteral("firstName"), a.client.firstName},
        {QStringLiteral("lastName"), a.client.lastName},
        {QStringLiteral("email"), textOrNull(a.client.email)},
        {QStringLiteral("homePhone"), textOrNull(a.client.homePhone.raw)},
        {QStringLiteral("mobilePhone"), textOrNull(a.client.mobilePhone.raw)},
    };
    // The model holds no ids for breed and species nor a gender: they are null rather than invented.
    const QJsonValue patient =
        visit ? QJsonValue(QJsonObject{
                    {QStringLiteral("id"), a.patient.id},
                    {QStringLiteral("name"), a.patient.name},
                    {QStringLiteral("breed"), QJsonObject{{QStringLiteral("id"), QJsonValue()},
                                                          {QStringLiteral("name"), a.patient.breed}}},
                    {QStringLiteral("species"), QJsonObject{{QStringLiteral("id"), QJsonValue()},
                                                            {QStringLiteral("name"), a.patient.species}}},
                    {QStringLiteral("gender"), QJsonValue()},
                    {QStringLiteral("client"), client},
                })
              : QJsonValue();
    const QJsonObject appointment{
        {QStringLiteral("id"), QString::number(a.appointmentId)},
        {QStringLiteral("status"), a.status},
        {QStringLiteral("startAtLocal"), QDateTime(a.date, a.start, Qt::UTC).toString(stamp)},
        {QStringLiteral("endAtLocal"), QDateTime(a.date, a.end, Qt::UTC).toString(stamp)},
        {QStringLiteral("notes"), visit ? a.reason : a.blockText},
        {QStringLiteral("deleted"), a.deleted},
        {QStringLiteral("block"), a.isBlock || a.isRoster},
        {QStringLiteral("bookedBy"), QJsonValue()},
        {QStringLiteral("createdAt"),
         a.bookedUtc.isValid() ? QJsonValue(a.bookedUtc.toString(Qt::ISODate)) : QJsonValue()},
        {QStringLiteral("patient"), patient},
        {QStringLiteral("appointmentType"),
         QJsonObject{{QStringLiteral("name"), a.typeDescription},
                     {QStringLiteral("duration"), int(a.start.secsTo(a.end) / 60)}}},
        {QStringLiteral("appointmentRoom"),
         QJsonObject{{QStringLiteral("id"), a.resourceId},
                     {QStringLiteral("name"), columnName(columns, a.resourceId)}}},
        {QStringLiteral("provider"),
         a.provider.id == 0 && a.provider.name.isEmpty()
             ? QJsonValue()
             : QJsonValue(QJsonObject{{QStringLiteral("id"), a.provider.id},
                                      {QStringLiteral("name"), a.provider.name}})},
        {QStringLiteral("cancelledReason"), textOrNull(a.cancelledReason)},
    };
    return QJsonObject{{QStringLiteral("appointment"), appointment}};
}

} // namespace odis::sim::neo
