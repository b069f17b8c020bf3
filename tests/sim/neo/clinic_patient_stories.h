#pragma once

// Visits that must be judged together (docs/discharge-rules.md, "The patient, not only the visit" and
// "One call per owner per day"), made certain in every generated week: a pet whose notes record its
// death with a visit the day before and one later; a euthanasia booking with a later visit of the same
// pet; a "quality of life" visit followed the same day by another visit of the pet; an owner with two pets
// seen on one day; and a pet seen twice on one day.

#include "tests/sim/neo/clinic_people.h"
#include "tests/sim/neo/clinic_visit_plans.h"
#include "tests/sim/neo/sim_random.h"

namespace odis::sim::neo {

// Rewrites the patient and client (and, for the "quality of life" visit, the reason) of a few completed
// visits with notes; leaves everything else as it was. Early days of the week are preferred for the
// owner stories, so that their calls fall inside max_visit_age_days.
void linkPatientStories(SimRandom& random, QList<PlannedVisit>& visits,
                        const QList<SimHousehold>& households);

} // namespace odis::sim::neo
