#include "tests/sim/neo/clinic_visit_plans.h"

#include "tests/sim/neo/clinic_people.h"
#include "tests/sim/neo/clinic_time.h"

#include <algorithm>
#include <cmath>

namespace odis::sim::neo {

namespace {

qsizetype atLeast(qsizetype minimum, qsizetype n, double share)
{
    return std::max(minimum, static_cast<qsizetype>(std::lround(static_cast<double>(n) * share)));
}

void assignEndOfLife(SimRandom& random, QList<PlannedVisit>& visits, QList<qsizetype>& completed)
{
    const qsizetype n = visits.size();
    // End of life by type happens in a doctor's column; pick those first.
    QList<qsizetype> vetVisits;
    for (const qsizetype i : std::as_const(completed)) {
        const QString& type = visits.at(i).appointment.typeDescription;
        if (visits.at(i).vetColumn && (type == QLatin1String("Exam") || type == QLatin1String("Sick")))
            vetVisits.append(i);
    }
    random.shuffle(vetVisits);
    int phrase = static_cast<int>(random.below(12));
    const qsizetype byType = std::min(vetVisits.size(), atLeast(1, n, 0.012));
    for (qsizetype k = 0; k < byType; ++k) {
        PlannedVisit& v = visits[vetVisits.at(k)];
        v.plan.endOfLife = EndOfLife::Type;
        v.appointment.typeDescription = QStringLiteral("Euthanasia");
        v.appointment.reason = reasonFor(random, v.appointment.typeDescription);
        completed.removeOne(vetVisits.at(k));
    }
    random.shuffle(completed);
    const QList<QPair<EndOfLife, qsizetype>> kinds = {{EndOfLife::Reason, 1},
                                                      {EndOfLife::Notes, atLeast(2, n, 0.01)},
                                                      {EndOfLife::Summary, 1},
                                                      {EndOfLife::ProductLine, 1},
                                                      {EndOfLife::AddedInEdit, atLeast(1, n, 0.006)}};
    for (const auto& [kind, count] : kinds) {
        for (qsizetype k = 0; k < count && !completed.isEmpty(); ++k) {
            PlannedVisit& v = visits[completed.takeFirst()];
            v.plan.endOfLife = kind;
            v.plan.phraseIndex = phrase++;
            if (kind == EndOfLife::Reason)
                v.appointment.reason = QStringLiteral("Quality of life - possible euthanasia");
            if (kind == EndOfLife::Summary)
                v.plan.summary = true;
            if ((kind == EndOfLife::Notes || kind == EndOfLife::AddedInEdit) &&
                v.plan.notesTiming == NotesTiming::Never)
                v.plan.notesTiming = NotesTiming::DuringVisit;
            if (kind == EndOfLife::AddedInEdit)
                v.plan.edited = true;
        }
    }
    // Look-alike words go to visits with notes and no end of life: they must still get a call.
    qsizetype lookAlikes = atLeast(4, n, 0.03);
    for (qsizetype k = 0; k < completed.size() && lookAlikes > 0; ++k) {
        PlannedVisit& v = visits[completed.at(k)];
        if (v.plan.notesTiming == NotesTiming::Never)
            continue;
        v.plan.lookAlike = true;
        v.plan.phraseIndex = static_cast<int>(lookAlikes--);
    }
}

void hidePhones(SimRandom& random, QList<PlannedVisit>& visits)
{
    QList<qsizetype> withMobile;
    for (qsizetype i = 0; i < visits.size(); ++i) {
        if (!visits.at(i).appointment.client.mobilePhone.isEmpty())
            withMobile.append(i);
    }
    random.shuffle(withMobile);
    const qsizetype count = std::min(withMobile.size(), atLeast(2, visits.size(), 0.03));
    for (qsizetype k = 0; k < count; ++k)
        visits[withMobile.at(k)].appointment.schedulePhoneHidden = true;
}

} // namespace

void assignVisitPlans(SimRandom& random, QList<PlannedVisit>& visits)
{
    const qsizetype n = visits.size();
    if (n == 0)
        return;
    const auto fates = makeDeck<VisitFate>(random, n,
                                           {{VisitFate::Completed, 860},
                                            {VisitFate::NoShow, 50},
                                            {VisitFate::Cancelled, 40},
                                            {VisitFate::Moved, 30},
                                            {VisitFate::Deleted, 15},
                                            {VisitFate::DeletedAfterVisit, 5}});
    const auto timings = makeDeck<NotesTiming>(random, n,
                                               {{NotesTiming::DuringVisit, 35},
                                                {NotesTiming::AtEnd, 25},
                                                {NotesTiming::HoursLater, 18},
                                                {NotesTiming::NextDay, 10},
                                                {NotesTiming::Never, 12}});
    const auto styles = makeDeck<NotesStyle>(random, n,
                                             {{NotesStyle::Plain, 40},
                                              {NotesStyle::Html, 33},
                                              {NotesStyle::HtmlTable, 22},
                                              {NotesStyle::Long, 5}});
    const auto edited = makeDeck<bool>(random, n, {{false, 80}, {true, 20}});
    const auto summary = makeDeck<bool>(random, n, {{false, 65}, {true, 35}});
    const auto walkIn = makeDeck<bool>(random, n, {{false, 95}, {true, 5}});
    const auto confirmed = makeDeck<bool>(random, n, {{false, 60}, {true, 40}});
    QList<qsizetype> completed;
    for (qsizetype i = 0; i < n; ++i) {
        VisitPlan& plan = visits[i].plan;
        plan.fate = fates.at(i);
        plan.notesTiming = timings.at(i);
        plan.style = styles.at(i);
        plan.edited = edited.at(i) && plan.notesTiming != NotesTiming::Never;
        plan.summary = summary.at(i);
        plan.walkIn = walkIn.at(i);
        plan.confirmed = confirmed.at(i);
        plan.moveDays = random.range(1, 4);
        if (plan.fate == VisitFate::Completed)
            completed.append(i);
    }
    assignEndOfLife(random, visits, completed);
    // A finished visit with neither notes nor a summary must exist in every clinic.
    for (PlannedVisit& v : visits) {
        if (v.plan.fate == VisitFate::Completed && v.plan.notesTiming == NotesTiming::Never &&
            v.plan.endOfLife != EndOfLife::Summary) {
            v.plan.summary = false;
            break;
        }
    }
    hidePhones(random, visits);
}

void assignBookingTimes(SimRandom& random, QList<PlannedVisit>& visits, const QTimeZone& zone)
{
    for (PlannedVisit& v : visits) {
        SimAppointment& a = v.appointment;
        const QDateTime start = localToUtc(a.date, a.start, zone);
        a.bookedUtc = v.plan.walkIn ? start.addSecs(qint64{-60} * random.range(30, 180))
                                    : localToUtc(a.date.addDays(-random.range(1, 21)),
                                                 QTime(9, 0).addSecs(60 * random.range(0, 480)), zone);
    }
}

} // namespace odis::sim::neo
