#pragma once

// From what the agent read (and kept) about an appointment to the discharge planner's VisitInput
// (sync/core/visit_input.h), so that the planner decides on the same facts the payloads carry: the
// same phone candidates (and a number kept from an earlier run, see appointmentPhone()), and the
// consultation's latest known content, read in this run or stored by an earlier one.

#include "storage/result.h"
#include "sync/core/payloads.h"
#include "sync/core/visit_input.h"

#include <QJsonObject>

namespace odis::sync {

// A visit returned by this run's schedule read.
// `consultation` is the latest known `consultation` payload of the row's consultation (built in this
// run, or the stored one when page-data was not read again); nullptr when there is none. A payload of
// another consultation is ignored: the visit then counts as not read.
// - patient: the schedule row's patient id, else the appointment detail's, the consultation's or the
//   stored payload's (none for blocks and roster rows);
// - phones: phoneCandidates(sources); when appointmentPhone() kept an earlier number (in `country`),
//   that number stands in the mobile slot of the detail that was not fetched.
// - notes: notes_html; discharge summary: discharge_summary (text); product lines: every name,
//   declined ones included.
// - complete is false for a row read through the DOM fallback or with a phone candidate that could not
//   be read (AppointmentSources::phoneUnknown): fields were kept from the store.
[[nodiscard]] VisitInput visitInput(const AppointmentSources& sources, const QJsonObject* consultation,
                                    const PhoneCountry& country);

// The visit as the payload that will be stored shows it where that payload kept stored values (a change
// held back, a field Neo did not send): its status and phone are the payload's, and it is not complete.
void keepStoredFacts(VisitInput& visit, const QJsonObject& appointmentPayload, const PhoneCountry& country);

// A visit the reconciler found removed (Neo no longer returns it inside the read window), from its
// last stored `appointment` payload and the latest known consultation payload (or nullptr).
// removedFromNeo is set. The payload keeps the end's time but not its date: an end earlier than the
// start is taken as the next day. Error kObservationPayloadInvalid (reconciler.h) when the payload has
// no id or no valid date and start time.
[[nodiscard]] Result<VisitInput> removedVisitInput(const QJsonObject& lastAppointment,
                                                   const QJsonObject* consultation);

// A stored visit as it was last read (its `appointment` payload and latest consultation payload), for a
// visit not read in this run: the same mapping as removedVisitInput() without removedFromNeo. The patient
// id is the payload's patient.id (none for a block).
[[nodiscard]] Result<VisitInput> storedVisitInput(const QJsonObject& lastAppointment,
                                                  const QJsonObject* consultation);

} // namespace odis::sync
