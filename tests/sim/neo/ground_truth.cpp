#include "tests/sim/neo/ground_truth.h"

#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/sim_call_time.h"
#include "tests/sim/neo/sim_discharge.h"
#include "tests/sim/neo/sim_rules.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <map>
#include <tuple>

namespace odis::sim::neo {

namespace {

constexpr qint64 kRereadAfterSecs = 60 * 60;

struct KnownAppointment
{
    SimAppointment seen; // the latest observation
    bool removed = false;
};

struct CallState
{
    QString decision;
    QString reason;
    std::optional<QDateTime> scheduledUtc;
    std::optional<qint64> consultationId;
    std::optional<QString> phone;
};

struct NewCall
{
    QDateTime proposed;
    QDateTime visitEnd;
    qint64 appointmentId = 0;
    std::optional<qint64> consultationId;
    std::optional<QString> phone;
};

QJsonValue idValue(qint64 id)
{
    return id != 0 ? QJsonValue(QString::number(id)) : QJsonValue();
}

QJsonValue idValue(const std::optional<qint64>& id)
{
    return id ? idValue(*id) : QJsonValue();
}

QJsonValue textOrNull(const std::optional<QString>& text)
{
    return text ? QJsonValue(*text) : QJsonValue();
}

QJsonArray productLines(const QList<SimProductLine>& lines, bool declined)
{
    QJsonArray out;
    for (const SimProductLine& line : lines) {
        if (line.isDeclined == declined)
            out.append(QJsonObject{{QStringLiteral("name"), line.productService},
                                   {QStringLiteral("quantity"), line.quantity}});
    }
    return out;
}

// What the schedule row shows; a change in any of it makes the agent read the consultation again.
QString rowFingerprint(const SimAppointment& a)
{
    const QChar sep(0x1F);
    return QStringList{QString::number(a.calendarEventId),
                       QString::number(a.appointmentId),
                       QString::number(a.consultationId.value_or(0)),
                       a.date.toString(Qt::ISODate),
                       a.start.toString(Qt::ISODate),
                       a.end.toString(Qt::ISODate),
                       a.resourceId,
                       a.typeDescription,
                       a.reason,
                       a.status,
                       QString::number(a.isBlock),
                       QString::number(a.isRoster),
                       a.blockText,
                       QString::number(a.patient.id),
                       a.patient.name,
                       QString::number(a.client.id),
                       a.client.firstName,
                       a.client.lastName,
                       a.client.email,
                       a.schedulePhone().raw,
                       a.provider.name}
        .join(sep);
}

class PerfectAgent
{
public:
    PerfectAgent(const ClinicModel& model, const SimClinicProfile& profile)
        : m_model(model)
        , m_profile(profile)
        , m_planner(profile)
    {}

    void syncAt(const QDateTime& now)
    {
        const QDate first = utcToLocal(now.addDays(-m_profile.sync.reconcileDays), m_profile.zone).date();
        const QDate last = utcToLocal(now.addDays(m_profile.sync.lookaheadDays), m_profile.zone).date();
        const auto inWindow = [&](QDate d) { return d >= first && d <= last; };

        QList<SimAppointment> visible;
        QSet<qint64> visibleIds;
        for (const SimAppointment& a : m_model.snapshotAt(now)) {
            if (!inWindow(a.date))
                continue;
            visible.append(a);
            visibleIds.insert(a.appointmentId);
            m_known[a.appointmentId] = KnownAppointment{a, false};
        }
        QList<qint64> removedNow;
        for (auto& [id, known] : m_known) {
            if (!visibleIds.contains(id) && inWindow(known.seen.date)) {
                known.removed = true;
                removedNow.append(id);
            }
        }
        for (const SimAppointment& a : std::as_const(visible))
            readConsultationIfDue(a, now);

        QList<NewCall> newCalls;
        for (const SimAppointment& a : std::as_const(visible))
            decide(a, now, newCalls);
        for (const qint64 id : std::as_const(removedNow)) {
            const auto it = m_calls.find(id);
            if (it != m_calls.end() && isPendingPlanned(it->second, now))
                cancel(it->second, QStringLiteral("cancelled:removed"));
        }
        placeNewCalls(newCalls, now);
    }

