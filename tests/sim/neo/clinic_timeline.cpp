#include "tests/sim/neo/clinic_timeline.h"

#include "tests/sim/neo/clinic_time.h"

#include <algorithm>

namespace odis::sim::neo {

namespace {

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 3600;

// A whole minute, uniformly in [lo, hi] (hi before lo gives lo).
QDateTime between(SimRandom& random, const QDateTime& lo, const QDateTime& hi)
{
    const qint64 span = (hi.toSecsSinceEpoch() - lo.toSecsSinceEpoch()) / kMinute;
    return lo.addSecs(span > 0 ? static_cast<qint64>(random.below(static_cast<quint64>(span) + 1)) * kMinute
                               : 0);
}

QDateTime minutesAfter(SimRandom& random, const QDateTime& from, int lo, int hi)
{
    return from.addSecs(random.range(lo, hi) * kMinute);
}

SimChange statusChange(const QDateTime& at, const QString& status)
{
    SimChange c;
    c.atUtc = at;
    c.status = status;
    return c;
}

class VisitTimeline
{
public:
    VisitTimeline(SimRandom& random, const SimAppointment& a, const VisitPlan& plan, TimelineContext& context)
        : m_random(random)
        , m_a(a)
        , m_plan(plan)
        , m_context(context)
        , m_zone(context.profile.zone)
    {}

    QList<SimChange> build()
    {
        const QDateTime start = localToUtc(m_a.date, m_a.start, m_zone);
        // Changes before a visit happen between its booking (or three days before it) and shortly before it.
        const QDateTime earliest = std::max(m_a.bookedUtc.addSecs(10 * kMinute), start.addDays(-3));
        const QDateTime latest = start.addSecs(-15 * kMinute);
        switch (m_plan.fate) {
        case VisitFate::NoShow:
            m_out.append(statusChange(minutesAfter(m_random, start, 20, 90), QStringLiteral("No Show")));
            break;
        case VisitFate::Cancelled: {
            static const QStringList reasons = {
                QStringLiteral("Owner cancelled"), QStringLiteral("Pet is better"),
                QStringLiteral("Rescheduling later"), QStringLiteral("Clinic cancelled")};
            SimChange c = statusChange(between(m_random, earliest, latest), QStringLiteral("Cancelled"));
            c.cancelledReason = m_random.pick(reasons);
            m_out.append(c);
            break;
        }
        case VisitFate::Deleted: {
            SimChange c;
            c.atUtc = between(m_random, earliest, latest);
            c.deleted = true;
            m_out.append(c);
            break;
        }
        case VisitFate::Moved: {
            SimChange c;
            c.atUtc = between(m_random, earliest, start.addSecs(-kHour));
            c.date = movedDate();
            c.start = m_a.start;
            c.end = m_a.end;
            m_out.append(c);
            visit(*c.date);
            break;
        }
        case VisitFate::Completed:
            visit(m_a.date);
            break;
        case VisitFate::DeletedAfterVisit: {
            // A duplicate booking cleaned up after the visit was finished.
            SimChange c;
            c.atUtc = minutesAfter(m_random, visit(m_a.date), 4 * 60, 30 * 60);
            c.deleted = true;
            m_out.append(c);
            break;
        }
        }
        addConfirmation();
        std::stable_sort(m_out.begin(), m_out.end(),
                         [](const SimChange& x, const SimChange& y) { return x.atUtc < y.atUtc; });
        return m_out;
    }

private:
    QDate movedDate() const
    {
        QDate day = m_a.date.addDays(std::max(1, m_plan.moveDays));
        for (int i = 0; i < 14; ++i, day = day.addDays(1)) {
            const auto hours = m_context.profile.hoursOn(day);
            if (hours && hours->open <= m_a.start && m_a.end <= hours->close)
                return day;
        }
        return day;
    }

    void addConfirmation()
    {
        if (!m_plan.confirmed || m_plan.walkIn)
            return;
        const QDateTime at =
            localToUtc(m_a.date.addDays(-1), QTime(10, 0).addSecs(m_random.range(0, 420) * kMinute), m_zone);
        // Only while the booking is still plain: a confirmation never follows a cancellation or check-in.
        for (const SimChange& c : std::as_const(m_out)) {
            if (c.atUtc <= at && (c.status || c.deleted))
                return;
        }
        if (at > m_a.bookedUtc)
            m_out.append(statusChange(at, QStringLiteral("Confirmed")));
    }

