#pragma once

#include "storage/result.h"
#include "sync/core/neo_contract.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_json.h"
#include "sync/core/neo_types.h"

#include <QStringView>

namespace odis::sync {

// Parses the answer of GET /consultations/{requestedId}/page-data in its current shape (consultation,
// patient, client at the top, providers under pageData) or its older one (everything under pageData).
//
// The answer is checked against the contract of its shape (neo_contract.h) before anything is read.
// `requestedId` is the consultation id the request was made for (its decimal digits). The answer's own
// id must match it: an answer about another consultation is refused (neo_id_mismatch) rather than have
// its notes attached to the wrong visit. `check`, when given, receives what the contract check found.
//
// Errors: those of decodeNeoJson() (a 404 for a visit without a consultation is neo_not_found);
// neo_layout_changed when neither shape is there or the answer breaks the contract (its message names
// the field paths); neo_id_mismatch; neo_value_too_long / neo_invalid_utf8 when a value refuses this
// consultation (the answer is valid, this item is not taken: the stored one stays).
[[nodiscard]] Result<Parsed<NeoConsultation>>
parseNeoConsultation(const NeoResponse& response, QStringView requestedId, NeoAnswerCheck* check = nullptr);

} // namespace odis::sync
