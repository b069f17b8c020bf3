#pragma once

#include "tests/sim/neo/clinic_model.h"
#include "tests/sim/neo/neo_variants.h"

#include <QByteArray>
#include <QDate>
#include <QList>

namespace odis::sim::neo {

// The HTML pages the agent's DOM fallback reads. Every field carries three hooks so that a selector
// profile can try them in order: a test id (`data-testid`), an id, a class. The Changed layout renames
// all of them (`data-qa`, other ids and classes, `data-booking-ref` instead of `data-appointment-id`).
//
// Every field element carries data-testid = class = the field's name, and id = <scope><name>.
// Standard hooks, schedule (`/schedule?date=`):
//   table  #schedule_table .schedule-table [data-testid=schedule-table][data-date]
//   row    tr.appointment-row[data-testid=appointment-row][data-appointment-id][data-consultation-id]
//          [data-row-kind=visit|block|roster][data-room]
//   cells  appointment-time, patient-name, client-name (with .client-last-name, .client-first-name),
//          client-phone (a[href^="tel:"]), provider-name, appointment-type, appointment-status;
//          ids appointment-<appointment id>-<field>; a last cell holds a.consultation-link when the
//          visit has a consultation.
// Standard hooks, consultation (`/consultations/{id}/details`):
//   section #consultation_details[data-consultation-id][data-appointment-id]; fields patient-name,
//   patient-species, patient-breed, client-name, client-phone (a[href^="tel:"]), client-email,
//   provider-name, visit-date, appointment-type, appointment-status, visit-reason (ids
//   consultation-<field>); div.clinical-notes, div.discharge-summary; table.product-lines with
//   tr.product-line[data-line-id][data-declined] (.declined when declined) holding .product-name,
//   .product-quantity, .product-declined.

[[nodiscard]] QByteArray schedulePage(const QDate& date, const QList<SimAppointment>& rows,
                                      PageLayout layout);
[[nodiscard]] QByteArray consultationDetailsPage(const SimAppointment& appointment, PageLayout layout);

// `tel:` target of a raw phone: digits, keeping a leading plus.
[[nodiscard]] QString telHref(const QString& rawPhone);

} // namespace odis::sim::neo
