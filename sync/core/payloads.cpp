#include "sync/core/payloads.h"

#include "sync/core/clinic_policy.h"
#include "sync/core/html_sanitizer.h"
#include "sync/core/html_text.h"

#include <QJsonArray>
#include <QJsonValue>

namespace odis::sync {

namespace {

const QString kHm = QStringLiteral("HH:mm");

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue idOrNull(const std::optional<QString>& id)
{
    return id ? textOrNull(*id) : QJsonValue(QJsonValue::Null);
}

bool isVisit(const NeoScheduleEvent& event)
{
    return !event.isBlock && !event.isRoster;
}

QJsonObject previousField(const QJsonObject* previous, QLatin1StringView field)
{
    return previous ? previous->value(field).toObject() : QJsonObject();
}

// The chosen candidate and its raw text; when none parses, no number and the first non-empty raw text.
PhoneFields chosenFields(const VisitPhones& phones, const PhoneCountry& country)
{
    if (const std::optional<ChosenPhone> chosen = choosePhone(phones, country))
        return PhoneFields{chosen->number.e164, chosen->raw};
    for (const QString* candidate :
         {&phones.mobile, &phones.scheduleRow, &phones.consultationClient, &phones.home}) {
        if (!candidate->trimmed().isEmpty())
            return PhoneFields{QString(), *candidate};
    }
    return {};
}

// What an earlier run found for the same client of this visit (it may have read the appointment's
// mobile and home numbers, which this run did not): a valid E.164 number, or only the raw text when
// none was valid. Without it an unchanged visit's payload would lose the number and flap.
std::optional<PhoneFields> previousPhone(const AppointmentSources& sources, const PhoneCountry& country)
{
    const QJsonObject client = previousField(sources.previous, QLatin1StringView("client"));
    const QString clientId = client.value(QLatin1StringView("id")).toString();
    if ((sources.event.notCarried & event_field::kClientId) != 0) {
        // The row's source shows no client id (a DOM page): the same client is the same name.
        if (client.value(QLatin1StringView("first_name")).toString() !=
                normaliseName(sources.event.clientFirstName) ||
            client.value(QLatin1StringView("last_name")).toString() !=
                normaliseName(sources.event.clientLastName))
            return std::nullopt;
    } else if (clientId.isEmpty() || clientId != sources.event.clientId) {
        return std::nullopt;
    }
    const QString e164 = client.value(QLatin1StringView("phone_e164")).toString();
    const QString raw = client.value(QLatin1StringView("phone_raw")).toString();
    if (!e164.isEmpty()) {
        const Result<PhoneNumber> number = parsePhone(e164, country);
        if (!number || number->e164 != e164)
            return std::nullopt;
    }
    if (e164.isEmpty() && raw.trimmed().isEmpty())
        return std::nullopt;
    return PhoneFields{e164, raw};
}

// True when `kept` is a better number to dial than `current`: a valid number is better than none, and
// without any, the earlier raw text (read with the detail's numbers) stands.
bool ranksBetter(const PhoneFields& kept, const PhoneFields& current, const PhoneCountry& country)
{
    if (kept.e164.isEmpty())
        return current.e164.isEmpty();
    if (current.e164.isEmpty())
        return true;
    const Result<PhoneNumber> keptNumber = parsePhone(kept.e164, country);
    const Result<PhoneNumber> currentNumber = parsePhone(current.e164, country);
    return keptNumber && currentNumber && phonePreference(*keptNumber) < phonePreference(*currentNumber);
}

QString species(const AppointmentSources& sources)
{
    if (sources.consultation)
        return sources.consultation->patient.species;
    if (!sources.previous)
        return {};
    const QString consultationId = sources.event.consultationId.value_or(QString());
    const QJsonObject patient = previousField(sources.previous, QLatin1StringView("patient"));
    if (consultationId.isEmpty() || sources.event.patientId.isEmpty() ||
        sources.previous->value(QLatin1StringView("neo_consultation_id")).toString() != consultationId ||
        patient.value(QLatin1StringView("id")).toString() != sources.event.patientId)
        return {};
    return patient.value(QLatin1StringView("species")).toString();
}

// The payload's fields that come from each event_field bit, as "object.field" or "field".
struct CarriedField
{
    quint32 bit;
    QLatin1StringView path;
};
constexpr CarriedField kCarriedFields[] = {
    {event_field::kPatientId, QLatin1StringView("patient.id")},
    {event_field::kPatientName, QLatin1StringView("patient.name")},
    {event_field::kClientId, QLatin1StringView("client.id")},
    {event_field::kClientName, QLatin1StringView("client.first_name")},
    {event_field::kClientName, QLatin1StringView("client.last_name")},
    {event_field::kEmail, QLatin1StringView("client.email")},
    {event_field::kReason, QLatin1StringView("reason")},
    {event_field::kConsultationId, QLatin1StringView("neo_consultation_id")},
    {event_field::kProvider, QLatin1StringView("provider.name")},
    {event_field::kAppointmentType, QLatin1StringView("appointment_type")},
    {event_field::kRoom, QLatin1StringView("room_id")},
    {event_field::kEnd, QLatin1StringView("end_time")},
};

// What the row's source did not carry takes the previous payload's value: absent is not empty.
void keepNotCarried(QJsonObject& payload, const QJsonObject& previous, quint32 notCarried)
{
    for (const CarriedField& f : kCarriedFields) {
        if ((notCarried & f.bit) == 0)
            continue;
        const QString path(f.path);
        const qsizetype dot = path.indexOf(u'.');
        if (dot < 0) {
            if (previous.contains(path))
                payload.insert(path, previous.value(path));
            continue;
        }
        const QString object = path.first(dot);
        const QString field = path.sliced(dot + 1);
        const QJsonObject before = previous.value(object).toObject();
        if (!before.contains(field))
            continue;
        QJsonObject now = payload.value(object).toObject();
        now.insert(field, before.value(field));
        payload.insert(object, now);
    }
}

[[nodiscard]] Status checkSources(const AppointmentSources& sources, const QTimeZone& clinicZone)
{
    const NeoScheduleEvent& event = sources.event;
    if (!clinicZone.isValid() || !isIanaZoneId(QString::fromUtf8(clinicZone.id())))
        return fail(QString(kPayloadInputInvalid), QStringLiteral("the clinic zone is not an IANA zone"));
    if (sources.consultation && sources.consultation->id != event.consultationId.value_or(QString()))
        return fail(QString(kPayloadInputInvalid),
                    QStringLiteral("consultation %1 is not the one of appointment %2")
                        .arg(sources.consultation->id, event.appointmentId));
    if (sources.detail && sources.detail->id != event.appointmentId)
        return fail(QString(kPayloadInputInvalid),
                    QStringLiteral("the appointment detail %1 is not appointment %2")
                        .arg(sources.detail->id, event.appointmentId));
    if (!event.start.isValid())
        return fail(QString(kPayloadIncomplete),
                    QStringLiteral("appointment %1 has no valid start").arg(event.appointmentId));
    return ok();
}

QJsonArray productLines(const QList<NeoProductLine>& lines, bool declined)
{
    QJsonArray out;
    for (const NeoProductLine& line : lines) {
        if (line.declined == declined)
            out.append(QJsonObject{{QStringLiteral("name"), line.name},
                                   {QStringLiteral("quantity"), line.quantity}});
    }
    return out;
}

QJsonArray providers(const QList<NeoProvider>& list)
{
    QJsonArray out;
    for (const NeoProvider& provider : list) {
        out.append(QJsonObject{{QStringLiteral("id"), textOrNull(provider.id)},
                               {QStringLiteral("name"), normaliseName(provider.name)},
                               {QStringLiteral("role"), provider.userType}});
    }
    return out;
}

} // namespace

VisitPhones phoneCandidates(const AppointmentSources& sources)
{
    if (!isVisit(sources.event))
        return {};
    VisitPhones phones;
    phones.scheduleRow = sources.event.phoneRaw;
    if (sources.detail) {
        phones.mobile = sources.detail->client.mobilePhone;
        phones.home = sources.detail->client.homePhone;
    }
    if (sources.consultation)
        phones.consultationClient = sources.consultation->client.phone;
    return phones;
}

PhoneFields appointmentPhone(const AppointmentSources& sources, const PhoneCountry& country)
{
    PhoneFields fields = chosenFields(phoneCandidates(sources), country);
    if (!isVisit(sources.event))
        return fields;
    const bool rowPhoneUnknown = (sources.event.notCarried & event_field::kPhone) != 0;
    const bool detailMissing = !sources.detail && sources.event.status == NeoStatus::Completed;
    if (!detailMissing && !sources.phoneUnknown && !rowPhoneUnknown)
        return fields;
    const std::optional<PhoneFields> kept = previousPhone(sources, country);
    return kept && ranksBetter(*kept, fields, country) ? *kept : fields;
}

Result<QJsonObject> appointmentPayload(const AppointmentSources& sources, const QTimeZone& clinicZone,
                                       const PhoneCountry& country)
{
    if (const Status valid = checkSources(sources, clinicZone); !valid)
        return propagate(valid);
    const NeoScheduleEvent& event = sources.event;
    const bool visit = isVisit(event);
    const QTime end = event.end.isValid() ? event.end.time : event.start.time;
    const PhoneFields phone = appointmentPhone(sources, country);
    const QString email = event.email.trimmed();

    QJsonObject patient{
        {QStringLiteral("id"), textOrNull(visit ? event.patientId : QString())},
        {QStringLiteral("name"), visit ? normaliseName(event.patientName) : QString()},
        {QStringLiteral("species"), textOrNull(visit ? species(sources) : QString())},
    };
    QJsonObject client{
        {QStringLiteral("id"), textOrNull(visit ? event.clientId : QString())},
        {QStringLiteral("first_name"), visit ? normaliseName(event.clientFirstName) : QString()},
        {QStringLiteral("last_name"), visit ? normaliseName(event.clientLastName) : QString()},
        {QStringLiteral("email"), textOrNull(visit ? email : QString())},
        {QStringLiteral("phone_e164"), textOrNull(phone.e164)},
        {QStringLiteral("phone_raw"), textOrNull(phone.raw)},
    };
    QJsonObject payload{
        {QStringLiteral("neo_appointment_id"), event.appointmentId},
        {QStringLiteral("neo_consultation_id"), idOrNull(event.consultationId)},
        {QStringLiteral("date"), event.start.date.toString(Qt::ISODate)},
        {QStringLiteral("start_time"), event.start.time.toString(kHm)},
        {QStringLiteral("end_time"), end.toString(kHm)},
        {QStringLiteral("timezone"), QString::fromUtf8(clinicZone.id())},
        {QStringLiteral("status"), statusName(event.status)},
        {QStringLiteral("status_raw"), event.statusRaw},
        {QStringLiteral("appointment_type"), event.appointmentType},
        {QStringLiteral("reason"), event.reason},
        {QStringLiteral("is_block"), !visit},
        {QStringLiteral("provider"),
         QJsonObject{{QStringLiteral("id"), QJsonValue(QJsonValue::Null)},
                     {QStringLiteral("name"), normaliseName(event.providerName)}}},
        {QStringLiteral("room_id"), textOrNull(event.resourceId)},
        {QStringLiteral("patient"), patient},
        {QStringLiteral("client"), client},
        {QStringLiteral("removed"), false},
    };
    if (event.notCarried != 0 && sources.previous)
        keepNotCarried(payload, *sources.previous, event.notCarried);
    return payload;
}

QJsonObject removedAppointmentPayload(QJsonObject lastStored)
{
    lastStored.insert(QStringLiteral("removed"), true);
    lastStored.insert(QStringLiteral("removed_reason"), QStringLiteral("removed_from_pims"));
    return lastStored;
}

namespace {

// Providers a page named without id or role: the previous payload's of the same name.
QJsonArray providersKeptByName(const QList<NeoProvider>& list, const QJsonObject* previous)
{
    QJsonArray out = providers(list);
    if (!previous)
        return out;
    const QJsonArray before = previous->value(QLatin1StringView("providers")).toArray();
    for (qsizetype i = 0; i < out.size(); ++i) {
        QJsonObject provider = out.at(i).toObject();
        for (const QJsonValue b : before) {
            const QJsonObject old = b.toObject();
            if (old.value(QLatin1StringView("name")) == provider.value(QLatin1StringView("name"))) {
                provider.insert(QStringLiteral("id"), old.value(QLatin1StringView("id")));
                provider.insert(QStringLiteral("role"), old.value(QLatin1StringView("role")));
                break;
            }
        }
        out[i] = provider;
    }
    return out;
}

} // namespace

Result<QJsonObject> consultationPayload(const NeoConsultation& consultation, const NeoScheduleEvent& event,
                                        const QJsonObject* previous, bool summaryUnknown)
{
    if (event.consultationId.value_or(QString()) != consultation.id)
        return fail(QString(kPayloadInputInvalid),
                    QStringLiteral("appointment %1 does not name consultation %2")
                        .arg(event.appointmentId, consultation.id));
    const QDate date = consultation.date.date.isValid() ? consultation.date.date : event.start.date;
    if (!date.isValid())
        return fail(QString(kPayloadIncomplete),
                    QStringLiteral("consultation %1 has no date").arg(consultation.id));
    // Never Neo's markup as it is: the sanitised form has the same text (html_sanitizer.h).
    const QString notesHtml = sanitizeNotesHtml(consultation.notesHtml);
    const QString notesText = htmlToText(notesHtml);
    QString summaryText = htmlToText(consultation.dischargeSummaryHtml);
    if (summaryUnknown) {
        if (!previous)
            return fail(
                QString(kPayloadFieldUnknown),
                QStringLiteral("consultation %1: its discharge summary was not sent").arg(consultation.id));
        summaryText = previous->value(QLatin1StringView("discharge_summary")).toString();
    }
    return QJsonObject{
        {QStringLiteral("neo_consultation_id"), consultation.id},
        {QStringLiteral("neo_appointment_id"), textOrNull(event.appointmentId)},
        {QStringLiteral("date"), date.toString(Qt::ISODate)},
        {QStringLiteral("status"), statusName(consultation.status)},
        {QStringLiteral("reason"), consultation.reason},
        {QStringLiteral("notes_html"), notesHtml},
        {QStringLiteral("notes_text"), notesText},
        {QStringLiteral("discharge_summary"), summaryText},
        {QStringLiteral("has_notes"), !notesText.isEmpty() || !summaryText.isEmpty()},
        {QStringLiteral("products_services"), productLines(consultation.lines, false)},
        {QStringLiteral("declined_products_services"), productLines(consultation.lines, true)},
        {QStringLiteral("providers"), consultation.providersNamesOnly
                                          ? providersKeptByName(consultation.providers, previous)
                                          : providers(consultation.providers)},
    };
}

} // namespace odis::sync
