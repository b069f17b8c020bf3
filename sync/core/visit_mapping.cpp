#include "sync/core/visit_mapping.h"

#include "sync/core/reconciler.h"

#include <QJsonArray>

namespace odis::sync {

namespace {

QString text(const QJsonObject& object, QLatin1StringView field)
{
    return object.value(field).toString();
}

void addConsultation(VisitInput& visit, const QJsonObject* consultation)
{
    if (!consultation || visit.consultationId.isEmpty() ||
        text(*consultation, QLatin1StringView("neo_consultation_id")) != visit.consultationId)
        return;
    visit.consultationRead = true;
    visit.notesHtml = text(*consultation, QLatin1StringView("notes_html"));
    visit.dischargeSummary = text(*consultation, QLatin1StringView("discharge_summary"));
    for (const QLatin1StringView list :
         {QLatin1StringView("products_services"), QLatin1StringView("declined_products_services")}) {
        for (const QJsonValue line : consultation->value(list).toArray())
            visit.productLines.append(line.toObject().value(QLatin1StringView("name")).toString());
    }
}

// The row's patient id; an older schedule shape has none, and then the consultation read in this run
// or the stored payload says whose visit it is.
QString patientOf(const AppointmentSources& sources)
{
    if (!sources.event.patientId.isEmpty())
        return sources.event.patientId;
    if (sources.consultation && !sources.consultation->patient.id.isEmpty())
        return sources.consultation->patient.id;
    if (sources.previous)
        return sources.previous->value(QLatin1StringView("patient"))
            .toObject()
            .value(QLatin1StringView("id"))
            .toString();
    return {};
}

} // namespace

VisitInput visitInput(const AppointmentSources& sources, const QJsonObject* consultation,
                      const PhoneCountry& country)
{
    const NeoScheduleEvent& event = sources.event;
    VisitInput visit;
    visit.appointmentId = event.appointmentId;
    visit.consultationId = event.consultationId.value_or(QString());
    if (!event.isBlock && !event.isRoster)
        visit.patientId = patientOf(sources);
    visit.start = {event.start.date, event.start.time};
    visit.end = {event.end.date, event.end.time};
    visit.status = visitStatusFromCode(statusName(event.status));
    visit.isBlock = event.isBlock;
    visit.isRoster = event.isRoster;
    visit.appointmentType = event.appointmentType;
    visit.reason = event.reason;
    visit.phones = phoneCandidates(sources);
    const PhoneFields shown = appointmentPhone(sources, country);
    const std::optional<ChosenPhone> chosen = choosePhone(visit.phones, country);
    // Kept from an earlier run (and better than this run's): in the detail's slot, which was not
    // fetched, it is chosen again (an E.164 number parses to itself).
    if (!shown.e164.isEmpty() && (!chosen || chosen->number.e164 != shown.e164))
        visit.phones.mobile = shown.e164;
    addConsultation(visit, consultation);
    visit.complete = event.notCarried == 0 && !sources.phoneUnknown;
    return visit;
}

void keepStoredFacts(VisitInput& visit, const QJsonObject& appointmentPayload, const PhoneCountry& country)
{
    visit.status = visitStatusFromCode(text(appointmentPayload, QLatin1StringView("status")));
    const QString phone = appointmentPayload.value(QLatin1StringView("client"))
                              .toObject()
                              .value(QLatin1StringView("phone_e164"))
                              .toString();
    const std::optional<ChosenPhone> chosen = choosePhone(visit.phones, country);
    if (!phone.isEmpty() && (!chosen || chosen->number.e164 != phone)) {
        visit.phones = VisitPhones{};
        visit.phones.mobile = phone; // an E.164 number parses to itself
    }
    visit.complete = false;
}

Result<VisitInput> removedVisitInput(const QJsonObject& lastAppointment, const QJsonObject* consultation)
{
    auto visit = storedVisitInput(lastAppointment, consultation);
    if (visit)
        visit->removedFromNeo = true;
    return visit;
}

Result<VisitInput> storedVisitInput(const QJsonObject& lastAppointment, const QJsonObject* consultation)
{
    VisitInput visit;
    visit.appointmentId = text(lastAppointment, QLatin1StringView("neo_appointment_id"));
    const QDate date = QDate::fromString(text(lastAppointment, QLatin1StringView("date")), Qt::ISODate);
    const QTime start =
        QTime::fromString(text(lastAppointment, QLatin1StringView("start_time")), QStringLiteral("HH:mm"));
    const QTime end =
        QTime::fromString(text(lastAppointment, QLatin1StringView("end_time")), QStringLiteral("HH:mm"));
    if (visit.appointmentId.isEmpty() || !date.isValid() || !start.isValid())
        return fail(QString(kObservationPayloadInvalid),
                    QStringLiteral("a stored appointment payload has no id, date or start time"));
    visit.consultationId = text(lastAppointment, QLatin1StringView("neo_consultation_id"));
    visit.start = {date, start};
    if (end.isValid())
        visit.end = {end < start ? date.addDays(1) : date, end};
    visit.status = visitStatusFromCode(text(lastAppointment, QLatin1StringView("status")));
    visit.isBlock = lastAppointment.value(QLatin1StringView("is_block")).toBool();
    if (!visit.isBlock)
        visit.patientId = lastAppointment.value(QLatin1StringView("patient"))
                              .toObject()
                              .value(QLatin1StringView("id"))
                              .toString();
    visit.appointmentType = text(lastAppointment, QLatin1StringView("appointment_type"));
    visit.reason = text(lastAppointment, QLatin1StringView("reason"));
    const QJsonObject client = lastAppointment.value(QLatin1StringView("client")).toObject();
    visit.phones.scheduleRow = text(client, QLatin1StringView("phone_raw")); // the number last seen
    addConsultation(visit, consultation);
    return visit;
}

} // namespace odis::sync
