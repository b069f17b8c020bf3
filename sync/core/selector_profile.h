#pragma once

// The selector profile of the DOM fallback (docs/idexx-neo.md, "HTML pages"): where each field sits on
// Neo's HTML pages, as data a field team can replace without a new build (resources/neo/selectors-v1.json,
// or a file named in the configuration). Each field lists its selectors in the order they are tried:
// a test id, then a name or id, then a class, then a label's text. Parsed strictly: an unknown key, kind
// or field, a missing required field or a malformed value is an error naming its JSON path, so a typo
// in a shipped profile fails loudly at load instead of reading nothing in a clinic.
//
// Format 1:
// { "format": 1, "name": "...", "revision": "...", "test_id_attribute": "data-testid",
//   "pages": {
//     "schedule":     { "path": "/schedule?date={date}", "root": [sel...], "rows": [sel...],
//                       "fields": { "<field>": rule, ... } },
//     "consultation": { "path": "/consultations/{id}/details", "root": [sel...],
//                       "fields": {...}, "lists": { "product_lines": { "rows": [sel...], "fields": {...} } }
//                       } } }
// sel:  { "kind": "testid" | "name-id" | "class" | "text" | "css" | "self", "value": "..." }
//       testid: [<test_id_attribute>="v"]; name-id: [name="v"], [id="v"] or an id ending in "-v"
//       (ids scoped by a record, "appointment-123-patient-name"); class: .v; text: the element a label
//       whose text is v describes (a dt's dd, a th's column cell, a label's control, else the next
//       element); css: any CSS selector; self: the row (or root) element itself, no value.
// rule: { "selectors": [sel...], "pick": "<css inside the match>" (optional), "index": n (the n-th
//         pick, default 0), "read": "text" | "html" | "attribute", "attributes": ["name", ...]
//         (read "attribute": the first one the element has) }

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"

#include <QByteArrayView>
#include <QDate>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace odis::sync {

inline constexpr QLatin1StringView kSelectorProfileInvalid{codes::kSelectorProfileInvalid};
inline constexpr QLatin1StringView kSelectorProfileUnreadable{codes::kSelectorProfileUnreadable};

// The fields the agent reads from each page (the keys of "fields").
namespace dom_field {
// schedule rows
inline constexpr QLatin1StringView kAppointmentId{"appointment_id"};
inline constexpr QLatin1StringView kConsultationId{"consultation_id"};
inline constexpr QLatin1StringView kRowKind{"row_kind"}; // "visit" | "block" | "roster"
inline constexpr QLatin1StringView kRoom{"room"};
inline constexpr QLatin1StringView kStart{"start"}; // "YYYY-MM-DDTHH:MM:SS", clinic-local
inline constexpr QLatin1StringView kEnd{"end"};
inline constexpr QLatin1StringView kPatientName{"patient_name"};
inline constexpr QLatin1StringView kClientFirstName{"client_first_name"};
inline constexpr QLatin1StringView kClientLastName{"client_last_name"};
inline constexpr QLatin1StringView kClientPhone{"client_phone"};
inline constexpr QLatin1StringView kProviderName{"provider_name"};
inline constexpr QLatin1StringView kAppointmentType{"appointment_type"};
inline constexpr QLatin1StringView kStatus{"status"};
// consultation page (also: appointment_id, patient_name, client_*, provider_name, status)
inline constexpr QLatin1StringView kPatientSpecies{"patient_species"};
inline constexpr QLatin1StringView kPatientBreed{"patient_breed"};
inline constexpr QLatin1StringView kClientEmail{"client_email"};
inline constexpr QLatin1StringView kVisitDate{"visit_date"}; // "YYYY-MM-DD[ HH:MM[:SS]]"
inline constexpr QLatin1StringView kReason{"reason"};
inline constexpr QLatin1StringView kNotes{"notes"};
inline constexpr QLatin1StringView kDischargeSummary{"discharge_summary"};
// product lines
inline constexpr QLatin1StringView kProductLines{"product_lines"};
inline constexpr QLatin1StringView kLineId{"line_id"};
inline constexpr QLatin1StringView kLineName{"name"};
inline constexpr QLatin1StringView kLineQuantity{"quantity"};
inline constexpr QLatin1StringView kLineDeclined{"declined"};
} // namespace dom_field

enum class SelectorKind
{
    TestId,
    NameId,
    Class,
    Text,
    Css,
    Self,
};

struct Selector
{
    SelectorKind kind = SelectorKind::TestId;
    QString value; // empty for Self

    friend bool operator==(const Selector&, const Selector&) = default;
};

enum class ReadAs
{
    Text, // textContent, white space collapsed and trimmed
    Html, // innerHTML, as the browser serialises it
    Attribute,
};

struct FieldRule
{
    QList<Selector> selectors; // tried in order; the first that matches wins
    QString pick;              // optional CSS selector inside the match
    int index = 0;             // which `pick` match
    ReadAs read = ReadAs::Text;
    QStringList attributes; // ReadAs::Attribute: the first the element has

    friend bool operator==(const FieldRule&, const FieldRule&) = default;
};

struct ListRule
{
    QList<Selector> rows;
    QMap<QString, FieldRule> fields;

    friend bool operator==(const ListRule&, const ListRule&) = default;
};

struct PageRule
{
    QString path; // with {date} (schedule) or {id} (consultation)
    QList<Selector> root;
    QList<Selector> rows; // schedule: one per appointment
    QMap<QString, FieldRule> fields;
    QMap<QString, ListRule> lists;

    friend bool operator==(const PageRule&, const PageRule&) = default;
};

struct SelectorProfile
{
    QString name;
    QString revision;
    QString testIdAttribute = QStringLiteral("data-testid");
    PageRule schedule;
    PageRule consultation;

    // "/schedule?date=2026-03-10"; "/consultations/482913/details" (the id is digits, checked by callers).
    [[nodiscard]] QString schedulePath(QDate date) const;
    [[nodiscard]] QString consultationPath(const QString& consultationId) const;

    friend bool operator==(const SelectorProfile&, const SelectorProfile&) = default;
};

// Parses format 1. Errors: kSelectorProfileInvalid, its message naming the JSON path
// ("pages.schedule.fields.start.selectors[1].kind: unknown kind \"xpath\"").
[[nodiscard]] Result<SelectorProfile> parseSelectorProfile(QByteArrayView json);

// What resources/scripts/dom_extract.js receives for one page: the page's selectors turned into
// queries ({css} | {label} | {self}), each field's pick/index/read/attributes, and how long to wait
// for the root to appear (pages that render with JavaScript).
[[nodiscard]] QJsonObject domScriptArgs(const SelectorProfile& profile, const PageRule& page, int settleMs);

} // namespace odis::sync
