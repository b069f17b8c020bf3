#pragma once

#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

namespace odis::sync {

// Parses the answer of GET /schedule/getScheduleConfigs. Errors: those of decodeNeoJson(), and
// neo_unexpected_shape for anything but an object with at least one of its documented fields.
[[nodiscard]] Result<Parsed<NeoScheduleConfig>> parseNeoScheduleConfigs(const NeoResponse& response);

// Parses the answer of GET /appointments/getAppointmentView, with the same errors.
[[nodiscard]] Result<Parsed<NeoAppointmentView>> parseNeoAppointmentView(const NeoResponse& response);

} // namespace odis::sync
