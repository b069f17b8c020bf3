#pragma once

// Error codes (odis::Error::code) of sync/neo/: the Neo session (login, page, calls) and its read.
// Each wire string is spelled here and nowhere else in product code (tst_error_codes checks it): the
// backend contract, run reports, telemetry and tests depend on it. docs/error-codes.md says what each
// code means and where it shows.

#include <QLatin1StringView>

namespace odis::codes {

inline constexpr QLatin1StringView kDiagnosticsEmpty{"diagnostics_empty"};
inline constexpr QLatin1StringView kNeoCallTimeout{"neo_call_timeout"};
inline constexpr QLatin1StringView kNeoConfigInvalid{"neo_config_invalid"};
inline constexpr QLatin1StringView kNeoCredentialsIncomplete{"neo_credentials_incomplete"};
inline constexpr QLatin1StringView kNeoHandoverInvalid{"neo_handover_invalid"};
inline constexpr QLatin1StringView kNeoLoginRefused{"neo_login_refused"};
inline constexpr QLatin1StringView kNeoLoginRejected{"neo_login_rejected"};
inline constexpr QLatin1StringView kNeoLoginUnexpected{"neo_login_unexpected"};
// Also the alert after two in a row.
inline constexpr QLatin1StringView kNeoLoginUnknownOutcome{"neo_login_unknown_outcome"};
inline constexpr QLatin1StringView kNeoNetworkError{"neo_network_error"};
inline constexpr QLatin1StringView kNeoNotLoggedIn{"neo_not_logged_in"};
inline constexpr QLatin1StringView kNeoPageHung{"neo_page_hung"};
inline constexpr QLatin1StringView kNeoPageLoadFailed{"neo_page_load_failed"};
inline constexpr QLatin1StringView kNeoReadConfigInvalid{"neo_read_config_invalid"};
inline constexpr QLatin1StringView kNeoRendererCrashed{"neo_renderer_crashed"};
inline constexpr QLatin1StringView kNeoScriptFailed{"neo_script_failed"};
inline constexpr QLatin1StringView kNeoSecondFactorRequired{"neo_second_factor_required"};
inline constexpr QLatin1StringView kNeoSessionClosed{"neo_session_closed"};
inline constexpr QLatin1StringView kNeoSessionLost{"neo_session_lost"};
inline constexpr QLatin1StringView kNeoTlsError{"neo_tls_error"};

} // namespace odis::codes
