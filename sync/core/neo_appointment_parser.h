#pragma once

#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

#include <QStringView>

namespace odis::sync {

// Parses the answer of GET /appointments/getAppointment?id=<requestedId>: `{appointment: {...}}`, the
// one place with both the client's home and mobile phones.
//
// `requestedId` is the appointment id asked for (decimal digits); an answer about another appointment
// is refused with neo_id_mismatch. Other errors: those of decodeNeoJson(), and neo_unexpected_shape
// when there is no `appointment` object.
[[nodiscard]] Result<Parsed<NeoAppointmentDetail>> parseNeoAppointment(const NeoResponse& response,
                                                                       QStringView requestedId);

} // namespace odis::sync
