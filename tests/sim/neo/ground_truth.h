#pragma once

// The simulator's independent ground truth: what a PERFECT agent that synced at exactly the given times
// would have uploaded (docs/idexx-neo.md "Settled in this project", docs/discharge-rules.md,
// docs/backend-api.md "Payload fields, exactly"). It shares no code with the agent (sync/core): the two
// implementations of the rules check each other end to end.
//
// At each sync time: read the schedule window, keep every appointment's latest state, mark the ones
// that vanished from the window removed, read the consultations the agent reads (never read; schedule
// row changed; or visit ended less than lookback_hours ago and last read more than 60 minutes ago),
// note every patient's end-of-life finding, then decide every appointment of the window, keep live
// calls sticky, cancel the ones that became invalid, plan again a removed one that came back, stagger
// the new ones and group the calls per owner and day.
//
// Output:
// { "sync_times": ["2026-03-10T12:00:00Z", ...],
//   "appointments": [{neo_appointment_id, neo_consultation_id, date, start_time, end_time, status,
//                     status_raw, appointment_type, reason, is_block, room_id, patient {id, name},
//                     client {id, first_name, last_name, email, phone_e164, phone_raw}, removed}],
//   "consultations": [{neo_consultation_id, neo_appointment_id, has_notes, notes_text,
//                      discharge_summary, products_services, declined_products_services}],
//   "discharge_calls": [{neo_appointment_id, neo_consultation_id, decision, reason, scheduled_for,
//                        scheduled_for_local, customer_phone, group, grouped_into}] }
// each list sorted by its numeric id. As docs/backend-api.md marks them: missing ids, e-mails, phones,
// the consultation id and unplanned times are null; names and texts are strings ("" for the patient and
// client of blocks and roster rows); `group` and `grouped_into` are null where the item leaves them out.

#include "storage/result.h"
#include "tests/sim/neo/clinic_model.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>

#include <optional>

namespace odis::sim::neo {

// One sync of the perfect agent. A run whose every page-data answer failed or drifted (a fault on Neo's
// consultation route) read the schedule but no consultation: `consultationsRead` false, so none counts
// as read then (the next sync reads again what was due, as the agent does) and its decisions rest on the
// earlier reads. A run that read some of the consultations it was due to read and failed the rest (some
// answers failed, a visit's rows drifted) names the ones it read in `onlyConsultations`: the others count
// as unread then, so the next sync reads them, at its own time, as the agent does. (Which reads succeeded
// is the run's to tell; what they read stays the simulator's.)
struct TruthSync
{
    QDateTime atUtc;
    bool consultationsRead = true;
    std::optional<QSet<qint64>> onlyConsultations; // set: of the due ones, only these were read
};

// Syncs may be given in any order (they are sorted; syncs at one instant count once, with the
// consultations read when any of them read them). Fails with "invalid_clinic_profile" for a malformed
// profile and "clinic_zone_mismatch" when the profile's zone is not the clinic's.
[[nodiscard]] Result<QJsonObject> computeGroundTruthOfSyncs(const ClinicModel& model,
                                                            const QJsonObject& clinicProfile,
                                                            const QList<TruthSync>& syncs);
// Every sync read everything it was due to read.
[[nodiscard]] Result<QJsonObject> computeGroundTruth(const ClinicModel& model,
                                                     const QJsonObject& clinicProfile,
                                                     const QList<QDateTime>& syncTimesUtc);

} // namespace odis::sim::neo
