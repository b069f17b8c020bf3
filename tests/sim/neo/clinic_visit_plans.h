#pragma once

// What will happen to each generated visit, dealt from shuffled decks so that every week has the
// realistic proportions (about 5% no-shows, some cancellations, moves and deletions, end-of-life visits
// of every kind, notes early, late and never, edits, long HTML) and never lacks a rare case.

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/clinic_timeline.h"
#include "tests/sim/neo/sim_random.h"

namespace odis::sim::neo {

struct PlannedVisit
{
    SimAppointment appointment; // as booked; type and reason may be changed for end-of-life visits
    VisitPlan plan;
    bool vetColumn = false; // booked in a doctor's column (end-of-life visits by type are booked there)
};

void assignVisitPlans(SimRandom& random, QList<PlannedVisit>& visits);

// When each visit was booked: one to three weeks ahead during office hours, walk-ins the same morning.
void assignBookingTimes(SimRandom& random, QList<PlannedVisit>& visits, const QTimeZone& zone);

} // namespace odis::sim::neo
