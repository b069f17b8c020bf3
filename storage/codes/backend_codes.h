#pragma once

// Error codes (odis::Error::code) of sync/backend/: the backend client, enrollment and the
// outbox. The backend_* codes follow docs/backend-api.md ("Errors and how the agent reacts").
// Each wire string is spelled here and nowhere else in product code (tst_error_codes checks it): the
// backend contract, run reports, telemetry and tests depend on it. docs/error-codes.md says what each
// code means and where it shows.

#include <QLatin1StringView>

namespace odis::codes {

// 403 with this error: the install is wiped.
inline constexpr QLatin1StringView kAgentDeprovisioned{"agent_deprovisioned"};
inline constexpr QLatin1StringView kAgentNotEnrolled{"agent_not_enrolled"};
inline constexpr QLatin1StringView kAgentTokenMissing{"agent_token_missing"};
inline constexpr QLatin1StringView kBackendAuthRevoked{"backend_auth_revoked"}; // 401
inline constexpr QLatin1StringView kBackendBadResponse{"backend_bad_response"};
inline constexpr QLatin1StringView kBackendConfigInvalid{"backend_config_invalid"};
inline constexpr QLatin1StringView kBackendConnectionReset{"backend_connection_reset"};
inline constexpr QLatin1StringView kBackendIdempotencyConflict{"backend_idempotency_conflict"}; // 409
inline constexpr QLatin1StringView kBackendInvalidRequest{"backend_invalid_request"};           // 400 and 422
inline constexpr QLatin1StringView kBackendRateLimited{"backend_rate_limited"};
inline constexpr QLatin1StringView kBackendServerError{"backend_server_error"}; // 5xx and 408
inline constexpr QLatin1StringView kBackendTimeout{"backend_timeout"};
inline constexpr QLatin1StringView kBackendTlsFailed{"backend_tls_failed"};
inline constexpr QLatin1StringView kBackendTlsPinMismatch{"backend_tls_pin_mismatch"};
inline constexpr QLatin1StringView kBackendTooLarge{"backend_too_large"}; // 413
inline constexpr QLatin1StringView kBackendUnexpectedStatus{"backend_unexpected_status"};
inline constexpr QLatin1StringView kBackendUnreachable{"backend_unreachable"};
inline constexpr QLatin1StringView kDeprovisionFilesLeft{"deprovision_files_left"};
inline constexpr QLatin1StringView kEnrollmentBadResponse{"enrollment_bad_response"};
inline constexpr QLatin1StringView kEnrollmentClinicMismatch{"enrollment_clinic_mismatch"};
inline constexpr QLatin1StringView kEnrollmentCodeInvalid{"enrollment_code_invalid"};
inline constexpr QLatin1StringView kEnrollmentCodeMalformed{"enrollment_code_malformed"};
inline constexpr QLatin1StringView kGzipFailed{"gzip_failed"};
inline constexpr QLatin1StringView kOutboxBatchInconsistent{"outbox_batch_inconsistent"};
inline constexpr QLatin1StringView kOutboxBatchNotFound{"outbox_batch_not_found"};
inline constexpr QLatin1StringView kOutboxItemInvalid{"outbox_item_invalid"};
inline constexpr QLatin1StringView kOutboxItemNotFound{"outbox_item_not_found"};
inline constexpr QLatin1StringView kOutboxItemTooLarge{"outbox_item_too_large"};
inline constexpr QLatin1StringView kOutboxNotInTransaction{"outbox_not_in_transaction"};
// Not a failure: the next batch is not due yet.
inline constexpr QLatin1StringView kOutboxWaiting{"outbox_waiting"};
// Kept instead of a backend error that is not snake_case.
inline constexpr QLatin1StringView kUnreadableErrorCode{"unreadable_error_code"};
inline constexpr QLatin1StringView kUploadRunning{"upload_running"};

} // namespace odis::codes
