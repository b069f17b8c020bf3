#include "tests/sim/neo/neo_schedule_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>

#include <algorithm>

namespace odis::sim::neo {

namespace {

const QString kCurrentStamp = QStringLiteral("yyyy-MM-dd HH:mm:ss");
const QString kOlderStamp = QStringLiteral("yyyy-MM-ddTHH:mm:ss");

QDateTime naive(const QDate& date, const QTime& time)
{
    return QDateTime(date, time, Qt::UTC);
}

odis::Result<QDateTime> parseStamp(const QUrlQuery& query, const QString& key)
{
    if (!query.hasQueryItem(key)) {
        return odis::fail(QStringLiteral("bad_request"), QStringLiteral("missing parameter: ") + key);
    }
    QString text = query.queryItemValue(key, QUrl::FullyDecoded);
    text.replace(QLatin1Char('+'), QLatin1Char(' '));
    // Strict on purpose: the agent must send exactly Neo's format, and a test must see it when not.
    static const QRegularExpression format(QStringLiteral("^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2})$"));
    const auto match = format.match(text);
    const QDate date = match.hasMatch() ? QDate::fromString(match.captured(1), Qt::ISODate) : QDate();
    const QTime time =
        match.hasMatch() ? QTime::fromString(match.captured(2), QStringLiteral("HH:mm:ss")) : QTime();
    if (!date.isValid() || !time.isValid()) {
        return odis::fail(QStringLiteral("bad_request"),
                          key + QStringLiteral(" must be a clinic-local YYYY-MM-DD HH:MM:SS"));
    }
    return naive(date, time);
}

bool isVisit(const SimAppointment& a)
{
    return !a.isBlock && !a.isRoster;
}

QJsonValue idOrNull(qint64 id, bool present)
{
    return present && id != 0 ? QJsonValue(id) : QJsonValue();
}

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

odis::Result<ScheduleWindow> parseScheduleWindow(const QUrlQuery& query)
{
    auto start = parseStamp(query, QStringLiteral("start"));
    if (!start) {
        return std::unexpected(start.error());
    }
    auto end = parseStamp(query, QStringLiteral("end"));
    if (!end) {
        return std::unexpected(end.error());
    }
    if (*end < *start) {
        return odis::fail(QStringLiteral("bad_request"), QStringLiteral("end is before start"));
    }
    return ScheduleWindow{*start, *end};
}

QList<SimAppointment> appointmentsInWindow(const QList<SimAppointment>& snapshot,
                                           const ScheduleWindow& window)
{
    QList<SimAppointment> inWindow;
    for (const SimAppointment& a : snapshot) {
        const QDateTime start = naive(a.date, a.start);
        if (!a.deleted && start >= window.startLocal && start <= window.endLocal) {
            inWindow.append(a);
        }
    }
    std::stable_sort(inWindow.begin(), inWindow.end(), [](const SimAppointment& l, const SimAppointment& r) {
        return std::tie(l.date, l.start, l.resourceId, l.appointmentId) <
               std::tie(r.date, r.start, r.resourceId, r.appointmentId);
    });
    return inWindow;
}

QString scheduleTitle(const SimAppointment& a)
{
    if (!isVisit(a)) {
        return a.blockText;
    }
    return a.patient.name + QStringLiteral("; ") + a.client.lastName.toUpper() + QStringLiteral(", ") +
           a.client.firstName.toUpper();
}

QString statusClassName(const SimAppointment& a)
{
    if (a.isRoster) {
        return QStringLiteral("roster");
    }
    if (a.isBlock) {
        return QStringLiteral("block");
    }
    static const QRegularExpression separators(QStringLiteral("[^a-z0-9]+"));
    QString css = a.status.trimmed().toLower();
    css.replace(separators, QStringLiteral("-"));
    return css;
}

QJsonObject currentScheduleEvent(const SimAppointment& a)
{
    const bool visit = isVisit(a);
    return QJsonObject{
        {QStringLiteral("id"), a.calendarEventId},
        {QStringLiteral("appointment_id"), a.appointmentId},
        {QStringLiteral("consultation_id"), a.consultationId ? QJsonValue(*a.consultationId) : QJsonValue()},
        {QStringLiteral("start"), naive(a.date, a.start).toString(kCurrentStamp)},
        {QStringLiteral("end"), naive(a.date, a.end).toString(kCurrentStamp)},
        {QStringLiteral("patient_id"), idOrNull(a.patient.id, visit)},
        {QStringLiteral("patient_name"), visit ? a.patient.name : QString()},
        {QStringLiteral("client_id"), idOrNull(a.client.id, visit)},
        {QStringLiteral("first_name"), visit ? a.client.firstName : QString()},
        {QStringLiteral("last_name"), visit ? a.client.lastName : QString()},
        {QStringLiteral("email"), visit ? textOrNull(a.client.email) : QJsonValue()},
        {QStringLiteral("phone_number"), a.schedulePhone().raw},
        {QStringLiteral("provider"), a.provider.name},
        {QStringLiteral("resourceId"), a.resourceId},
        {QStringLiteral("title"), scheduleTitle(a)},
        {QStringLiteral("type_description"), a.typeDescription},
        {QStringLiteral("reason"), a.reason},
        {QStringLiteral("current_status"), a.status},
        {QStringLiteral("status_label"), a.status},
        {QStringLiteral("is_block"), a.isBlock},
        {QStringLiteral("is_roster"), a.isRoster},
    };
}

QJsonObject olderScheduleEvent(const SimAppointment& a)
{
    const bool visit = isVisit(a);
    return QJsonObject{
        {QStringLiteral("id"), a.appointmentId},
        {QStringLiteral("title"), scheduleTitle(a)},
        {QStringLiteral("start"), naive(a.date, a.start).toString(kOlderStamp)},
        {QStringLiteral("end"), naive(a.date, a.end).toString(kOlderStamp)},
        // The older calendar named its columns "room-<n>".
        {QStringLiteral("resourceId"), QString(QStringLiteral("room-") + a.resourceId)},
        {QStringLiteral("className"), statusClassName(a)},
        {QStringLiteral("patientName"), visit ? a.patient.name : QString()},
        {QStringLiteral("clientName"),
         visit ? QString(a.client.lastName + QStringLiteral(", ") + a.client.firstName) : QString()},
        {QStringLiteral("clientPhone"), a.schedulePhone().raw},
        {QStringLiteral("providerName"), a.provider.name},
        {QStringLiteral("appointmentType"), a.typeDescription},
        {QStringLiteral("status"), a.status},
    };
}

QByteArray renderSchedule(const QList<SimAppointment>& events, ScheduleShape shape)
{
    QJsonArray array;
    for (const SimAppointment& a : events) {
        array.append(shape.fields == ScheduleFields::Current ? currentScheduleEvent(a)
                                                             : olderScheduleEvent(a));
    }
    QString key;
    switch (shape.wrapper) {
    case ScheduleWrapper::None:
        return QJsonDocument(array).toJson(QJsonDocument::Compact);
    case ScheduleWrapper::Events:
        key = QStringLiteral("events");
        break;
    case ScheduleWrapper::Appointments:
        key = QStringLiteral("appointments");
        break;
    case ScheduleWrapper::Data:
        key = QStringLiteral("data");
        break;
    }
    return QJsonDocument(QJsonObject{{key, array}}).toJson(QJsonDocument::Compact);
}

} // namespace odis::sim::neo
