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
    std::optional<QDateTime> scheduledUtc; // planned and grouped calls
    std::optional<qint64> consultationId;
    std::optional<QString> phone;
    std::optional<qint64> groupedInto; // a grouped call's carrier
    QList<qint64> group;               // a carrier's appointments, its own included (two or more)
};

// A call to place in this sync: a new one, a live one placed again, or a removed one planned again.
struct NewCall
{
    QDateTime proposed;
    QDateTime visitEnd;
    qint64 appointmentId = 0;
    std::optional<qint64> consultationId;
    std::optional<QString> phone;
    enum class IfTooLate
    {
        Exclude, // excluded:too_old
        Cancel,  // cancelled:too_old (it was a live call)
        Keep,    // stays as it was (cancelled:removed)
    } ifTooLate = IfTooLate::Exclude;
};

// A live call of this sync before grouping.
struct LiveCall
{
    qint64 appointmentId = 0;
    QDateTime time;
    QDateTime visitEnd;
    bool plannedBefore = false; // a planned call of an earlier sync, kept at its time
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

    // `only` set: of the consultations due, only these are read.
    void syncAt(const QDateTime& now, bool readConsultations, const std::optional<QSet<qint64>>& only)
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
        QSet<qint64> removedNow;
        for (auto& [id, known] : m_known) {
            if (!visibleIds.contains(id) && inWindow(known.seen.date)) {
                if (!known.removed)
                    removedNow.insert(id);
                known.removed = true;
            }
        }
        for (const SimAppointment& a : std::as_const(visible)) {
            if (readConsultations && (!only || (a.consultationId && only->contains(*a.consultationId))))
                readConsultationIfDue(a, now);
        }
        // Findings first: a finding in this sync counts for every visit of the patient in it.
        for (const SimAppointment& a : std::as_const(visible))
            noteFinding(a);
        for (const qint64 id : std::as_const(removedNow))
            noteFinding(m_known.at(id).seen);

        m_kept.clear();
        m_newCalls.clear();
        for (const SimAppointment& a : std::as_const(visible))
            decide(a, now);
        for (const qint64 id : std::as_const(removedNow))
            decideRemoved(id, now);
        for (auto& [id, call] : m_calls) {
            if (!visibleIds.contains(id) && !removedNow.contains(id) && isLive(call, now))
                recheckUnread(id, call);
        }
        releaseKept(now);
        placeNewCalls();
        groupCalls();
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

    static bool isLive(const CallState& call, const QDateTime& now)
    {
        return (call.decision == QLatin1String("planned") || call.decision == QLatin1String("grouped")) &&
               call.scheduledUtc && *call.scheduledUtc > now;
    }

    static void cancel(CallState& call, const QString& reason)
    {
        call.decision = QStringLiteral("cancelled");
        call.reason = reason;
        call.scheduledUtc.reset();
        call.groupedInto.reset();
        call.group.clear();
    }

    bool patientFinding(const SimAppointment& a) const
    {
        return !a.isBlock && !a.isRoster && a.patient.id != 0 && m_patientsWithFinding.contains(a.patient.id);
    }

    // A patient's end-of-life finding comes from any visit of it, whatever its status, and stays.
    void noteFinding(const SimAppointment& a)
    {
        if (a.isBlock || a.isRoster || a.patient.id == 0)
            return;
        if (visitEndOfLife(a, readOf(a), m_profile) != EndOfLifeMention::None)
            m_patientsWithFinding.insert(a.patient.id);
    }

