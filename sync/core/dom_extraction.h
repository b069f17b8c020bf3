#pragma once

// The DOM fallback's answers turned into the parsers' types: what resources/scripts/dom_extract.js read
// from one Neo HTML page through the selector profile becomes schedule events or a consultation, with
// the same validation the JSON parsers apply. A page whose root, a row's key or a required field
// cannot be read is neo_layout_changed for the whole page: handing on the rows that could be read
// would make the others look removed.
//
// dom_extract.js answers:
// { "root": bool,
//   "fields": { "<field>": string | null },           // pages without rows (consultation)
//   "rows": [ { "<field>": string | null } ],           // pages with rows (schedule)
//   "lists": { "product_lines": [ { "<field>": string | null } ] },
//   "usage": { "<field>" | "<list>.<field>": [n0, n1, ..., missed] }, // matches per selector, then misses
//   "invalidQueries": [ "<field>", ... ] }              // CSS the browser refused to parse

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/neo_drift.h"
#include "sync/core/neo_types.h"

#include <QDate>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QList>
#include <QStringView>

namespace odis::sync {

// Where DOM drift is reported (DriftWarning::endpoint), named like the pages' routes.
namespace dom_endpoint {
inline constexpr QLatin1StringView kSchedulePage{"schedule_page"};
inline constexpr QLatin1StringView kConsultationPage{"consultation_details"};
} // namespace dom_endpoint

// The script's answer was not what dom_extract.js produces: a bug or a page that replaced our script's
// globals. Not a layout verdict.
inline constexpr QLatin1StringView kDomAnswerInvalid{codes::kNeoDomAnswerInvalid};

// The rows of the schedule page of the clinic-local `day`. Errors: neo_layout_changed (no root, a row
// without a valid appointment id, start on `day` or status, a malformed consultation id),
// kDomAnswerInvalid. A day without appointments is a root with no rows: valid, and empty.
[[nodiscard]] Result<Parsed<QList<NeoScheduleEvent>>> scheduleFromDom(const QJsonValue& answer, QDate day);

// The consultation details page of `requestedId`. Errors: neo_layout_changed (no root, no valid visit
// date, notes unreadable, a product line without a name), neo_id_mismatch (the page is about another
// consultation), kDomAnswerInvalid.
[[nodiscard]] Result<Parsed<NeoConsultation>> consultationFromDom(const QJsonValue& answer,
                                                                  QStringView requestedId);

} // namespace odis::sync
