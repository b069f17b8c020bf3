#include "sync/core/personal_values.h"

namespace odis::sync {

namespace {

// A person's name as a whole and each part that is long enough to be a name on its own ("Jane Doe",
// "Jane", "Doe"): a message may hold any of them. Empty parts are skipped by the redactor.
void addName(QStringList& out, const QString& first, const QString& last)
{
    out << first << last;
    if (!first.isEmpty() && !last.isEmpty())
        out << first + QLatin1Char(' ') + last << last + QStringLiteral(", ") + first;
}

void addWholeName(QStringList& out, const QString& name)
{
    out << name;
    const QStringList parts = name.simplified().split(u' ', Qt::SkipEmptyParts);
    if (parts.size() > 1)
        out << parts;
}

QStringList cleaned(QStringList values)
{
    for (QString& value : values)
        value = value.trimmed();
    values.removeAll(QString());
    values.removeDuplicates();
    return values;
}

} // namespace

QStringList personalValues(const NeoScheduleEvent& event)
{
    QStringList out;
    addWholeName(out, event.patientName);
    addName(out, event.clientFirstName, event.clientLastName);
    addWholeName(out, event.clientNameRaw);
    addWholeName(out, event.providerName);
    out << event.email << event.phoneRaw;
    return cleaned(out);
}

QStringList personalValues(const NeoConsultation& consultation)
{
    QStringList out;
    addWholeName(out, consultation.patient.name);
    addName(out, consultation.client.firstName, consultation.client.lastName);
    addWholeName(out, consultation.client.nameRaw);
    out << consultation.client.email << consultation.client.phone;
    for (const NeoProvider& provider : consultation.providers) {
        addWholeName(out, provider.name);
        out << provider.email << provider.licenseNumber;
    }
    return cleaned(out);
}

QStringList personalValues(const NeoAppointmentDetail& detail)
{
    QStringList out;
    addWholeName(out, detail.patient.name);
    addName(out, detail.client.firstName, detail.client.lastName);
    out << detail.client.email << detail.client.homePhone << detail.client.mobilePhone;
    addWholeName(out, detail.bookedBy.name);
    addWholeName(out, detail.provider.name);
    return cleaned(out);
}

} // namespace odis::sync