    QJsonObject result(const QList<QDateTime>& syncTimes) const
    {
        QJsonArray times, appointments, consultations, calls;
        for (const QDateTime& t : syncTimes)
            times.append(isoUtc(t));
        for (const auto& [id, known] : m_known)
            appointments.append(appointmentJson(known));
        for (const auto& [id, read] : m_reads)
            consultations.append(consultationJson(read));
        for (const auto& [id, call] : m_calls)
            calls.append(callJson(id, call));
        return QJsonObject{{QStringLiteral("sync_times"), times},
                           {QStringLiteral("appointments"), appointments},
                           {QStringLiteral("consultations"), consultations},
                           {QStringLiteral("discharge_calls"), calls}};
    }

private:
    QDateTime visitEnd(const SimAppointment& a) const { return localToUtc(a.date, a.end, m_profile.zone); }

    const ReadConsultation* readOf(const SimAppointment& a) const
    {
        if (!a.consultationId)
            return nullptr;
        const auto it = m_reads.find(*a.consultationId);
        return it == m_reads.end() ? nullptr : &it->second;
    }

    static bool isPendingPlanned(const CallState& call, const QDateTime& now)
    {
        return call.decision == QLatin1String("planned") && call.scheduledUtc && *call.scheduledUtc > now;
    }

    static void cancel(CallState& call, const QString& reason)
    {
        call.decision = QStringLiteral("cancelled");
        call.reason = reason;
        call.scheduledUtc.reset();
    }

    void readConsultationIfDue(const SimAppointment& a, const QDateTime& now)
    {
        if (a.isBlock || a.isRoster || !a.consultationId ||
            normalizeStatus(a.status) != QLatin1String("completed"))
            return;
        const QString fingerprint = rowFingerprint(a);
        const auto it = m_reads.find(*a.consultationId);
        const bool due =
            it == m_reads.end() || it->second.rowFingerprintAtRead != fingerprint ||
            (visitEnd(a).secsTo(now) < static_cast<qint64>(m_profile.sync.lookbackHours) * 3600 &&
             it->second.lastReadUtc.secsTo(now) > kRereadAfterSecs);
        if (!due)
            return;
        const auto page = m_model.consultationAt(*a.consultationId, now);
        if (!page)
            return;
        const ReadConsultation* previous = it == m_reads.end() ? nullptr : &it->second;
        m_reads[*a.consultationId] = readConsultation(*page, now, fingerprint, m_profile, previous);
    }

    void decide(const SimAppointment& a, const QDateTime& now, QList<NewCall>& newCalls)
    {
        const ReadConsultation* consultation = readOf(a);
        const std::optional<QString> phone = choosePhone(a, consultation).e164;
        const auto existing = m_calls.find(a.appointmentId);
        if (existing != m_calls.end()) {
            CallState& call = existing->second;
            // One call per appointment, ever: a cancelled call stays cancelled, a passed one is final.
            if (call.decision == QLatin1String("cancelled"))
                return;
            if (call.decision == QLatin1String("planned")) {
                if (!isPendingPlanned(call, now))
                    return;
                call.consultationId = a.consultationId;
                call.phone = phone;
                if (const auto reason = cancellationReason(a, consultation, phone, false, m_profile))
                    cancel(call, *reason);
                return;
            }
        }
        const QDateTime end = visitEnd(a);
        const DischargeDecision d = decideDischarge(a, consultation, phone, end, now, m_profile);
        if (d.decision == QLatin1String("planned")) {
            newCalls.append({m_planner.propose(a.date, now), end, a.appointmentId, a.consultationId, phone});
            return;
        }
        m_calls[a.appointmentId] = CallState{d.decision, d.reason, std::nullopt, a.consultationId, phone};
    }

    void placeNewCalls(QList<NewCall>& newCalls, const QDateTime& now)
    {
        std::sort(newCalls.begin(), newCalls.end(), [](const NewCall& x, const NewCall& y) {
            return std::tie(x.proposed, x.visitEnd, x.appointmentId) <
                   std::tie(y.proposed, y.visitEnd, y.appointmentId);
        });
        QList<QDateTime> held;
        for (const auto& [id, call] : m_calls) {
            if (isPendingPlanned(call, now))
                held.append(*call.scheduledUtc);
        }
        for (const NewCall& c : std::as_const(newCalls)) {
            const QDateTime time = m_planner.stagger(c.proposed, held);
            held.append(time);
            m_calls[c.appointmentId] = CallState{QStringLiteral("planned"), QStringLiteral("planned"), time,
                                                 c.consultationId, c.phone};
        }
    }

