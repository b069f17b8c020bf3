#pragma once

#include <QLatin1StringView>

namespace odis::sync {

// Stable error codes of the Neo session (odis::Error::code). They reach run reports, telemetry and
// alerts; the scheduler keys on them (a rejected login suspends the credentials, a second factor waits
// for a person). Messages name the step, never a secret, a cookie or clinic data.
namespace neo_session_error {
inline constexpr QLatin1StringView kConfigInvalid{"neo_config_invalid"}; // origin not https, bad path
inline constexpr QLatin1StringView kTlsError{"neo_tls_error"};           // certificate refused
inline constexpr QLatin1StringView kLoginRejected{"neo_login_rejected"}; // Neo refused the credentials
inline constexpr QLatin1StringView kSecondFactorRequired{"neo_second_factor_required"};
inline constexpr QLatin1StringView kLoginUnexpected{"neo_login_unexpected"}; // nothing was submitted
// The form was submitted and Neo's answer is neither a success, its known rejection nor a second factor
// (an unknown page, a time-out, a page that broke): the credentials are not suspended for it.
inline constexpr QLatin1StringView kLoginUnknownOutcome{"neo_login_unknown_outcome"};
inline constexpr QLatin1StringView kCredentialsIncomplete{"neo_credentials_incomplete"}; // form asks more
inline constexpr QLatin1StringView kLoginRefused{"neo_login_refused"}; // this session will not submit again
inline constexpr QLatin1StringView kNotLoggedIn{"neo_not_logged_in"};  // a call before a login
inline constexpr QLatin1StringView kSessionLost{"neo_session_lost"};   // still expired after a new login
inline constexpr QLatin1StringView kPageLoadFailed{"neo_page_load_failed"};  // the origin page did not load
inline constexpr QLatin1StringView kRendererCrashed{"neo_renderer_crashed"}; // beyond the recovery budget
inline constexpr QLatin1StringView kPageHung{"neo_page_hung"};               // beyond the recovery budget
inline constexpr QLatin1StringView kCallTimeout{"neo_call_timeout"};         // Neo did not answer a call
inline constexpr QLatin1StringView kNetworkError{"neo_network_error"};       // fetch got no HTTP answer
inline constexpr QLatin1StringView kScriptFailed{"neo_script_failed"};       // a page script misbehaved
inline constexpr QLatin1StringView kSessionClosed{"neo_session_closed"};     // close() ended the work
} // namespace neo_session_error

} // namespace odis::sync
