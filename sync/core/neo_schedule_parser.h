#pragma once

#include "storage/result.h"
#include "sync/core/neo_contract.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

namespace odis::sync {

// Parses the answer of GET /appointments/getCalendarEventData: a bare array of events (current) or an
// object with the array under `events`, `appointments` or `data` (older); each row in the current or
// the older field set (docs/idexx-neo.md).
//
// The rows are checked against the contract (neo_contract.h, the shape most rows have) before anything is
// read: a row that breaks it (a field missing, of the wrong type or form, not an object) makes the whole
// answer invalid. A row with a value too long or of invalid UTF-8 is refused alone: left out of the
// events, its id in NeoSchedule::refusedIds. A row repeating an appointment id already read is dropped
// with a counted drift warning. `check`, when given, receives what the contract check found.
//
// Errors: the HTTP and syntax errors of decodeNeoJson(); neo_layout_changed for an answer of no known
// shape (an unknown wrapper) or one that breaks the contract, its message naming the field paths.
[[nodiscard]] Result<Parsed<NeoSchedule>> parseNeoSchedule(const NeoResponse& response,
                                                           NeoAnswerCheck* check = nullptr);

} // namespace odis::sync
