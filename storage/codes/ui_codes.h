#pragma once

// Error codes (odis::Error::code) of ui/: the tray, the setup window and the dashboard.
// Each wire string is spelled here and nowhere else in product code (tst_error_codes checks it): the
// backend contract, run reports, telemetry and tests depend on it. docs/error-codes.md says what each
// code means and where it shows.

#include <QLatin1StringView>

namespace odis::codes {

inline constexpr QLatin1StringView kSetupNoLogin{"setup_no_login"};

} // namespace odis::codes