    VisitContext contextOf(const SimAppointment& a, const QDateTime& callUtc) const
    {
        return VisitContext{choosePhone(a, readOf(a)).e164, visitEnd(a), callUtc, patientFinding(a)};
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

    void keep(qint64 id, const CallState& call, const QDateTime& end)
    {
        m_kept.append({id, *call.scheduledUtc, end, call.decision == QLatin1String("planned")});
    }

    void decide(const SimAppointment& a, const QDateTime& now)
    {
        const ReadConsultation* consultation = readOf(a);
        const auto existing = m_calls.find(a.appointmentId);
        if (existing != m_calls.end()) {
            CallState& call = existing->second;
            if (call.decision == QLatin1String("cancelled")) {
                replanIfBack(a, call, now);
                return;
            }
            if (call.decision == QLatin1String("planned") || call.decision == QLatin1String("grouped")) {
                // One call per appointment, ever: a call whose time passed is final.
                if (!isLive(call, now))
                    return;
                const VisitContext context = contextOf(a, *call.scheduledUtc);
                call.consultationId = a.consultationId;
                call.phone = context.phone;
                if (const auto reason = cancellationReason(a, consultation, context, false, m_profile))
                    cancel(call, *reason);
                else
                    keep(a.appointmentId, call, visitEnd(a));
                return;
            }
        }
        const QDateTime proposed = m_planner.propose(a.date, now);
        const VisitContext context = contextOf(a, proposed);
        const DischargeDecision d = decideDischarge(a, consultation, context, m_profile);
        if (d.decision == QLatin1String("planned")) {
            m_newCalls.append({proposed, visitEnd(a), a.appointmentId, a.consultationId, context.phone,
                               NewCall::IfTooLate::Exclude});
            return;
        }
        m_calls[a.appointmentId] =
            CallState{d.decision, d.reason, std::nullopt, a.consultationId, context.phone, std::nullopt, {}};
    }

    // A call cancelled because its appointment vanished is planned again when the appointment is back,
    // the rules allow the call and its time (steps 1-3) is still 15 minutes or more ahead.
    void replanIfBack(const SimAppointment& a, const CallState& call, const QDateTime& now)
    {
        if (call.reason != QLatin1String("cancelled:removed"))
            return;
        const QDateTime scheduled = m_planner.scheduled(a.date);
        if (scheduled < ceilToMinute(now.addSecs(15 * 60)))
            return;
        const VisitContext context = contextOf(a, scheduled);
        if (decideDischarge(a, readOf(a), context, m_profile).decision != QLatin1String("planned"))
            return;
        m_newCalls.append({scheduled, visitEnd(a), a.appointmentId, a.consultationId, context.phone,
                           NewCall::IfTooLate::Keep});
    }

    void decideRemoved(qint64 id, const QDateTime& now)
    {
        const auto it = m_calls.find(id);
        if (it != m_calls.end() && isLive(it->second, now))
            cancel(it->second, QStringLiteral("cancelled:removed"));
    }

    // A live call of a visit outside this sync's window: only what needs no new read.
    void recheckUnread(qint64 id, CallState& call)
    {
        const SimAppointment& a = m_known.at(id).seen;
        if (patientFinding(a))
            cancel(call, QStringLiteral("cancelled:end_of_life_patient"));
        else if (tooOldAt(visitEnd(a), *call.scheduledUtc, m_profile))
            cancel(call, QStringLiteral("cancelled:too_old"));
        else
            keep(id, call, visitEnd(a));
    }

    // Kept calls whose time is no longer a call slot, and grouped calls whose carrier did not stay with
    // them (same number, same day), are placed again.
    void releaseKept(const QDateTime& now)
    {
        const auto ownerDay = [&](const CallState& call) -> QString {
            return call.phone.value_or(QString()) + QLatin1Char(' ') +
                   utcToLocal(*call.scheduledUtc, m_profile.zone).date().toString(Qt::ISODate);
        };
        const auto placeAgain = [&](const LiveCall& kept, const QDateTime& proposed) {
            const CallState& call = m_calls.at(kept.appointmentId);
            m_newCalls.append({proposed, kept.visitEnd, kept.appointmentId, call.consultationId, call.phone,
                               NewCall::IfTooLate::Cancel});
        };
        QList<LiveCall> stay;
        QList<LiveCall> grouped;
        std::map<qint64, QString> carriers;
        for (const LiveCall& kept : std::as_const(m_kept)) {
            const CallState& call = m_calls.at(kept.appointmentId);
            if (!m_planner.isSlot(kept.time)) {
                placeAgain(kept, m_planner.propose(m_known.at(kept.appointmentId).seen.date, now));
            } else if (call.decision == QLatin1String("grouped")) {
                grouped.append(kept);
            } else {
                stay.append(kept);
                carriers[kept.appointmentId] = ownerDay(call);
            }
        }
        for (const LiveCall& member : std::as_const(grouped)) {
            const CallState& call = m_calls.at(member.appointmentId);
            const auto carrier = carriers.find(*call.groupedInto);
            if (carrier != carriers.end() && carrier->second == ownerDay(call))
                stay.append(member);
            else
                placeAgain(member, member.time);
        }
        m_kept = stay;
    }

    void placeNewCalls()
    {
        std::sort(m_newCalls.begin(), m_newCalls.end(), [](const NewCall& x, const NewCall& y) {
            return std::tie(x.proposed, x.visitEnd, x.appointmentId) <
                   std::tie(y.proposed, y.visitEnd, y.appointmentId);
        });
        QList<QDateTime> held;
        for (const LiveCall& kept : std::as_const(m_kept)) {
            if (m_calls.at(kept.appointmentId).decision == QLatin1String("planned"))
                held.append(kept.time);
        }
        for (const NewCall& c : std::as_const(m_newCalls)) {
            const QDateTime time = m_planner.stagger(c.proposed, held);
            if (tooOldAt(c.visitEnd, time, m_profile)) {
                if (c.ifTooLate == NewCall::IfTooLate::Exclude)
                    m_calls[c.appointmentId] = CallState{QStringLiteral("excluded"),
                                                         QStringLiteral("excluded:too_old"),
                                                         std::nullopt,
                                                         c.consultationId,
                                                         c.phone,
                                                         std::nullopt,
                                                         {}};
                else if (c.ifTooLate == NewCall::IfTooLate::Cancel)
                    cancel(m_calls[c.appointmentId], QStringLiteral("cancelled:too_old"));
                continue;
            }
            held.append(time);
            m_calls[c.appointmentId] = CallState{QStringLiteral("planned"),
                                                 QStringLiteral("planned"),
                                                 time,
                                                 c.consultationId,
                                                 c.phone,
                                                 std::nullopt,
                                                 {}};
            m_kept.append({c.appointmentId, time, c.visitEnd, false});
        }
    }

    // One call per owner per day: the earliest call of a number on a clinic-local date carries the others.
    void groupCalls()
    {
        std::map<QString, QList<LiveCall>> groups;
        for (const LiveCall& live : std::as_const(m_kept)) {
            const CallState& call = m_calls.at(live.appointmentId);
            const QString key =
                call.phone.value_or(QStringLiteral("none:") + QString::number(live.appointmentId)) +
                QLatin1Char(' ') + utcToLocal(live.time, m_profile.zone).date().toString(Qt::ISODate);
            groups[key].append(live);
        }
        for (auto& [key, members] : groups) {
            std::sort(members.begin(), members.end(), [](const LiveCall& x, const LiveCall& y) {
                return std::make_tuple(x.time, !x.plannedBefore, x.visitEnd, x.appointmentId) <
                       std::make_tuple(y.time, !y.plannedBefore, y.visitEnd, y.appointmentId);
            });
            const LiveCall& carrier = members.first();
            QList<qint64> ids;
            for (const LiveCall& member : std::as_const(members))
                ids.append(member.appointmentId);
            std::sort(ids.begin(), ids.end());
            for (const LiveCall& member : std::as_const(members)) {
                CallState& call = m_calls.at(member.appointmentId);
                call.scheduledUtc = carrier.time;
                if (member.appointmentId == carrier.appointmentId) {
                    call.decision = QStringLiteral("planned");
                    call.reason = QStringLiteral("planned");
                    call.groupedInto.reset();
                    call.group = members.size() > 1 ? ids : QList<qint64>();
                } else {
                    call.decision = QStringLiteral("grouped");
                    call.reason = QStringLiteral("grouped");
                    call.groupedInto = carrier.appointmentId;
                    call.group.clear();
                }
            }
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
        QJsonArray group;
        for (const qint64 id : call.group)
            group.append(QString::number(id));
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
                           {QStringLiteral("customer_phone"), textOrNull(call.phone)},
                           {QStringLiteral("group"), group.isEmpty() ? QJsonValue() : QJsonValue(group)},
                           {QStringLiteral("grouped_into"), idValue(call.groupedInto)}};
    }

    const ClinicModel& m_model;
    const SimClinicProfile& m_profile;
    CallTimePlanner m_planner;
    std::map<qint64, KnownAppointment> m_known;
    std::map<qint64, ReadConsultation> m_reads;
    std::map<qint64, CallState> m_calls;
    QSet<qint64> m_patientsWithFinding;
    // This sync's work lists.
    QList<LiveCall> m_kept;
    QList<NewCall> m_newCalls;
};

} // namespace

