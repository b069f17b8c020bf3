#pragma once

#include "storage/result.h"

namespace odis::sim {
class SimHttpServer;
}

namespace odis::sim::neo {

struct NeoState;

// The Neo-specific admin API, under /__admin (loopback only, through the common server's guard; the common
// routes /faults, /requests and /routes sit next to it). Bodies are JSON; a bad value answers 400
// {"error": "bad_request", "details": {"message": ...}} and changes nothing.
//   GET  /state                    everything below in one object
//   GET  /clock                    {now, speed}
//   PUT  /clock                    {now?: UTC ISO 8601, speed?: factor}
//   POST /clock/advance            {seconds}
//   GET  /variants                 the switches (see NeoVariants)
//   PUT  /variants                 a partial object: only the keys present change
//   GET  /session                  {idle_seconds, absolute_seconds, active}
//   PUT  /session                  {idle_seconds?, absolute_seconds?}
//   POST /session/expire           every open session expires now
//   GET  /lockout                  {threshold, lock_seconds}
//   PUT  /lockout                  {threshold?, lock_seconds?}
//   POST /unlock                   lifts a lock and forgets earlier failures
//   GET  /login-attempts           {attempts, second_factor_attempts, by_outcome, locked, ...}
//   DELETE /login-attempts         resets the counts
//   GET  /json-headers             per JSON route: how many calls sent Accept JSON / X-Requested-With
//   GET  /credentials              {company_id, username, password, second_factor_code, second_factor}
//   GET  /clinic-profile           the clinic profile the ground truth uses
//   PUT  /clinic-profile           replace it (validated)
//   GET  /sync-times               the simulated times of the schedule reads answered with data (JSON
//                                  endpoint or /schedule page)
//   DELETE /sync-times             forget them
//   GET  /note-times               {notes: [{neo_appointment_id, neo_consultation_id, written_at}]}: when
//   each
//                                  consultation's notes were first written (the model's timeline)
//   GET  /ground-truth?at=<UTC>[&sync_times=t1,t2,...]
//                                  computeGroundTruth (ground_truth.h): what a perfect agent would have
//                                  uploaded by `at` (default now) had it synced at the given times (default:
//                                  the recorded sync times up to `at`); times after `at` are ignored
[[nodiscard]] odis::Status addNeoAdminRoutes(SimHttpServer& server, NeoState& state);

} // namespace odis::sim::neo
