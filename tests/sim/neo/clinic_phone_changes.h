#pragma once

// Owners who change their phone number (issue 16's clinic month: real clinic data changes so): about one
// owner in `everyNth` of those seen once in the generated days gets a new mobile number, half of them two
// hours before the visit (the schedule and the call use the new one) and half three hours after it ended
// (a call already planned must follow it). The new number is another owner's valid mobile of the same
// clinic, so it is one the country's rules accept. Only owners with a single appointment change, so that no
// owner shows two numbers at once on two visits.
//
// Opt-in (ClinicOptions::phoneChanges, `odis-neo-sim --phone-changes`): the clinics other tests know stay
// as they were.

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/sim_random.h"

namespace odis::sim::neo {

// Adds the changes to `model`; returns how many.
int addPhoneChanges(SimRandom& random, ClinicModel& model, int everyNth = 3);

} // namespace odis::sim::neo
