#pragma once

// Error codes (odis::Error::code) of agent/: the CLI, the resident agent, the run,
// telemetry; and the alert codes (agent/alerts/alert_rules.h AlertCode) that the tray, the heartbeat and
// telemetry show.
// Each wire string is spelled here and nowhere else in product code (tst_error_codes checks it): the
// backend contract, run reports, telemetry and tests depend on it. docs/error-codes.md says what each
// code means and where it shows.

#include <QLatin1StringView>

namespace odis::codes {

inline constexpr QLatin1StringView kAgentAlreadyRunning{"agent_already_running"};
inline constexpr QLatin1StringView kAgentNotRunning{"agent_not_running"};
inline constexpr QLatin1StringView kAgentStarting{"agent_starting"};
inline constexpr QLatin1StringView kAutostartRemoveFailed{"autostart_remove_failed"};
inline constexpr QLatin1StringView kAutostartWriteFailed{"autostart_write_failed"};
inline constexpr QLatin1StringView kCommandJournalCorrupt{"command_journal_corrupt"};
inline constexpr QLatin1StringView kConfigInvalid{"config_invalid"};
inline constexpr QLatin1StringView kConfigUnreadable{"config_unreadable"};
inline constexpr QLatin1StringView kControlAccessDenied{"control_access_denied"};
inline constexpr QLatin1StringView kControlBadAnswer{"control_bad_answer"};
inline constexpr QLatin1StringView kControlBadRequest{"control_bad_request"};
inline constexpr QLatin1StringView kControlDirUnsafe{"control_dir_unsafe"};
inline constexpr QLatin1StringView kControlDisconnected{"control_disconnected"};
inline constexpr QLatin1StringView kControlFailed{"control_failed"};
inline constexpr QLatin1StringView kControlListenFailed{"control_listen_failed"};
inline constexpr QLatin1StringView kControlTimeout{"control_timeout"};
inline constexpr QLatin1StringView kControlUnknownCommand{"control_unknown_command"};
inline constexpr QLatin1StringView kDeprovisioningInProgress{"deprovisioning_in_progress"};
inline constexpr QLatin1StringView kDiagnosticsWriteFailed{"diagnostics_write_failed"};
inline constexpr QLatin1StringView kHardeningFailed{"hardening_failed"};
inline constexpr QLatin1StringView kInputFileUnreadable{"input_file_unreadable"};
// A run that finished with some reads or items failed.
inline constexpr QLatin1StringView kItemsFailed{"items_failed"};
inline constexpr QLatin1StringView kLockFailed{"lock_failed"};
inline constexpr QLatin1StringView kLogUnreadable{"log_unreadable"};
inline constexpr QLatin1StringView kNeoOriginChanged{"neo_origin_changed"}; // also the alert of that name
inline constexpr QLatin1StringView kNoRun{"no_run"};
inline constexpr QLatin1StringView kPauseInvalid{"pause_invalid"};
inline constexpr QLatin1StringView kPeakRssResetUnsupported{"peak_rss_reset_unsupported"};
inline constexpr QLatin1StringView kPeakRssUnavailable{"peak_rss_unavailable"};
inline constexpr QLatin1StringView kRunAlreadyFinished{"run_already_finished"};
inline constexpr QLatin1StringView kRunCrashed{"run_crashed"};
// The agent stopped while the run was running.
inline constexpr QLatin1StringView kRunInterrupted{"run_interrupted"};
inline constexpr QLatin1StringView kRunNotFound{"run_not_found"};
inline constexpr QLatin1StringView kRunOutcomeInvalid{"run_outcome_invalid"};
inline constexpr QLatin1StringView kRunReportInvalid{"run_report_invalid"};
inline constexpr QLatin1StringView kRunReportNotFinished{"run_report_not_finished"};
inline constexpr QLatin1StringView kRunRowInvalid{"run_row_invalid"};
inline constexpr QLatin1StringView kRunStepUnknown{"run_step_unknown"};
inline constexpr QLatin1StringView kRunStopped{"run_stopped"};
inline constexpr QLatin1StringView kScheduleStateCorrupt{"schedule_state_corrupt"};
inline constexpr QLatin1StringView kSignalsInUse{"signals_in_use"};
inline constexpr QLatin1StringView kSignalsUnavailable{"signals_unavailable"};
inline constexpr QLatin1StringView kStoreMissing{"store_missing"};
inline constexpr QLatin1StringView kSyncAlreadyRunning{"sync_already_running"};
inline constexpr QLatin1StringView kSyncProgramFailed{"sync_program_failed"};
inline constexpr QLatin1StringView kSyncProgramMissing{"sync_program_missing"};
inline constexpr QLatin1StringView kTelemetryConfigInvalid{"telemetry_config_invalid"};
inline constexpr QLatin1StringView kTelemetryDisabled{"telemetry_disabled"};
inline constexpr QLatin1StringView kTelemetryEventIncomplete{"telemetry_event_incomplete"};
inline constexpr QLatin1StringView kTelemetryEventUnknown{"telemetry_event_unknown"};
inline constexpr QLatin1StringView kTelemetryFlushAborted{"telemetry_flush_aborted"};
inline constexpr QLatin1StringView kTelemetryPropertyMissing{"telemetry_property_missing"};
inline constexpr QLatin1StringView kTelemetryPropertyNotAllowed{"telemetry_property_not_allowed"};
inline constexpr QLatin1StringView kTelemetryPropertyType{"telemetry_property_type"};
inline constexpr QLatin1StringView kTelemetryRunNotFinished{"telemetry_run_not_finished"};
inline constexpr QLatin1StringView kTelemetryTimeInvalid{"telemetry_time_invalid"};
inline constexpr QLatin1StringView kTelemetryValueRefused{"telemetry_value_refused"};
inline constexpr QLatin1StringView kTestClockInvalid{"test_clock_invalid"};
inline constexpr QLatin1StringView kTestHoldInvalid{"test_hold_invalid"};
inline constexpr QLatin1StringView kTestNowInvalid{"test_now_invalid"};
inline constexpr QLatin1StringView kTestPacingInvalid{"test_pacing_invalid"};
inline constexpr QLatin1StringView kTestSeamInvalid{"test_seam_invalid"};
inline constexpr QLatin1StringView kZipDeflateFailed{"zip_deflate_failed"};
inline constexpr QLatin1StringView kZipInvalid{"zip_invalid"};

// Alert codes (AlertCode, agent/alerts/alert_rules.h). keychain_unavailable, neo_origin_changed and
// neo_login_unknown_outcome are alerts too; each is defined once, with its producer's codes.
inline constexpr QLatin1StringView kSyncFailureRate{"sync_failure_rate"};
inline constexpr QLatin1StringView kRunTooLong{"run_too_long"};
inline constexpr QLatin1StringView kConsecutiveFailures{"consecutive_failures"};
inline constexpr QLatin1StringView kNoRecentSuccess{"no_recent_success"};
inline constexpr QLatin1StringView kOutboxStale{"outbox_stale"};
inline constexpr QLatin1StringView kCredentialsRejected{"credentials_rejected"};
inline constexpr QLatin1StringView kSecondFactorNeeded{"second_factor_needed"};
inline constexpr QLatin1StringView kNeoLayoutDrift{"neo_layout_drift"};
inline constexpr QLatin1StringView kReenrollmentNeeded{"reenrollment_needed"};

} // namespace odis::codes
