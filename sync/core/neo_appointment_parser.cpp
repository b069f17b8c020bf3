#include "sync/core/neo_appointment_parser.h"

#include "sync/core/neo_fields.h"

#include <QJsonObject>

#include <array>
#include <utility>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr std::array kRootFields{L1("appointment")};
constexpr std::array kAppointmentFields{
    L1("id"),       L1("status"),          L1("startAtLocal"),    L1("endAtLocal"),     L1("notes"),
    L1("deleted"),  L1("block"),           L1("bookedBy"),        L1("createdAt"),      L1("patient"),
    L1("provider"), L1("appointmentType"), L1("appointmentRoom"), L1("cancelledReason")};
constexpr std::array kPatientFields{L1("id"),      L1("name"),   L1("breed"),
                                    L1("species"), L1("gender"), L1("client")};
constexpr std::array kClientFields{L1("id"),    L1("firstName"), L1("lastName"),
                                   L1("email"), L1("homePhone"), L1("mobilePhone")};
constexpr std::array kRefFields{L1("id"), L1("name")};
constexpr std::array kStatusField{L1("status")};

enum class RefForm
{
    Object,       // documented as {id, name}: anything else is drift
    ObjectOrName, // documented loosely ("{...}", or its type unknown): a bare name is fine too
};

// A nested {id, name}. Only the documented {id, name} objects are checked for unknown keys; the
// ones the documentation elides ("appointmentType{...}") may carry more.
NeoRef readRef(const NeoObjectReader& parent, L1 key, Need need, RefForm form, bool checkKeys)
{
    if (!parent.hasValue(key)) {
        if (!parent.has(key) && need == Need::Required)
            parent.log().missing(parent.fieldPath(key));
        return {};
    }
    const QJsonValue value = parent.value(key);
    if (value.isString()) {
        if (form == RefForm::Object)
            parent.log().warn(parent.fieldPath(key), QStringLiteral("string instead of object"));
        return {QString(), parent.name(key, Need::Optional)};
    }
    const std::optional<QJsonObject> object = parent.object(key, need);
    if (!object)
        return {};
    const NeoObjectReader r(*object, parent.fieldPath(key), parent.log());
    if (checkKeys)
        r.reportUnknownKeys(kRefFields);
    // An elided object ("appointmentType{...}") promises no id: the simulator's, like Neo's type
    // objects elsewhere, may carry a name and a duration only.
    const Need idNeed = form == RefForm::Object ? Need::Required : Need::Optional;
    return {r.keyText(L1("id"), idNeed), r.name(L1("name"), Need::Required)};
}

void readPatient(const NeoObjectReader& a, Need visit, NeoAppointmentDetail& out)
{
    const std::optional<QJsonObject> patient = a.object(L1("patient"), visit);
    if (!patient)
        return;
    const NeoObjectReader p(*patient, a.fieldPath(L1("patient")), a.log());
    p.reportUnknownKeys(kPatientFields);
    out.patient.id = p.id(L1("id"), Need::Required).value;
    out.patient.name = p.name(L1("name"), Need::Required);
    out.patient.breed = readRef(p, L1("breed"), Need::Required, RefForm::Object, true);
    out.patient.species = readRef(p, L1("species"), Need::Required, RefForm::Object, true);
    out.patient.gender = readRef(p, L1("gender"), Need::Required, RefForm::Object, true);

    const std::optional<QJsonObject> client = p.object(L1("client"), Need::Required);
    if (!client)
        return;
    const NeoObjectReader c(*client, p.fieldPath(L1("client")), a.log());
    c.reportUnknownKeys(kClientFields);
    out.client.id = c.id(L1("id"), Need::Required).value;
    out.client.firstName = c.name(L1("firstName"), Need::Required);
    out.client.lastName = c.name(L1("lastName"), Need::Required);
    out.client.email = c.text(L1("email"), Need::Required).trimmed();
    out.client.homePhone = c.text(L1("homePhone"), Need::Required);
    out.client.mobilePhone = c.text(L1("mobilePhone"), Need::Required);
}

} // namespace

Result<Parsed<NeoAppointmentDetail>> parseNeoAppointment(const NeoResponse& response, QStringView requestedId)
{
    const QString endpoint(neo_endpoint::kAppointment);
    const Result<QString> requested = normaliseNeoId(QJsonValue(requestedId.toString()));
    if (!requested)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the requested id is not a Neo id"));
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc)
        return std::unexpected(doc.error());
    if (!doc->isObject() || !doc->object().value(L1("appointment")).isObject())
        return fail(QString(neo_error::kUnexpectedShape),
                    endpoint + QStringLiteral(": no appointment object"));

    DriftLog log(endpoint);
    const NeoObjectReader root(doc->object(), QString(), log);
    root.reportUnknownKeys(kRootFields);
    const NeoObjectReader a(doc->object().value(L1("appointment")).toObject(), QStringLiteral("appointment"),
                            log);
    a.reportUnknownKeys(kAppointmentFields);

    NeoAppointmentDetail detail;
    const NeoId id = a.id(L1("id"), Need::Required);
    if (id.isValid() && id.value != *requested)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the answer is about another appointment than ") +
                        *requested);
    detail.id = *requested;
    detail.deleted = a.flag(L1("deleted"), Need::Required);
    detail.isBlock = a.flag(L1("block"), Need::Required);
    const Need visit = detail.isBlock ? Need::Optional : Need::Required;
    const NeoStatusField status = readStatus(a, kStatusField, visit);
    detail.statusRaw = status.raw;
    detail.status = status.status;
    detail.start = a.dateTime(L1("startAtLocal"), Need::Required);
    detail.end = a.dateTime(L1("endAtLocal"), Need::Required);
    if (detail.start.isValid() && detail.end.isValid() && detail.end.isBefore(detail.start))
        log.warn(a.fieldPath(L1("endAtLocal")), QStringLiteral("before startAtLocal"));
    detail.notesHtml = a.text(L1("notes"), Need::Required, kMaxLongText);
    detail.bookedBy = readRef(a, L1("bookedBy"), Need::Required, RefForm::ObjectOrName, false);
    detail.createdAtRaw = a.text(L1("createdAt"), Need::Required);
    readPatient(a, visit, detail);
    detail.appointmentType = readRef(a, L1("appointmentType"), visit, RefForm::ObjectOrName, false);
    detail.room = readRef(a, L1("appointmentRoom"), Need::Required, RefForm::ObjectOrName, false);
    detail.provider = readRef(a, L1("provider"), visit, RefForm::Object, true);
    detail.cancelledReason = a.text(L1("cancelledReason"), Need::Required);
    return Parsed<NeoAppointmentDetail>{std::move(detail), log.take()};
}

} // namespace odis::sync
