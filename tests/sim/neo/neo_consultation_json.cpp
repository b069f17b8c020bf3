#include "tests/sim/neo/neo_consultation_json.h"

#include "tests/sim/neo/neo_schedule_json.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace odis::sim::neo {

namespace {

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QString visitStamp(const SimAppointment& a)
{
    return QDateTime(a.date, a.start, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QJsonArray providerRows(const SimAppointment& a, const NeoClinicInfo& clinic)
{
    if (a.provider.id == 0 && a.provider.name.isEmpty()) {
        return {};
    }
    return QJsonArray{QJsonObject{
        {QStringLiteral("id"), a.provider.id},
        {QStringLiteral("name"), a.provider.name},
        {QStringLiteral("email"), textOrNull(a.provider.email)},
        {QStringLiteral("licenseNumber"), textOrNull(a.provider.licenseNumber)},
        {QStringLiteral("userType"), a.provider.userType},
        {QStringLiteral("companyId"), textOrNull(clinic.companyId)},
    }};
}

QJsonArray lineRows(const SimAppointment& a)
{
    QJsonArray lines;
    for (const SimProductLine& line : a.lines) {
        lines.append(QJsonObject{
            {QStringLiteral("id"), line.id},
            {QStringLiteral("productService"), line.productService},
            {QStringLiteral("quantity"), line.quantity},
            {QStringLiteral("isDeclined"), line.isDeclined},
        });
    }
    return lines;
}

bool summaryInNotesObject(const SimAppointment& a, SummaryPlacement placement)
{
    switch (placement) {
    case SummaryPlacement::DischargeSummary:
        return false;
    case SummaryPlacement::ConsultationNotes:
        return true;
    case SummaryPlacement::Mixed:
        return a.consultationId.value_or(0) % 2 != 0;
    }
    return false;
}

} // namespace

QString olderConsultationStatus(const QString& rawStatus)
{
    const QString s = rawStatus.trimmed().toLower();
    if (s == QLatin1String("finalized") || s == QLatin1String("ready to pay") ||
        s == QLatin1String("discharged") || s == QLatin1String("completed")) {
        return QStringLiteral("completed");
    }
    if (s == QLatin1String("cancelled") || s == QLatin1String("canceled") || s == QLatin1String("no show")) {
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("in_progress");
}

QJsonObject currentConsultation(const SimAppointment& a, SummaryPlacement placement,
                                const NeoClinicInfo& clinic)
{
    QJsonObject consultation{
        {QStringLiteral("id"), a.consultationId.value_or(0)},
        {QStringLiteral("reason"), a.reason},
        {QStringLiteral("notes"), a.notesHtml},
        {QStringLiteral("date"), visitStamp(a)},
        {QStringLiteral("status"), a.status},
    };
    QJsonObject client{
        {QStringLiteral("id"), a.client.id},
        {QStringLiteral("firstName"), a.client.firstName},
        {QStringLiteral("lastName"), a.client.lastName},
    };
    // Optional fields are left out, not nulled, when Neo has nothing: that is what "optional" means here.
    if (const QString phone = a.schedulePhone().raw; !phone.isEmpty()) {
        client.insert(QStringLiteral("phone"), phone);
    }
    if (!a.client.email.isEmpty()) {
        client.insert(QStringLiteral("email"), a.client.email);
    }
    QJsonObject page{
        {QStringLiteral("consultation"), consultation},
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), a.patient.id},
                                                {QStringLiteral("name"), a.patient.name},
                                                {QStringLiteral("species"), a.patient.species},
                                                {QStringLiteral("breed"), a.patient.breed}}},
        {QStringLiteral("client"), client},
        {QStringLiteral("pageData"), QJsonObject{{QStringLiteral("providers"), providerRows(a, clinic)}}},
        {QStringLiteral("clientBranch"),
         QJsonObject{{QStringLiteral("id"), clinic.id}, {QStringLiteral("name"), clinic.name}}},
        {QStringLiteral("consultationLines"), lineRows(a)},
    };
    if (!a.dischargeSummary.isEmpty()) {
        if (summaryInNotesObject(a, placement)) {
            page.insert(QStringLiteral("consultationNotes"),
                        QJsonObject{{QStringLiteral("notes"), a.dischargeSummary}});
        } else {
            consultation.insert(QStringLiteral("dischargeSummary"), a.dischargeSummary);
            page.insert(QStringLiteral("consultation"), consultation);
        }
    }
    return page;
}

QJsonObject olderConsultation(const SimAppointment& a, const NeoClinicInfo& clinic)
{
    const QString phone = a.schedulePhone().raw;
    const QJsonObject pageData{
        {QStringLiteral("providers"), providerRows(a, clinic)},
        {QStringLiteral("patient"), QJsonObject{{QStringLiteral("id"), a.patient.id},
                                                {QStringLiteral("name"), a.patient.name},
                                                {QStringLiteral("species"), a.patient.species},
                                                {QStringLiteral("breed"), a.patient.breed},
                                                {QStringLiteral("dateOfBirth"), QJsonValue()},
                                                {QStringLiteral("sex"), QJsonValue()},
                                                {QStringLiteral("weight"), QJsonValue()}}},
        {QStringLiteral("client"),
         QJsonObject{
             {QStringLiteral("id"), a.client.id},
             {QStringLiteral("name"), QString(a.client.firstName + QLatin1Char(' ') + a.client.lastName)},
             {QStringLiteral("phone"), textOrNull(phone)},
             {QStringLiteral("email"), textOrNull(a.client.email)},
             {QStringLiteral("address"), QJsonValue()}}},
        {QStringLiteral("consultation"),
         QJsonObject{{QStringLiteral("id"), a.appointmentId},
                     {QStringLiteral("consultationId"), a.consultationId.value_or(0)},
                     {QStringLiteral("reason"), a.reason},
                     {QStringLiteral("notes"), a.notesHtml},
                     {QStringLiteral("dischargeSummary"), textOrNull(a.dischargeSummary)},
                     {QStringLiteral("date"), visitStamp(a)},
                     {QStringLiteral("status"), olderConsultationStatus(a.status)}}},
        {QStringLiteral("clinic"), QJsonObject{{QStringLiteral("id"), clinic.id},
                                               {QStringLiteral("name"), clinic.name},
                                               {QStringLiteral("phone"), QJsonValue()},
                                               {QStringLiteral("email"), QJsonValue()},
                                               {QStringLiteral("companyId"), textOrNull(clinic.companyId)}}},
    };
    return QJsonObject{{QStringLiteral("pageData"), pageData}};
}

QByteArray renderConsultation(const SimAppointment& a, ConsultationShape shape, SummaryPlacement placement,
                              const NeoClinicInfo& clinic)
{
    const QJsonObject body = shape == ConsultationShape::Current ? currentConsultation(a, placement, clinic)
                                                                 : olderConsultation(a, clinic);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace odis::sim::neo
