#pragma once

// Hand-made clinics for the ground-truth tests: visits built directly (not generated), so that every
// rule is exercised by a case whose answer a person can check by reading it.

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/clinic_time.h"
#include "tests/sim/neo/ground_truth.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMetaType>

namespace odis::sim::neo::test {

inline QTimeZone clinicZone()
{
    return QTimeZone("America/Los_Angeles");
}

// A clinic-local wall-clock time as a UTC instant.
inline QDateTime at(QDate date, QTime time)
{
    return localToUtc(date, time, clinicZone());
}

// A North American number as the clinic typed it and what it means; an invalid one; UK ones.
inline SimPhone nanpPhone(const char* raw, const char* e164)
{
    return SimPhone::valid(QString::fromLatin1(raw), QString::fromLatin1(e164), SimPhoneKind::MobileOrFixed);
}

inline SimPhone invalidPhone(const char* raw)
{
    return SimPhone::invalid(QString::fromLatin1(raw));
}

inline SimPhone ukPhone(const char* raw, const char* e164, SimPhoneKind kind)
{
    return SimPhone::valid(QString::fromLatin1(raw), QString::fromLatin1(e164), kind);
}

struct VisitSpec
{
    qint64 id = 500001;
    QDate date = QDate(2026, 3, 9); // a Monday
    QTime start = QTime(10, 0);
    QTime end = QTime(10, 30);
    QString type = QStringLiteral("Exam");
    QString reason = QStringLiteral("Annual wellness exam");
    QString status = QStringLiteral("Finalized");
    bool withConsultation = true; // consultation id = id + 300000
    QString notes = QStringLiteral("<p>Doing well, vaccines given.</p>");
    QString summary;
    SimPhone mobile = nanpPhone("415-201-3344", "+14152013344");
    SimPhone home;
    bool phoneHidden = false;
    bool block = false;
    bool roster = false;
    QList<SimProductLine> lines;
    qint64 patientId = 0; // 0: one of its own (40000 + id % 10000)
    qint64 clientId = 0;  // 0: one of its own (50000 + id % 10000)
};

inline SimAppointment appointmentOf(const VisitSpec& v)
{
    SimAppointment a;
    a.appointmentId = v.id;
    a.calendarEventId = v.id + 1'000'000;
    if (v.withConsultation && !v.block && !v.roster)
        a.consultationId = v.id + 300'000;
    a.date = v.date;
    a.start = v.start;
    a.end = v.end;
    a.resourceId = QStringLiteral("9");
    a.status = v.status;
    a.isBlock = v.block;
    a.isRoster = v.roster;
    if (v.block || v.roster) {
        a.blockText = QStringLiteral("Dr out 11:00am-2:00pm");
        return a;
    }
    a.typeDescription = v.type;
    a.reason = v.reason;
    a.patient = SimPatient{v.patientId != 0 ? v.patientId : 40'000 + v.id % 10'000, QStringLiteral("BISCUIT"),
                           QStringLiteral("Canine"), QStringLiteral("Beagle")};
    a.client = SimClient{v.clientId != 0 ? v.clientId : 50'000 + v.id % 10'000,
                         QStringLiteral("Jane"),
                         QStringLiteral("Doe"),
                         QString(),
                         v.home,
                         v.mobile};
    a.provider =
        SimProvider{1201, QStringLiteral("Dr. Sarah Kim"), QString(), QString(), QStringLiteral("Vet")};
    a.schedulePhoneHidden = v.phoneHidden;
    a.notesHtml = v.notes;
    a.dischargeSummary = v.summary;
    a.lines = v.lines;
    return a;
}

inline ClinicModel clinicOf(const QList<VisitSpec>& visits)
{
    ClinicModel model;
    for (const VisitSpec& v : visits)
        model.addAppointment(appointmentOf(v));
    return model;
}

// The default clinic profile with some discharge_policy / sync fields replaced.
inline QJsonObject profileWith(const QJsonObject& policy = {}, const QJsonObject& sync = {})
{
    QJsonObject profile = defaultClinicProfile();
    QJsonObject p = profile.value(QStringLiteral("discharge_policy")).toObject();
    for (auto it = policy.begin(); it != policy.end(); ++it)
        p.insert(it.key(), it.value());
    QJsonObject s = profile.value(QStringLiteral("sync")).toObject();
    for (auto it = sync.begin(); it != sync.end(); ++it)
        s.insert(it.key(), it.value());
    profile.insert(QStringLiteral("discharge_policy"), p);
    profile.insert(QStringLiteral("sync"), s);
    return profile;
}

// The ground truth, or an object holding only "error" (which every lookup below then fails on).
inline QJsonObject truthOf(const ClinicModel& model, const QList<QDateTime>& syncs,
                           const QJsonObject& profile = defaultClinicProfile())
{
    const auto truth = computeGroundTruth(model, profile, syncs);
    return truth ? *truth : QJsonObject{{QStringLiteral("error"), truth.error().toString()}};
}

inline QJsonObject entryOf(const QJsonObject& truth, const char* list, const char* idKey, qint64 id)
{
    for (const QJsonValue v : truth.value(QLatin1String(list)).toArray()) {
        if (v.toObject().value(QLatin1String(idKey)).toString() == QString::number(id))
            return v.toObject();
    }
    return {};
}

inline QJsonObject callOf(const QJsonObject& truth, qint64 appointmentId)
{
    return entryOf(truth, "discharge_calls", "neo_appointment_id", appointmentId);
}

inline QJsonObject appointmentEntry(const QJsonObject& truth, qint64 appointmentId)
{
    return entryOf(truth, "appointments", "neo_appointment_id", appointmentId);
}

inline QJsonObject consultationEntry(const QJsonObject& truth, qint64 consultationId)
{
    return entryOf(truth, "consultations", "neo_consultation_id", consultationId);
}

// "<reason>[ <clinic-local time>][ group=<ids>][ into <carrier>]" of a call, as the scenario tests read it.
inline QString describeCall(const QJsonObject& truth, qint64 appointmentId)
{
    const QJsonObject call = callOf(truth, appointmentId);
    if (call.isEmpty())
        return QStringLiteral("none");
    QString text = call.value(QStringLiteral("reason")).toString();
    if (!call.value(QStringLiteral("scheduled_for_local")).isNull())
        text += QLatin1Char(' ') +
                call.value(QStringLiteral("scheduled_for_local")).toString().left(16).replace(u'T', u' ');
    QStringList group;
    for (const QJsonValue id : call.value(QStringLiteral("group")).toArray())
        group.append(id.toString());
    if (!group.isEmpty())
        text += QStringLiteral(" group=") + group.join(QLatin1Char(','));
    if (!call.value(QStringLiteral("grouped_into")).isNull())
        text += QStringLiteral(" into ") + call.value(QStringLiteral("grouped_into")).toString();
    return text;
}

} // namespace odis::sim::neo::test

Q_DECLARE_METATYPE(odis::sim::neo::test::VisitSpec)
