#pragma once

#include "storage/codes/sync_core_codes.h"

#include <QLatin1StringView>

namespace odis::sync {

// Stable error codes of a run's Neo read (odis::Error::code) beyond the parsers' (neo_json.h) and the
// session's (sync/neo/neo_session_errors.h). They reach run reports, telemetry and alerts.
namespace neo_extraction_error {
// Neither the JSON endpoint nor the HTML page through the selector profile gave valid data: Neo changed
// its layout. Nothing read in that step is handed on; diagnostics are kept (sealed) for 7 days.
inline constexpr QLatin1StringView kLayoutChanged{codes::kNeoLayoutChanged};
// Most of the step's reads failed (schedule_volume.h mostItemsFailed): the run fails; the reads are due
// again next run.
inline constexpr QLatin1StringView kReadsFailed{codes::kNeoReadsFailed};
} // namespace neo_extraction_error

} // namespace odis::sync
