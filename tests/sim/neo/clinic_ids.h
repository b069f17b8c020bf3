#pragma once

// Numbering of a generated clinic: appointment and calendar-event ids grow with booking time, as a real
// system's sequences do; consultations are numbered in check-in order across the clinic.

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/sim_random.h"

namespace odis::sim::neo {

// Sets appointmentId and calendarEventId (6 digits) of every row, ordered by booking time.
void numberRows(SimRandom& random, QList<SimAppointment*>& rows);

// Replaces every kPendingConsultationId in the timelines ({appointment id, changes}) by a 6-digit id.
void numberConsultations(SimRandom& random, QList<QPair<qint64, QList<SimChange>>>& timelines);

} // namespace odis::sim::neo