    // Check-in to finish on `date`; returns when the visit was finished.
    QDateTime visit(QDate date)
    {
        const QDateTime start = localToUtc(date, m_a.start, m_zone);
        const QDateTime end = localToUtc(date, m_a.end, m_zone);
        const QDateTime checkIn =
            std::max(minutesAfter(m_random, start, -15, 5), m_a.bookedUtc.addSecs(kMinute));
        SimChange in = statusChange(checkIn, QStringLiteral("Checked In"));
        in.consultationId = kPendingConsultationId;
        m_out.append(in);

        QDateTime progress = minutesAfter(m_random, checkIn, 3, 12);
        if (progress >= end)
            progress = checkIn.addSecs(kMinute);
        SimChange inProgress = statusChange(progress, QStringLiteral("In Progress"));
        QList<SimProductLine> lines = composeLines(m_random, m_a.typeDescription, m_context.nextLineId);
        inProgress.lines = lines;
        m_out.append(inProgress);

        QDateTime finished = minutesAfter(m_random, end, 0, 20);
        const auto roll = m_random.below(100);
        SimChange done = statusChange(finished, roll < 70   ? QStringLiteral("Finalized")
                                                : roll < 95 ? QStringLiteral("Ready to Pay")
                                                            : QStringLiteral("Discharged"));
        if (m_plan.endOfLife == EndOfLife::ProductLine) {
            SimProductLine cremation{m_context.nextLineId++, QStringLiteral("Cremation - Private"), 1,
                                     m_random.chance(0.5)};
            lines.append(cremation);
            done.lines = lines;
        }
        m_out.append(done);
        if (roll >= 70 && roll < 95 && m_random.chance(0.6))
            m_out.append(
                statusChange(minutesAfter(m_random, finished, 30, 240), QStringLiteral("Finalized")));

        addNotes(date, progress, end, finished);
        return finished;
    }

    void addNotes(QDate date, const QDateTime& progress, const QDateTime& end, const QDateTime& finished)
    {
        const VisitText text{m_a.patient.name, m_a.patient.species, m_a.typeDescription, m_a.reason,
                             m_context.vetName};
        QDateTime noted;
        switch (m_plan.notesTiming) {
        case NotesTiming::DuringVisit:
            noted = between(m_random, progress.addSecs(kMinute), end.addSecs(-kMinute));
            break;
        case NotesTiming::AtEnd:
            noted = minutesAfter(m_random, finished, 0, 30);
            break;
        case NotesTiming::HoursLater:
            noted = minutesAfter(m_random, finished, 60, 480);
            break;
        case NotesTiming::NextDay:
            noted =
                localToUtc(date.addDays(1), QTime(8, 0).addSecs(m_random.range(0, 210) * kMinute), m_zone);
            break;
        case NotesTiming::Never:
            break;
        }
        // Edits stay well inside lookback_hours so that an agent syncing every few hours still sees them.
        const QDateTime lastEdit =
            end.addSecs(std::max<qint64>(kHour, m_context.profile.sync.lookbackHours * kHour * 5 / 6));
        if (noted.isValid()) {
            noted = std::min(noted, lastEdit);
            const QString eol =
                m_plan.endOfLife == EndOfLife::Notes ? endOfLifePhrase(m_plan.phraseIndex) : QString();
            const QString extra = m_plan.lookAlike ? lookAlikePhrase(m_plan.phraseIndex) : eol;
            SimChange first;
            first.atUtc = noted;
            first.notesHtml = composeNotes(m_random, text, m_plan.style, extra);
            m_out.append(first);
            if (m_plan.edited) {
                const bool addsEndOfLife = m_plan.endOfLife == EndOfLife::AddedInEdit;
                SimChange edit;
                edit.atUtc = std::min(addsEndOfLife ? minutesAfter(m_random, noted, 5 * 60, 20 * 60)
                                                    : minutesAfter(m_random, noted, 20, 20 * 60),
                                      lastEdit);
                edit.notesHtml =
                    *first.notesHtml +
                    composeAddendum(m_random, m_plan.style,
                                    addsEndOfLife ? endOfLifePhrase(m_plan.phraseIndex) : QString());
                m_out.append(edit);
            }
        }
        if (m_plan.summary) {
            const QString eol =
                m_plan.endOfLife == EndOfLife::Summary ? endOfLifePhrase(m_plan.phraseIndex) : QString();
            SimChange summary;
            summary.atUtc = std::min(
                minutesAfter(m_random, std::max(finished, noted.isValid() ? noted : finished), 0, 30),
                lastEdit);
            summary.dischargeSummary =
                composeDischargeSummary(m_random, text, m_plan.style != NotesStyle::Plain, eol);
            m_out.append(summary);
        }
    }

    SimRandom& m_random;
    const SimAppointment& m_a;
    const VisitPlan& m_plan;
    TimelineContext& m_context;
    QTimeZone m_zone;
    QList<SimChange> m_out;
};

} // namespace

QList<SimChange> buildVisitTimeline(SimRandom& random, const SimAppointment& appointment,
                                    const VisitPlan& plan, TimelineContext& context)
{
    return VisitTimeline(random, appointment, plan, context).build();
}

} // namespace odis::sim::neo
