#pragma once

#include "storage/codes/neo_codes.h"

#include <QLatin1StringView>

namespace odis::sync {

// Stable error codes of the Neo session (odis::Error::code). They reach run reports, telemetry and
// alerts; the scheduler keys on them (a rejected login suspends the credentials, a second factor waits
// for a person). Messages name the step, never a secret, a cookie or clinic data.
namespace neo_session_error {
inline constexpr QLatin1StringView kConfigInvalid{codes::kNeoConfigInvalid}; // origin not https, bad path
inline constexpr QLatin1StringView kTlsError{codes::kNeoTlsError};           // certificate refused
inline constexpr QLatin1StringView kLoginRejected{codes::kNeoLoginRejected}; // Neo refused the credentials
inline constexpr QLatin1StringView kSecondFactorRequired{codes::kNeoSecondFactorRequired};
inline constexpr QLatin1StringView kLoginUnexpected{codes::kNeoLoginUnexpected}; // nothing was submitted
// The form was submitted and Neo's answer is neither a success, its known rejection nor a second factor
// (an unknown page, a time-out, a page that broke): the credentials are not suspended for it.
inline constexpr QLatin1StringView kLoginUnknownOutcome{codes::kNeoLoginUnknownOutcome};
inline constexpr QLatin1StringView kCredentialsIncomplete{codes::kNeoCredentialsIncomplete}; // form asks more
inline constexpr QLatin1StringView kLoginRefused{
    codes::kNeoLoginRefused};                                            // this session will not submit again
inline constexpr QLatin1StringView kNotLoggedIn{codes::kNeoNotLoggedIn}; // a call before a login
inline constexpr QLatin1StringView kSessionLost{codes::kNeoSessionLost}; // still expired after a new login
inline constexpr QLatin1StringView kPageLoadFailed{codes::kNeoPageLoadFailed}; // the origin page did not load
inline constexpr QLatin1StringView kRendererCrashed{codes::kNeoRendererCrashed}; // beyond the recovery budget
inline constexpr QLatin1StringView kPageHung{codes::kNeoPageHung};               // beyond the recovery budget
inline constexpr QLatin1StringView kCallTimeout{codes::kNeoCallTimeout};         // Neo did not answer a call
inline constexpr QLatin1StringView kNetworkError{codes::kNeoNetworkError};       // fetch got no HTTP answer
inline constexpr QLatin1StringView kScriptFailed{codes::kNeoScriptFailed};       // a page script misbehaved
inline constexpr QLatin1StringView kSessionClosed{codes::kNeoSessionClosed};     // close() ended the work
} // namespace neo_session_error

} // namespace odis::sync
