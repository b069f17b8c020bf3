// The contract table (neo_contract.h). docs/idexx-neo.md mirrors it field by field: change both.

#include "sync/core/neo_contract.h"

#include "sync/core/neo_json.h"

#include <array>

namespace odis::sync {

namespace {

using L1 = QLatin1StringView;
using enum FieldNeed;
using enum FieldFormat;
using namespace json_type;

// Maximum lengths, in UTF-16 code units. Real values are far shorter; a longer one is not Neo's data as
// we know it and refuses its item.
constexpr qsizetype kName = 200;
constexpr qsizetype kEmail = 320;
constexpr qsizetype kPhone = 64;
constexpr qsizetype kCode = 100; // statuses, CSS classes, species, roles
constexpr qsizetype kColumn = 64;
constexpr qsizetype kTitle = 500;
constexpr qsizetype kType = 200;
constexpr qsizetype kReason = 2000;
constexpr qsizetype kStamp = 40;
constexpr qsizetype kProduct = 500;
constexpr qsizetype kNumberText = 40;

constexpr quint8 kId = kNumber | kString;
constexpr quint8 kIdOrNull = kId | kNull;
constexpr quint8 kText = kString;
constexpr quint8 kTextOrNull = kString | kNull;
constexpr quint8 kFlag = kBool | kNumber | kString;

constexpr std::array kScheduleCurrent{
    NeoFieldSpec{L1("id"), Required, kId, Id},
    NeoFieldSpec{L1("appointment_id"), Required, kIdOrNull, Id},
    NeoFieldSpec{L1("consultation_id"), Required, kIdOrNull, Id},
    NeoFieldSpec{L1("start"), Required, kText, LocalDateTime, kStamp},
    NeoFieldSpec{L1("end"), Required, kText, LocalDateTime, kStamp},
    NeoFieldSpec{L1("patient_id"), VisitRequired, kIdOrNull, Id},
    NeoFieldSpec{L1("patient_name"), VisitRequired, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("client_id"), VisitRequired, kIdOrNull, Id},
    NeoFieldSpec{L1("first_name"), VisitRequired, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("last_name"), VisitRequired, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("email"), VisitRequired, kTextOrNull, Text, kEmail},
    NeoFieldSpec{L1("phone_number"), VisitRequired, kTextOrNull, Text, kPhone},
    NeoFieldSpec{L1("provider"), Required, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("resourceId"), Required, kString | kNumber, Key, kColumn},
    NeoFieldSpec{L1("title"), Required, kTextOrNull, Text, kTitle},
    NeoFieldSpec{L1("type_description"), VisitRequired, kTextOrNull, Text, kType},
    NeoFieldSpec{L1("reason"), VisitRequired, kTextOrNull, Text, kReason},
    NeoFieldSpec{L1("current_status"), VisitRequired, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("status_label"), VisitRequired, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("is_block"), Required, kFlag, Flag, kCode},
    NeoFieldSpec{L1("is_roster"), Required, kFlag, Flag, kCode},
};

constexpr std::array kScheduleOlder{
    NeoFieldSpec{L1("id"), Required, kId, Id},
    NeoFieldSpec{L1("title"), Required, kTextOrNull, Text, kTitle},
    NeoFieldSpec{L1("start"), Required, kText, LocalDateTime, kStamp},
    NeoFieldSpec{L1("end"), Required, kText, LocalDateTime, kStamp},
    NeoFieldSpec{L1("resourceId"), Required, kString | kNumber, Key, kColumn},
    NeoFieldSpec{L1("className"), Required, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("patientName"), VisitRequired, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("clientName"), VisitRequired, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("clientPhone"), VisitRequired, kTextOrNull, Text, kPhone},
    NeoFieldSpec{L1("providerName"), Required, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("appointmentType"), VisitRequired, kTextOrNull, Text, kType},
    // Read first, else the status class among className's: rows without it are documented.
    NeoFieldSpec{L1("status"), Optional, kTextOrNull, Text, kCode},
};

constexpr std::array kConsultationCurrent{
    NeoFieldSpec{L1("consultation"), Required, kObject, Any},
    NeoFieldSpec{L1("consultation.id"), Required, kId, Id},
    NeoFieldSpec{L1("consultation.reason"), Required, kTextOrNull, Text, kReason},
    NeoFieldSpec{L1("consultation.notes"), Required, kTextOrNull, Text, kMaxNotesLength},
    NeoFieldSpec{L1("consultation.dischargeSummary"), Optional, kTextOrNull, Text, kMaxNotesLength},
    NeoFieldSpec{L1("consultation.date"), Required, kTextOrNull, LocalDate, kStamp},
    NeoFieldSpec{L1("consultation.status"), Required, kText, Text, kCode},
    NeoFieldSpec{L1("patient"), Required, kObject, Any},
    NeoFieldSpec{L1("patient.id"), Optional, kIdOrNull, Id},
    NeoFieldSpec{L1("patient.name"), Ignored},
    NeoFieldSpec{L1("patient.species"), Required, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("patient.breed"), Ignored},
    NeoFieldSpec{L1("client"), Required, kObject, Any},
    NeoFieldSpec{L1("client.id"), Ignored},
    NeoFieldSpec{L1("client.firstName"), Ignored},
    NeoFieldSpec{L1("client.lastName"), Ignored},
    NeoFieldSpec{L1("client.phone"), Optional, kTextOrNull, Text, kPhone},
    NeoFieldSpec{L1("client.email"), Ignored},
    NeoFieldSpec{L1("pageData"), Required, kObject, Any},
    NeoFieldSpec{L1("pageData.providers"), Required, kArray, Any},
    NeoFieldSpec{L1("pageData.providers[].id"), Required, kIdOrNull, Id},
    NeoFieldSpec{L1("pageData.providers[].name"), Required, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("pageData.providers[].email"), Ignored},
    NeoFieldSpec{L1("pageData.providers[].licenseNumber"), Ignored},
    NeoFieldSpec{L1("pageData.providers[].userType"), Required, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("pageData.providers[].companyId"), Ignored},
    NeoFieldSpec{L1("clientBranch"), Ignored},
    NeoFieldSpec{L1("consultationNotes"), Optional, kObject | kNull, Any},
    NeoFieldSpec{L1("consultationNotes.notes"), Required, kTextOrNull, Text, kMaxNotesLength},
    NeoFieldSpec{L1("consultationLines"), Required, kArray, Any},
    NeoFieldSpec{L1("consultationLines[].id"), Ignored},
    NeoFieldSpec{L1("consultationLines[].productService"), Required, kText, Text, kProduct},
    NeoFieldSpec{L1("consultationLines[].quantity"), Required, kNumber | kString, Quantity, kNumberText},
    NeoFieldSpec{L1("consultationLines[].isDeclined"), Required, kFlag, Flag, kCode},
};

constexpr std::array kConsultationOlder{
    NeoFieldSpec{L1("pageData"), Required, kObject, Any},
    NeoFieldSpec{L1("pageData.providers"), Required, kArray, Any},
    NeoFieldSpec{L1("pageData.providers[].id"), Required, kIdOrNull, Id},
    NeoFieldSpec{L1("pageData.providers[].name"), Required, kTextOrNull, Text, kName},
    NeoFieldSpec{L1("pageData.providers[].email"), Ignored},
    NeoFieldSpec{L1("pageData.providers[].licenseNumber"), Ignored},
    NeoFieldSpec{L1("pageData.providers[].userType"), Required, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("pageData.providers[].companyId"), Ignored},
    NeoFieldSpec{L1("pageData.patient"), Required, kObject, Any},
    NeoFieldSpec{L1("pageData.patient.id"), Optional, kIdOrNull, Id},
    NeoFieldSpec{L1("pageData.patient.name"), Ignored},
    NeoFieldSpec{L1("pageData.patient.species"), Required, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("pageData.patient.breed"), Ignored},
    NeoFieldSpec{L1("pageData.patient.dateOfBirth"), Ignored},
    NeoFieldSpec{L1("pageData.patient.sex"), Ignored},
    NeoFieldSpec{L1("pageData.patient.weight"), Ignored},
    NeoFieldSpec{L1("pageData.client"), Required, kObject, Any},
    NeoFieldSpec{L1("pageData.client.id"), Ignored},
    NeoFieldSpec{L1("pageData.client.name"), Ignored},
    NeoFieldSpec{L1("pageData.client.phone"), Required, kTextOrNull, Text, kPhone},
    NeoFieldSpec{L1("pageData.client.email"), Ignored},
    NeoFieldSpec{L1("pageData.client.address"), Ignored},
    NeoFieldSpec{L1("pageData.consultation"), Required, kObject, Any},
    NeoFieldSpec{L1("pageData.consultation.id"), Required, kId, Id},
    NeoFieldSpec{L1("pageData.consultation.consultationId"), Required, kIdOrNull, Id},
    NeoFieldSpec{L1("pageData.consultation.reason"), Required, kTextOrNull, Text, kReason},
    NeoFieldSpec{L1("pageData.consultation.notes"), Required, kTextOrNull, Text, kMaxNotesLength},
    NeoFieldSpec{L1("pageData.consultation.dischargeSummary"), Required, kTextOrNull, Text, kMaxNotesLength},
    NeoFieldSpec{L1("pageData.consultation.date"), Required, kTextOrNull, LocalDate, kStamp},
    NeoFieldSpec{L1("pageData.consultation.status"), Required, kText, Text, kCode},
    NeoFieldSpec{L1("pageData.clinic"), Ignored},
};

constexpr std::array kAppointment{
    NeoFieldSpec{L1("appointment"), Required, kObject, Any},
    NeoFieldSpec{L1("appointment.id"), Required, kId, Id},
    NeoFieldSpec{L1("appointment.status"), VisitRequired, kTextOrNull, Text, kCode},
    NeoFieldSpec{L1("appointment.startAtLocal"), Required, kText, LocalDateTime, kStamp},
    NeoFieldSpec{L1("appointment.endAtLocal"), Ignored},
    NeoFieldSpec{L1("appointment.notes"), Ignored},
    NeoFieldSpec{L1("appointment.deleted"), Required, kFlag, Flag, kCode},
    NeoFieldSpec{L1("appointment.block"), Required, kFlag, Flag, kCode},
    NeoFieldSpec{L1("appointment.bookedBy"), Ignored},
    NeoFieldSpec{L1("appointment.createdAt"), Ignored},
    NeoFieldSpec{L1("appointment.patient"), VisitRequired, kObject | kNull, Any},
    NeoFieldSpec{L1("appointment.patient.id"), Ignored},
    NeoFieldSpec{L1("appointment.patient.name"), Ignored},
    NeoFieldSpec{L1("appointment.patient.breed"), Ignored},
    NeoFieldSpec{L1("appointment.patient.species"), Ignored},
    NeoFieldSpec{L1("appointment.patient.gender"), Ignored},
    NeoFieldSpec{L1("appointment.patient.client"), Required, kObject | kNull, Any},
    NeoFieldSpec{L1("appointment.patient.client.id"), Ignored},
    NeoFieldSpec{L1("appointment.patient.client.firstName"), Ignored},
    NeoFieldSpec{L1("appointment.patient.client.lastName"), Ignored},
    NeoFieldSpec{L1("appointment.patient.client.email"), Ignored},
    NeoFieldSpec{L1("appointment.patient.client.homePhone"), Required, kTextOrNull, Text, kPhone},
    NeoFieldSpec{L1("appointment.patient.client.mobilePhone"), Required, kTextOrNull, Text, kPhone},
    NeoFieldSpec{L1("appointment.appointmentType"), Ignored},
    NeoFieldSpec{L1("appointment.appointmentRoom"), Ignored},
    NeoFieldSpec{L1("appointment.provider"), Ignored},
    NeoFieldSpec{L1("appointment.cancelledReason"), Ignored},
};

const std::array kContract{
    NeoShapeContract{NeoShapeId::ScheduleCurrent, neo_endpoint::kSchedule, L1("current"), true,
                     VisitRule::ScheduleFlags, kScheduleCurrent},
    NeoShapeContract{NeoShapeId::ScheduleOlder, neo_endpoint::kSchedule, L1("older"), true,
                     VisitRule::ScheduleClassName, kScheduleOlder},
    NeoShapeContract{NeoShapeId::ConsultationCurrent, neo_endpoint::kConsultation, L1("current"), false,
                     VisitRule::Always, kConsultationCurrent},
    NeoShapeContract{NeoShapeId::ConsultationOlder, neo_endpoint::kConsultation, L1("older"), false,
                     VisitRule::Always, kConsultationOlder},
    NeoShapeContract{NeoShapeId::Appointment, neo_endpoint::kAppointment, L1("current"), false,
                     VisitRule::AppointmentFlags, kAppointment},
};

} // namespace

const NeoFieldSpec* NeoShapeContract::field(QStringView path) const
{
    for (const NeoFieldSpec& spec : fields) {
        if (spec.path == path)
            return &spec;
    }
    return nullptr;
}

std::span<const NeoShapeContract> neoContract()
{
    return kContract;
}

const NeoShapeContract& neoShapeContract(NeoShapeId id)
{
    for (const NeoShapeContract& contract : kContract) {
        if (contract.id == id)
            return contract;
    }
    Q_UNREACHABLE();
    return kContract.front();
}

QString shapeLabel(const NeoShapeContract& contract)
{
    return QString(contract.endpoint) + u' ' + QString(contract.shape);
}

QString jsonTypesText(quint8 types)
{
    QStringList names;
    if (types & kString)
        names << QStringLiteral("string");
    if (types & kNumber)
        names << QStringLiteral("number");
    if (types & kBool)
        names << QStringLiteral("boolean");
    if (types & kObject)
        names << QStringLiteral("object");
    if (types & kArray)
        names << QStringLiteral("array");
    if (types & kNull)
        names << QStringLiteral("null");
    return names.join(QStringLiteral(" or "));
}

} // namespace odis::sync
