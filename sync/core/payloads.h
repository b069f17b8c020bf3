#pragma once

// The `appointment` and `consultation` item payloads of a sync batch, built from the Neo parsers'
// types with exactly the fields docs/backend-api.md lists ("Item kinds", "Payload fields, exactly"),
// and nothing else: whatever else Neo sent stays on this machine. (`discharge_call` payloads are
// discharge_call_item.h's.)

#include "storage/codes/sync_core_codes.h"
#include "storage/result.h"
#include "sync/core/neo_types.h"
#include "sync/core/phone_e164.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QTimeZone>

namespace odis::sync {

// A caller bug: a consultation or appointment detail that belongs to another appointment, a clinic
// zone that is not an IANA zone.
inline constexpr QLatin1StringView kPayloadInputInvalid{codes::kPayloadInputInvalid};
// Neo did not give what a required field needs (a schedule row without a valid start, a consultation
// without any date): the item cannot be sent as the contract wants it.
inline constexpr QLatin1StringView kPayloadIncomplete{codes::kPayloadIncomplete};
// A field this run could not read (Neo stopped sending it) and that no stored payload holds: the item
// waits for a read that has it rather than go out with the field empty.
inline constexpr QLatin1StringView kPayloadFieldUnknown{codes::kPayloadFieldUnknown};

// What the agent has about one appointment when it builds its payload.
struct AppointmentSources
{
    const NeoScheduleEvent& event; // the schedule row read in this run
    // page-data of event.consultationId, read in this run; nullptr when it was not read in this run.
    const NeoConsultation* consultation = nullptr;
    // getAppointment of event.appointmentId, fetched in this run; nullptr when it was not.
    const NeoAppointmentDetail* detail = nullptr;
    // The appointment's last stored payload; nullptr when there is none. It keeps what an earlier run
    // learnt from a source that is not read on every run (see appointmentPayload()).
    const QJsonObject* previous = nullptr;
    // A phone candidate of this run could not be read (the consultation's phone field that Neo stopped
    // sending, a phone cell the page does not have): an earlier number is kept rather than lost.
    bool phoneUnknown = false;
};

// The phone numbers of an appointment: the chosen candidate (choosePhone()) and its raw text; when none
// is valid, no E.164 number and the first non-empty candidate as raw. Empty means null.
struct PhoneFields
{
    QString e164;
    QString raw;

    bool operator==(const PhoneFields&) const = default;
};

// The candidates read in this run, in the order of docs/discharge-rules.md "Phones": the detail's
// mobile phone, the schedule row's phone (older shape: clientPhone), the consultation client's phone,
// the detail's home phone. All empty for a block or roster row, which has no client.
[[nodiscard]] VisitPhones phoneCandidates(const AppointmentSources& sources);

// The appointment's phone fields: the candidates of this run, or, for a finished visit whose detail
// was not fetched in this run, the number of the previous payload of the same client when it ranks
// better (phonePreference()) than this run's, or when this run has no valid number. getAppointment is
// asked only when the row has no first-choice number and the row changed (or the last fetch failed), so
// a missing detail means its numbers are those read before: a number read from it, or a transient
// failure, must not take away the number (and with it a planned call). The same when a candidate could
// not be read (phoneUnknown, a phone cell the DOM page does not have).
[[nodiscard]] PhoneFields appointmentPhone(const AppointmentSources& sources, const PhoneCountry& country);

// {neo_appointment_id, neo_consultation_id|null, date, start_time, end_time, timezone, status,
//  status_raw, appointment_type, reason, is_block, provider {id, name}, room_id|null,
//  patient {id|null, name, species|null}, client {id|null, first_name, last_name, email|null,
//  phone_e164|null, phone_raw|null}, removed: false}
// - phones: appointmentPhone() in the clinic's `country`.
// - date/start_time from the row's clinic-local start; end_time from its end, or the start when Neo
//   gave no valid end (the planner takes such a visit to end at its start as well).
// - status is the normalised status, status_raw Neo's string; is_block for blocks and roster rows,
//   whose patient and client are empty (ids, e-mail and phones null): they have none.
// - provider.id is null: the schedule row names the vet but does not give an id.
// - names are normalised (normaliseName()); the e-mail is trimmed, null when empty.
// - patient.species comes from the consultation read in this run; when it was not read, from the
//   previous payload if that was about the same consultation and patient (so an appointment does not
//   change every time its consultation is not read again); otherwise null.
// - what the row's source did not carry (NeoScheduleEvent::notCarried: the DOM fallback's pages show no
//   ids, e-mail or reason) keeps the previous payload's value; without one it is empty (null).
// Errors: kPayloadInputInvalid (consultation or detail of another visit, zone not IANA),
// kPayloadIncomplete (no valid start).
[[nodiscard]] Result<QJsonObject> appointmentPayload(const AppointmentSources& sources,
                                                     const QTimeZone& clinicZone,
                                                     const PhoneCountry& country);

// The removed form of an appointment from its last stored payload: `removed: true` and
// `removed_reason: "removed_from_pims"`; every other field as last seen.
[[nodiscard]] QJsonObject removedAppointmentPayload(QJsonObject lastStored);

// {neo_consultation_id, neo_appointment_id, date, status, reason, notes_html, notes_text,
//  discharge_summary, has_notes, products_services [{name, quantity}],
//  declined_products_services [{name, quantity}], providers [{id|null, name, role}]}
// - neo_appointment_id is the schedule row's (`event`, the row that names this consultation).
// - date is the consultation's clinic-local date, or the row's start date when Neo gave none.
// - status is the normalised status ("completed" for "Finalized").
// - notes_html is sanitizeNotesHtml() of Neo's notes (html_sanitizer.h: allowed markup only, the same
//   text); notes_text = htmlToText(notes_html), which is that of Neo's notes; discharge_summary is the
//   text form of the summary the parser kept (dischargeSummary, else consultationNotes.notes), "" when
//   none; has_notes when either text is non-empty.
// - product lines in Neo's order, split by isDeclined; providers' role is Neo's userType.
// - `summaryUnknown`: this run could not read the summary (Neo stopped sending its fields): the previous
//   payload's discharge_summary is kept. Providers named only (a DOM page) keep the previous payload's id
//   and role of the same name.
// Errors: kPayloadInputInvalid (the row names another consultation), kPayloadIncomplete (no date),
// kPayloadFieldUnknown (the summary is unknown and there is no previous payload to keep it from).
[[nodiscard]] Result<QJsonObject> consultationPayload(const NeoConsultation& consultation,
                                                      const NeoScheduleEvent& event,
                                                      const QJsonObject* previous = nullptr,
                                                      bool summaryUnknown = false);

} // namespace odis::sync
