#pragma once

// How one generated visit unfolds in simulated time: booked, maybe confirmed, then either cancelled,
// deleted, not shown, moved to another day, or checked in (the consultation exists from then on), in
// progress, finished ("Ready to Pay" / "Finalized" / "Discharged"), with notes written during the visit,
// at its end, hours later or the next day, sometimes edited, and product lines. Every note and edit
// lands within the clinic's lookback_hours of the visit's end (docs/idexx-neo.md, "Notes and edits").

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_notes.h"
#include "tests/sim/neo/clinic_profile.h"
#include "tests/sim/neo/sim_random.h"

namespace odis::sim::neo {

enum class VisitFate
{
    Completed,
    NoShow,
    Cancelled,
    Moved,
    Deleted,
    DeletedAfterVisit
};
enum class NotesTiming
{
    DuringVisit,
    AtEnd,
    HoursLater,
    NextDay,
    Never
};
enum class EndOfLife
{
    None,
    Type,
    Reason,
    Notes,
    Summary,
    ProductLine,
    AddedInEdit,
    Possible // a softer signal ("quality of life") in the reason: rule 4b
};

struct VisitPlan
{
    VisitFate fate = VisitFate::Completed;
    NotesTiming notesTiming = NotesTiming::DuringVisit;
    NotesStyle style = NotesStyle::Plain;
    bool edited = false;
    bool summary = false;
    bool confirmed = false;
    bool walkIn = false;
    EndOfLife endOfLife = EndOfLife::None;
    int phraseIndex = 0;    // which end-of-life or look-alike phrase
    bool lookAlike = false; // notes carry a look-alike phrase
    int moveDays = 1;       // Moved: at least this many days later, on a day the slot fits
};

// Placeholder in SimChange::consultationId until the generator numbers consultations in check-in order.
inline constexpr qint64 kPendingConsultationId = -1;

struct TimelineContext
{
    const SimClinicProfile& profile;
    QString vetName;
    qint64& nextLineId;
};

// The changes of one visit after its booking (appointment.bookedUtc must be set).
[[nodiscard]] QList<SimChange> buildVisitTimeline(SimRandom& random, const SimAppointment& appointment,
                                                  const VisitPlan& plan, TimelineContext& context);

} // namespace odis::sim::neo
