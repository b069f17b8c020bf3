#pragma once

#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

#include <QStringView>

namespace odis::sync {

// Parses the answer of GET /consultations/{requestedId}/page-data in its current shape (consultation,
// patient, client at the top, providers under pageData) or its older one (everything under pageData).
//
// `requestedId` is the consultation id the request was made for (its decimal digits). The answer's own
// id must match it: an answer about another consultation is refused (neo_id_mismatch) rather than have
// its notes attached to the wrong visit. The result's id is the requested one, also when the answer
// carries none (a drift warning then).
//
// Errors: those of decodeNeoJson() (a 404 for a visit without a consultation is neo_not_found),
// neo_unexpected_shape when neither shape is there, neo_id_mismatch.
[[nodiscard]] Result<Parsed<NeoConsultation>> parseNeoConsultation(const NeoResponse& response,
                                                                   QStringView requestedId);

} // namespace odis::sync
