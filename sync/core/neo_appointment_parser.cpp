#include "sync/core/neo_appointment_parser.h"

#include "sync/core/neo_fields.h"

#include <QJsonObject>

#include <array>
#include <utility>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;

constexpr std::array kStatusField{L1("status")};

} // namespace

Result<Parsed<NeoAppointmentDetail>> parseNeoAppointment(const NeoResponse& response, QStringView requestedId,
                                                         NeoAnswerCheck* check)
{
    const QString endpoint(neo_endpoint::kAppointment);
    const Result<QString> requested = normaliseNeoId(QJsonValue(requestedId.toString()));
    if (!requested)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the requested id is not a Neo id"));
    Result<QJsonDocument> doc = decodeNeoJson(response, endpoint);
    if (!doc && doc.error().code == neo_error::kUnexpectedShape) // a JSON scalar
        return std::unexpected(
            unknownShapeError(neo_endpoint::kAppointment, QStringLiteral("a JSON scalar")));
    if (!doc)
        return propagate(doc);
    if (!doc->isObject() || !doc->object().value(L1("appointment")).isObject())
        return std::unexpected(
            unknownShapeError(neo_endpoint::kAppointment,
                              doc->isObject() ? keysText(doc->object()) : QStringLiteral("an array")));

    NeoContractCheck checker(neoShapeContract(NeoShapeId::Appointment), response.invalidUtf8);
    checker.check(doc->object());
    if (check)
        *check = checker.result();
    if (!checker.valid())
        return std::unexpected(checker.error());

    DriftLog log(endpoint);
    for (const DriftWarning& w : checker.unknownFields())
        for (int n = 0; n < w.occurrences; ++n)
            log.unknownField(w.field);
    // The contract has checked every field read below (neo_contract.h).
    const NeoObjectReader a(doc->object().value(L1("appointment")).toObject(), QStringLiteral("appointment"),
                            log);
    NeoAppointmentDetail detail;
    const NeoId id = a.id(L1("id"), Need::Optional);
    if (id.value != *requested)
        return fail(QString(neo_error::kIdMismatch),
                    endpoint + QStringLiteral(": the answer is about another appointment than ") +
                        *requested);
    if (!checker.refusals().isEmpty()) {
        const NeoItemRefusal& refusal = checker.refusals().first();
        return fail(refusal.code, endpoint + u' ' + refusal.field + QStringLiteral(": ") + refusal.detail);
    }
    detail.id = *requested;
    detail.deleted = a.flag(L1("deleted"), Need::Optional);
    detail.isBlock = a.flag(L1("block"), Need::Optional);
    const Need visit = detail.isBlock || detail.deleted ? Need::Optional : Need::Required;
    const NeoStatusField status = readStatus(a, kStatusField, visit);
    detail.statusRaw = status.raw;
    detail.status = status.status;
    detail.start = a.dateTime(L1("startAtLocal"), Need::Optional);
    const QJsonObject patient = a.value(L1("patient")).toObject();
    const NeoObjectReader c(patient.value(L1("client")).toObject(),
                            QStringLiteral("appointment.patient.client"), log);
    detail.client.homePhone = c.text(L1("homePhone"), Need::Optional);
    detail.client.mobilePhone = c.text(L1("mobilePhone"), Need::Optional);
    return Parsed<NeoAppointmentDetail>{std::move(detail), log.take()};
}

} // namespace odis::sync