Result<QJsonObject> computeGroundTruthOfSyncs(const ClinicModel& model, const QJsonObject& clinicProfile,
                                              const QList<TruthSync>& syncs)
{
    const auto profile = parseClinicProfile(clinicProfile);
    if (!profile)
        return std::unexpected(profile.error());
    if (profile->zone.id() != model.options().zone.id())
        return fail(QStringLiteral("clinic_zone_mismatch"),
                    QStringLiteral("the profile's timezone is not the simulated clinic's"));
    struct ReadsAt
    {
        bool any = false;
        std::optional<QSet<qint64>> only; // unset: every due consultation (when any)
    };
    std::map<QDateTime, ReadsAt> readsAt; // sorted, one entry per instant
    for (const TruthSync& s : syncs) {
        ReadsAt& at = readsAt[s.atUtc.toUTC()];
        if (!s.consultationsRead)
            continue;
        if (!s.onlyConsultations)
            at.only.reset();
        else if (!at.any)
            at.only = s.onlyConsultations;
        else if (at.only)
            at.only->unite(*s.onlyConsultations);
        at.any = true;
    }

    PerfectAgent agent(model, *profile);
    QList<QDateTime> times;
    for (const auto& [at, reads] : readsAt) {
        agent.syncAt(at, reads.any, reads.only);
        times.append(at);
    }
    return agent.result(times);
}

Result<QJsonObject> computeGroundTruth(const ClinicModel& model, const QJsonObject& clinicProfile,
                                       const QList<QDateTime>& syncTimesUtc)
{
    QList<TruthSync> syncs;
    for (const QDateTime& t : syncTimesUtc)
        syncs.append(TruthSync{t, true});
    return computeGroundTruthOfSyncs(model, clinicProfile, syncs);
}

} // namespace odis::sim::neo
