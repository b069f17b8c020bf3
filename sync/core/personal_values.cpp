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

// What the agent reads of a consultation and of an appointment (sync/core/neo_contract.cpp) holds fewer
// personal values than the schedule: the owner's phone and the staff's names.
QStringList personalValues(const NeoConsultation& consultation)
{
    QStringList out;
    out << consultation.client.phone;
    for (const NeoProvider& provider : consultation.providers)
        addWholeName(out, provider.name);
    return cleaned(out);
}

QStringList personalValues(const NeoAppointmentDetail& detail)
{
    QStringList out;
    out << detail.client.homePhone << detail.client.mobilePhone;
    return cleaned(out);
}

} // namespace odis::sync
