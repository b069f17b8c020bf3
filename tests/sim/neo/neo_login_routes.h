#pragma once

#include "storage/result.h"

namespace odis::sim {
class SimHttpServer;
}

namespace odis::sim::neo {

struct NeoState;

// The pages a person (or the agent's embedded browser) goes through to get a session:
//   GET  /              home page (HTML on the Neo origin, from which fetch calls can be made)
//   GET  /login         login form (company id / user name / password variants); -> /dashboard when signed in
//   POST /login         form post: 302 /dashboard + neo_session cookie, 302 /login/verify + neo_2fa cookie,
//                       or the login page again with the reason (wrong credentials, empty field, locked)
//   GET  /login/verify  second-factor form
//   POST /login/verify  302 /dashboard + neo_session, or the form again with an error
//   GET  /logout        ends the session, 302 /login
//   GET  /dashboard     the page with #dashboard_shell
// Route names: home, login_page, login_submit, second_factor_page, second_factor_submit, logout, dashboard.
[[nodiscard]] odis::Status addLoginRoutes(SimHttpServer& server, NeoState& state);

} // namespace odis::sim::neo
