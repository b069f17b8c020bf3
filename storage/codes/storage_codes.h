#pragma once

// Error codes (odis::Error::code) of storage/: the encrypted store, the keychain, field encryption, the audit
// log, logging. Each wire string is spelled here and nowhere else in product code (tst_error_codes checks
// it): the backend contract, run reports, telemetry and tests depend on it. docs/error-codes.md says what
// each code means and where it shows.

#include <QLatin1StringView>

namespace odis::codes {

inline constexpr QLatin1StringView kAuditAnchorCorrupt{"audit_anchor_corrupt"};
inline constexpr QLatin1StringView kAuditAnchorInvalid{"audit_anchor_invalid"};
inline constexpr QLatin1StringView kAuditAnchorMismatch{"audit_anchor_mismatch"};
inline constexpr QLatin1StringView kAuditEntryUnknown{"audit_entry_unknown"};
inline constexpr QLatin1StringView kAuditFieldInvalid{"audit_field_invalid"};
inline constexpr QLatin1StringView kAuditKeyInvalid{"audit_key_invalid"};
inline constexpr QLatin1StringView kAuditKeyMissing{"audit_key_missing"};
inline constexpr QLatin1StringView kCredentialStateUnknown{"credential_state_unknown"};
inline constexpr QLatin1StringView kCredentialTransitionRefused{"credential_transition_refused"};
inline constexpr QLatin1StringView kDbCheckFailed{"db_check_failed"};
inline constexpr QLatin1StringView kDbCipherUnsupported{"db_cipher_unsupported"};
inline constexpr QLatin1StringView kDbKeyInvalid{"db_key_invalid"};
inline constexpr QLatin1StringView kDbKeyMissing{"db_key_missing"};
inline constexpr QLatin1StringView kDbKeyRejected{"db_key_rejected"};
inline constexpr QLatin1StringView kDbMigrationFailed{"db_migration_failed"};
inline constexpr QLatin1StringView kDbMoveAsideFailed{"db_move_aside_failed"};
inline constexpr QLatin1StringView kDbNestedTransaction{"db_nested_transaction"};
inline constexpr QLatin1StringView kDbNewerThanProgram{"db_newer_than_program"};
inline constexpr QLatin1StringView kDbNotSqlcipher{"db_not_sqlcipher"};
inline constexpr QLatin1StringView kDbOpenFailed{"db_open_failed"};
inline constexpr QLatin1StringView kDbQueryFailed{"db_query_failed"};
inline constexpr QLatin1StringView kDbRemoveFailed{"db_remove_failed"};
inline constexpr QLatin1StringView kFieldAuthFailed{"field_auth_failed"};
inline constexpr QLatin1StringView kFieldKeyCurrent{"field_key_current"};
inline constexpr QLatin1StringView kFieldKeyDuplicate{"field_key_duplicate"};
inline constexpr QLatin1StringView kFieldKeyInvalid{"field_key_invalid"};
inline constexpr QLatin1StringView kFieldKeyUnknown{"field_key_unknown"};
inline constexpr QLatin1StringView kFieldKeyringMalformed{"field_keyring_malformed"};
inline constexpr QLatin1StringView kFieldMalformed{"field_malformed"};
inline constexpr QLatin1StringView kGcmAuthFailed{"gcm_auth_failed"};
inline constexpr QLatin1StringView kGcmCryptoFailed{"gcm_crypto_failed"};
inline constexpr QLatin1StringView kGcmInvalidKey{"gcm_invalid_key"};
inline constexpr QLatin1StringView kGcmInvalidNonce{"gcm_invalid_nonce"};
inline constexpr QLatin1StringView kGcmInvalidTag{"gcm_invalid_tag"};
inline constexpr QLatin1StringView kIdexxCredentialsIncomplete{"idexx_credentials_incomplete"};
inline constexpr QLatin1StringView kIdexxCredentialsInvalid{"idexx_credentials_invalid"};
inline constexpr QLatin1StringView kIdexxCredentialsMissing{"idexx_credentials_missing"};
inline constexpr QLatin1StringView kIdexxCredentialsRejected{"idexx_credentials_rejected"};
inline constexpr QLatin1StringView kIdexxCredentialsUnvalidated{"idexx_credentials_unvalidated"};
inline constexpr QLatin1StringView kInstallIdInvalid{"install_id_invalid"};
inline constexpr QLatin1StringView kInstallIdUnreadable{"install_id_unreadable"};
inline constexpr QLatin1StringView kInstallIdWriteFailed{"install_id_write_failed"};
inline constexpr QLatin1StringView kInvalidLogOptions{"invalid_log_options"};
inline constexpr QLatin1StringView kKeychainDenied{"keychain_denied"};
inline constexpr QLatin1StringView kKeychainError{"keychain_error"};
// Also the alert of that name.
inline constexpr QLatin1StringView kKeychainUnavailable{"keychain_unavailable"};
inline constexpr QLatin1StringView kLogFileUnavailable{"log_file_unavailable"};
inline constexpr QLatin1StringView kLogFilesNotRemoved{"log_files_not_removed"};
inline constexpr QLatin1StringView kLogFolderUnavailable{"log_folder_unavailable"};
inline constexpr QLatin1StringView kNeoOriginInvalid{"neo_origin_invalid"};
inline constexpr QLatin1StringView kPrivateFileFailed{"private_file_failed"};
inline constexpr QLatin1StringView kPrivateFolderFailed{"private_folder_failed"};
inline constexpr QLatin1StringView kRandomUnavailable{"random_unavailable"};
inline constexpr QLatin1StringView kSecretDamaged{"secret_damaged"};
inline constexpr QLatin1StringView kSecretTooLarge{"secret_too_large"};
inline constexpr QLatin1StringView kAgentRevoked{"agent_revoked"}; // credentials of a deprovisioned install

} // namespace odis::codes
