#include "tests/sim/neo/clinic_model.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace odis::sim::neo {

SimPhone SimPhone::valid(QString raw, QString e164, SimPhoneKind kind, bool international)
{
    return SimPhone{std::move(raw), std::move(e164), kind, international};
}

SimPhone SimPhone::invalid(QString raw)
{
    return SimPhone{std::move(raw), QString(), SimPhoneKind::MobileOrFixed, false};
}

int SimPhone::preference() const
{
    return (international ? 2 : 0) + (kind == SimPhoneKind::FixedLine ? 1 : 0);
}

SimPhone SimAppointment::schedulePhone() const
{
    if (schedulePhoneHidden)
        return {};
    return client.mobilePhone.isEmpty() ? client.homePhone : client.mobilePhone;
}

void SimChange::applyTo(SimAppointment& appointment) const
{
    if (status)
        appointment.status = *status;
    if (consultationId)
        appointment.consultationId = *consultationId;
    if (notesHtml)
        appointment.notesHtml = *notesHtml;
    if (dischargeSummary)
        appointment.dischargeSummary = *dischargeSummary;
    if (lines)
        appointment.lines = *lines;
    if (cancelledReason)
        appointment.cancelledReason = *cancelledReason;
    if (date)
        appointment.date = *date;
    if (start)
        appointment.start = *start;
    if (end)
        appointment.end = *end;
    if (typeDescription)
        appointment.typeDescription = *typeDescription;
    if (reason)
        appointment.reason = *reason;
    if (client)
        appointment.client = *client;
    if (schedulePhoneHidden)
        appointment.schedulePhoneHidden = *schedulePhoneHidden;
    if (deleted)
        appointment.deleted = true;
}

ClinicModel::ClinicModel(ClinicOptions options)
    : m_options(std::move(options))
{}

void ClinicModel::addProvider(const SimProvider& provider)
{
    m_providers.append(provider);
}

void ClinicModel::addColumn(const QString& id, const QString& name)
{
    m_columns.append({id, name});
}

void ClinicModel::setCredentials(const QString& companyId, const QString& username, const QString& password)
{
    m_companyId = companyId;
    m_username = username;
    m_password = password;
}

void ClinicModel::addAppointment(const SimAppointment& initial)
{
    if (const auto it = m_indexById.constFind(initial.appointmentId); it != m_indexById.cend()) {
        Record& record = m_records[*it];
        for (const SimChange& change : std::as_const(record.changes)) {
            if (change.consultationId)
                m_appointmentByConsultation.remove(*change.consultationId);
        }
        record = Record{initial, {}};
    } else {
        m_indexById.insert(initial.appointmentId, m_records.size());
        m_records.append(Record{initial, {}});
    }
    if (initial.consultationId)
        m_appointmentByConsultation.insert(*initial.consultationId, initial.appointmentId);
}

bool ClinicModel::addChange(qint64 appointmentId, const SimChange& change)
{
    const auto it = m_indexById.constFind(appointmentId);
    if (it == m_indexById.cend())
        return false;
    QList<SimChange>& changes = m_records[*it].changes;
    // Insert after every change at the same instant, so that changes made at one time apply in the order
    // they were added.
    const auto pos = std::upper_bound(changes.begin(), changes.end(), change.atUtc,
                                      [](const QDateTime& at, const SimChange& c) { return at < c.atUtc; });
    changes.insert(pos, change);
    if (change.consultationId)
        m_appointmentByConsultation.insert(*change.consultationId, appointmentId);
    return true;
}

std::optional<SimAppointment> ClinicModel::stateAt(const Record& record, const QDateTime& nowUtc) const
{
    if (record.initial.bookedUtc.isValid() && record.initial.bookedUtc > nowUtc)
        return std::nullopt;
    SimAppointment state = record.initial;
    for (const SimChange& change : record.changes) {
        if (change.atUtc > nowUtc)
            break;
        change.applyTo(state);
    }
    if (state.deleted)
        return std::nullopt;
    return state;
}

QList<SimAppointment> ClinicModel::snapshotAt(const QDateTime& nowUtc) const
{
    QList<SimAppointment> out;
    out.reserve(m_records.size());
    for (const Record& record : m_records) {
        if (auto state = stateAt(record, nowUtc))
            out.append(std::move(*state));
    }
    std::sort(out.begin(), out.end(), [](const SimAppointment& a, const SimAppointment& b) {
        return std::tie(a.date, a.start, a.resourceId, a.appointmentId) <
               std::tie(b.date, b.start, b.resourceId, b.appointmentId);
    });
    return out;
}

std::optional<SimAppointment> ClinicModel::appointmentAt(qint64 appointmentId, const QDateTime& nowUtc) const
{
    const auto it = m_indexById.constFind(appointmentId);
    if (it == m_indexById.cend())
        return std::nullopt;
    return stateAt(m_records.at(*it), nowUtc);
}

std::optional<SimAppointment> ClinicModel::consultationAt(qint64 consultationId,
                                                          const QDateTime& nowUtc) const
{
    const auto it = m_appointmentByConsultation.constFind(consultationId);
    if (it == m_appointmentByConsultation.cend())
        return std::nullopt;
    auto state = appointmentAt(*it, nowUtc);
    if (!state || state->consultationId != consultationId)
        return std::nullopt;
    return state;
}

QList<qint64> ClinicModel::appointmentIds() const
{
    QList<qint64> ids;
    ids.reserve(m_records.size());
    for (const Record& record : m_records)
        ids.append(record.initial.appointmentId);
    return ids;
}

std::optional<SimAppointment> ClinicModel::initialState(qint64 appointmentId) const
{
    const auto it = m_indexById.constFind(appointmentId);
    if (it == m_indexById.cend())
        return std::nullopt;
    return m_records.at(*it).initial;
}

QList<SimChange> ClinicModel::changesOf(qint64 appointmentId) const
{
    const auto it = m_indexById.constFind(appointmentId);
    if (it == m_indexById.cend())
        return {};
    return m_records.at(*it).changes;
}

QList<QDateTime> ClinicModel::changeTimes() const
{
    QList<QDateTime> times;
    for (const Record& record : m_records) {
        if (record.initial.bookedUtc.isValid())
            times.append(record.initial.bookedUtc);
        for (const SimChange& change : record.changes)
            times.append(change.atUtc);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

} // namespace odis::sim::neo
