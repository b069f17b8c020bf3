#pragma once

#include "storage/result.h"

namespace odis::sim {
class SimHttpServer;
}

namespace odis::sim::neo {

struct NeoState;

// What the agent reads, rendered from the clinic's snapshot at the simulator's now. Every route needs the
// neo_session cookie; JSON routes answer a missing or expired one as the expiry mode says, HTML pages
// redirect to /login.
//   JSON (route name = endpoint name, see NeoEndpoint):
//     GET /appointments/getCalendarEventData?start=&end=   schedule            (400 on bad bounds)
//     GET /consultations/{id}/page-data                     consultation        (404 unknown / not happened)
//     GET /schedule/getScheduleConfigs                      schedule_configs
//     GET /appointments/getAppointmentView                  appointment_view
//     GET /appointments/getAppointment?id=                  appointment         (400 bad id, 404 unknown)
//   HTML (DOM fallback):
//     GET /schedule?date=YYYY-MM-DD                         schedule_page       (default: clinic's today)
//     GET /consultations/{id}/details                       consultation_details
[[nodiscard]] odis::Status addDataRoutes(SimHttpServer& server, NeoState& state);

} // namespace odis::sim::neo
