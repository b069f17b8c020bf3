#pragma once

// Shared builders for the discharge-planning tests: the reference clinic (as in
// tests/sim/common/default-clinic-profile.json) and a finished visit that every rule lets through, so
// that each test row changes only what it is about.

#include "sync/core/clinic_policy.h"
#include "sync/core/discharge_decision.h"
#include "sync/core/discharge_planner.h"
#include "sync/core/discharge_rules.h"
#include "sync/core/end_of_life_vocabulary.h"
#include "sync/core/local_time.h"
#include "sync/core/visit_input.h"

#include <QDateTime>
#include <QMetaType>
#include <QTimeZone>

#include <utility>

namespace odis::test {

inline QTimeZone zone(const char* id)
{
    return QTimeZone(QByteArray(id));
}

// 'M'onday..'S'unday letters for open days, '-' for closed ones: "MTWTFS-" is the reference clinic.
inline sync::BusinessHours hoursFromPattern(QStringView pattern)
{
    sync::BusinessHours hours;
    for (qsizetype day = 0; day < 7 && day < pattern.size(); ++day) {
        if (pattern[day] != u'-')
            hours.days[static_cast<std::size_t>(day)] = sync::OpeningHours{QTime(8, 0), QTime(18, 0), {}, {}};
    }
    return hours;
}

// America/Los_Angeles (country US), open Monday to Saturday, calls 2 days later at 16:00 within 09:00-20:00,
// 2 minutes apart, visits up to 3 days old, "Groomer" and "Boarding" excluded, "memorial" blocked.
inline sync::ClinicPolicy referencePolicy()
{
    sync::ClinicPolicy policy;
    policy.zone = zone("America/Los_Angeles");
    policy.country = *sync::PhoneCountry::fromIsoCode(u"US");
    policy.businessHours = hoursFromPattern(u"MTWTFS-");
    policy.discharge.excludedAppointmentTypes = {QStringLiteral("Groomer"), QStringLiteral("Boarding")};
    policy.discharge.blockedKeywords = {QStringLiteral("euthanasia"), QStringLiteral("memorial")};
    return policy;
}

// The vocabulary built into the agent (resources/discharge/end-of-life-vocabulary.json).
inline sync::EndOfLifeVocabulary builtInVocabulary()
{
    const auto vocabulary = sync::loadEndOfLifeVocabulary();
    if (!vocabulary)
        qFatal("built-in vocabulary: %s", qPrintable(vocabulary.error().toString()));
    return *vocabulary;
}

inline sync::DischargeRules rulesOf(const sync::ClinicPolicy& policy)
{
    return sync::DischargeRules(policy, builtInVocabulary());
}

// The planner of `policy`, which must be valid.
inline sync::DischargePlanner plannerOf(const sync::ClinicPolicy& policy)
{
    auto planner = sync::DischargePlanner::create(policy);
    if (!planner)
        qFatal("planner: %s", qPrintable(planner.error().toString()));
    return std::move(*planner);
}

// A completed visit with a mobile number and notes: every rule lets it through to "planned".
inline sync::VisitInput finishedVisit(QString appointmentId = QStringLiteral("482913"),
                                      QDate date = QDate(2026, 3, 10), QTime start = QTime(10, 0),
                                      QTime end = QTime(10, 30))
{
    sync::VisitInput visit;
    visit.appointmentId = std::move(appointmentId);
    visit.consultationId = QStringLiteral("7") + visit.appointmentId;
    visit.patientId = QStringLiteral("4") + visit.appointmentId;
    visit.start = {date, start};
    visit.end = {date, end};
    visit.status = sync::VisitStatus::Completed;
    visit.appointmentType = QStringLiteral("Exam");
    visit.reason = QStringLiteral("Annual check-up");
    visit.phones.mobile = QStringLiteral("(415) 201-3344");
    visit.consultationRead = true;
    visit.notesHtml = QStringLiteral("<p>Healthy. Recheck in <b>6 months</b>.</p>");
    visit.productLines = {QStringLiteral("Rabies vaccine"), QStringLiteral("Dental cleaning")};
    return visit;
}

// A copy of `value` changed by `change`: each test row states only what differs from the base.
template <typename T, typename Change> T with(T value, Change change)
{
    change(value);
    return value;
}

inline QDateTime utc(const char* iso)
{
    return sync::parseUtcInstant(QString::fromLatin1(iso));
}

// A wall-clock time "yyyy-MM-dd HH:mm" in `zone` as an instant (DST-resolved).
inline QDateTime local(const QString& text, const QTimeZone& clinicZone)
{
    // Date and time apart: a naive QDateTime would be in the machine's zone, with its own DST gaps.
    const QDate date = QDate::fromString(text.left(10), QStringLiteral("yyyy-MM-dd"));
    const QTime time = QTime::fromString(text.mid(11), QStringLiteral("HH:mm"));
    return sync::resolveLocalTime(date, time, clinicZone);
}

// An instant on the clinic's wall clock, "yyyy-MM-dd HH:mm".
inline QString wall(const QDateTime& instant, const QTimeZone& clinicZone)
{
    return sync::toClinicLocal(instant, clinicZone).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace odis::test

Q_DECLARE_METATYPE(odis::sync::VisitInput)
Q_DECLARE_METATYPE(odis::sync::DischargeDecision)
Q_DECLARE_METATYPE(odis::sync::PatientFinding)
