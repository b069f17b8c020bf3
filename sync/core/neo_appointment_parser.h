#pragma once

#include "storage/result.h"
#include "sync/core/neo_contract.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

#include <QStringView>

namespace odis::sync {

// Parses the answer of GET /appointments/getAppointment?id=<requestedId>: `{appointment: {...}}`, the
// one place with both the client's home and mobile phones, and the proof that an appointment the
// schedule no longer shows is deleted or moved. Checked against the contract (neo_contract.h) first.
//
// `requestedId` is the appointment id asked for (decimal digits); an answer about another appointment
// is refused with neo_id_mismatch. Other errors: those of decodeNeoJson(); neo_layout_changed when there
// is no `appointment` object or the answer breaks the contract; neo_value_too_long / neo_invalid_utf8
// when a value refuses this appointment. `check`, when given, receives what the contract check found.
[[nodiscard]] Result<Parsed<NeoAppointmentDetail>>
parseNeoAppointment(const NeoResponse& response, QStringView requestedId, NeoAnswerCheck* check = nullptr);

} // namespace odis::sync
