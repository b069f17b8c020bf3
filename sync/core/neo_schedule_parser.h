#pragma once

#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

namespace odis::sync {

// Parses the answer of GET /appointments/getCalendarEventData: a bare array of events (current) or an
// object with the array under `events`, `appointments` or `data` (older); each row in the current or
// the older field set (docs/idexx-neo.md).
//
// Errors: the HTTP and syntax errors of decodeNeoJson(), and neo_unexpected_shape for valid JSON with
// no event array. A row is dropped, with a counted drift warning, only when it cannot be keyed: it is
// not an object, its id is absent or invalid, or it repeats an appointment id already read. Every
// other defect is drift on a row that is kept.
[[nodiscard]] Result<Parsed<NeoSchedule>> parseNeoSchedule(const NeoResponse& response);

} // namespace odis::sync