    QJsonObject appointmentJson(const KnownAppointment& known) const
    {
        const SimAppointment& a = known.seen;
        const bool visit = !a.isBlock && !a.isRoster;
        const PhoneChoice phone = visit ? choosePhone(a, readOf(a)) : PhoneChoice{};
        const QJsonObject patient{
            {QStringLiteral("id"), idValue(visit ? a.patient.id : 0)},
            {QStringLiteral("name"), visit ? normalizeName(a.patient.name) : QString()}};
        const QJsonObject client{
            {QStringLiteral("id"), idValue(visit ? a.client.id : 0)},
            {QStringLiteral("first_name"), visit ? normalizeName(a.client.firstName) : QString()},
            {QStringLiteral("last_name"), visit ? normalizeName(a.client.lastName) : QString()},
            {QStringLiteral("email"), visit && !a.client.email.trimmed().isEmpty()
                                          ? QJsonValue(a.client.email.trimmed())
                                          : QJsonValue()},
            {QStringLiteral("phone_e164"), textOrNull(phone.e164)},
            {QStringLiteral("phone_raw"), textOrNull(phone.raw)}};
        return QJsonObject{{QStringLiteral("neo_appointment_id"), idValue(a.appointmentId)},
                           {QStringLiteral("neo_consultation_id"), idValue(a.consultationId)},
                           {QStringLiteral("date"), a.date.toString(Qt::ISODate)},
                           {QStringLiteral("start_time"), a.start.toString(QStringLiteral("HH:mm"))},
                           {QStringLiteral("end_time"), a.end.toString(QStringLiteral("HH:mm"))},
                           {QStringLiteral("status"), normalizeStatus(a.status)},
                           {QStringLiteral("status_raw"), a.status},
                           {QStringLiteral("appointment_type"), a.typeDescription},
                           {QStringLiteral("reason"), a.reason},
                           {QStringLiteral("is_block"), a.isBlock || a.isRoster},
                           {QStringLiteral("room_id"), a.resourceId},
                           {QStringLiteral("patient"), patient},
                           {QStringLiteral("client"), client},
                           {QStringLiteral("removed"), known.removed}};
    }

    static QJsonObject consultationJson(const ReadConsultation& c)
    {
        return QJsonObject{{QStringLiteral("neo_consultation_id"), idValue(c.consultationId)},
                           {QStringLiteral("neo_appointment_id"), idValue(c.appointmentId)},
                           {QStringLiteral("has_notes"), c.hasNotes()},
                           {QStringLiteral("notes_text"), c.notesText},
                           {QStringLiteral("discharge_summary"), c.summaryText},
                           {QStringLiteral("products_services"), productLines(c.lines, false)},
                           {QStringLiteral("declined_products_services"), productLines(c.lines, true)}};
    }

    QJsonObject callJson(qint64 appointmentId, const CallState& call) const
    {
        return QJsonObject{{QStringLiteral("neo_appointment_id"), idValue(appointmentId)},
                           {QStringLiteral("neo_consultation_id"), idValue(call.consultationId)},
                           {QStringLiteral("decision"), call.decision},
                           {QStringLiteral("reason"), call.reason},
                           {QStringLiteral("scheduled_for"),
                            call.scheduledUtc ? QJsonValue(isoUtc(*call.scheduledUtc)) : QJsonValue()},
                           {QStringLiteral("scheduled_for_local"),
                            call.scheduledUtc
                                ? QJsonValue(isoLocalWithOffset(*call.scheduledUtc, m_profile.zone))
                                : QJsonValue()},
                           {QStringLiteral("customer_phone"), textOrNull(call.phone)}};
    }

    const ClinicModel& m_model;
    const SimClinicProfile& m_profile;
    CallTimePlanner m_planner;
    std::map<qint64, KnownAppointment> m_known;
    std::map<qint64, ReadConsultation> m_reads;
    std::map<qint64, CallState> m_calls;
};

} // namespace

Result<QJsonObject> computeGroundTruth(const ClinicModel& model, const QJsonObject& clinicProfile,
                                       const QList<QDateTime>& syncTimesUtc)
{
    const auto profile = parseClinicProfile(clinicProfile);
    if (!profile)
        return std::unexpected(profile.error());
    if (profile->zone.id() != model.options().zone.id())
        return fail(QStringLiteral("clinic_zone_mismatch"),
                    QStringLiteral("the profile's timezone is not the simulated clinic's"));
    QList<QDateTime> times;
    for (const QDateTime& t : syncTimesUtc)
        times.append(t.toUTC());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());

    PerfectAgent agent(model, *profile);
    for (const QDateTime& t : std::as_const(times))
        agent.syncAt(t);
    return agent.result(times);
}

} // namespace odis::sim::neo
