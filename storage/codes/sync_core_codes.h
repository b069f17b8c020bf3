#pragma once

// Error codes (odis::Error::code) of sync/core/: the parsers of Neo's answers, the contract
// checks, clinic policy, payloads, discharge planning, phone numbers; and the run warnings
// (sync/core/run_warnings.h) a run report carries.
// Each wire string is spelled here and nowhere else in product code (tst_error_codes checks it): the
// backend contract, run reports, telemetry and tests depend on it. docs/error-codes.md says what each
// code means and where it shows.

#include <QLatin1StringView>

namespace odis::codes {

inline constexpr QLatin1StringView kClinicCountryUnknown{"clinic_country_unknown"};
inline constexpr QLatin1StringView kClinicPolicyOutOfRange{"clinic_policy_out_of_range"};
inline constexpr QLatin1StringView kClinicProfileInvalid{"clinic_profile_invalid"};
inline constexpr QLatin1StringView kClinicTimeInvalid{"clinic_time_invalid"};
inline constexpr QLatin1StringView kClinicTimezoneUnknown{"clinic_timezone_unknown"};
inline constexpr QLatin1StringView kDischargeInputInvalid{"discharge_input_invalid"};
inline constexpr QLatin1StringView kDischargeItemInvalid{"discharge_item_invalid"};
inline constexpr QLatin1StringView kDischargeNoCallSlot{"discharge_no_call_slot"};
inline constexpr QLatin1StringView kEndOfLifeVocabularyInvalid{"end_of_life_vocabulary_invalid"};
inline constexpr QLatin1StringView kEndOfLifeVocabularyUnreadable{"end_of_life_vocabulary_unreadable"};
// A Neo id that is not a positive integer in range.
inline constexpr QLatin1StringView kInvalidId{"invalid_id"};
inline constexpr QLatin1StringView kInvalidLocalTime{"invalid_local_time"};
inline constexpr QLatin1StringView kNeoDomAnswerInvalid{"neo_dom_answer_invalid"};
inline constexpr QLatin1StringView kNeoHtmlInsteadOfJson{"neo_html_instead_of_json"};
inline constexpr QLatin1StringView kNeoHttpError{"neo_http_error"};
inline constexpr QLatin1StringView kNeoIdMismatch{"neo_id_mismatch"};
inline constexpr QLatin1StringView kNeoInvalidJson{"neo_invalid_json"};
inline constexpr QLatin1StringView kNeoNotFound{"neo_not_found"};
inline constexpr QLatin1StringView kNeoOriginListInvalid{"neo_origin_list_invalid"};
inline constexpr QLatin1StringView kNeoOriginNotAllowed{"neo_origin_not_allowed"};
inline constexpr QLatin1StringView kNeoRateLimited{"neo_rate_limited"};
inline constexpr QLatin1StringView kNeoServerError{"neo_server_error"};
inline constexpr QLatin1StringView kNeoSessionExpired{"neo_session_expired"};
inline constexpr QLatin1StringView kNeoUnexpectedShape{"neo_unexpected_shape"};
inline constexpr QLatin1StringView kNeoLayoutChanged{"neo_layout_changed"}; // also a run warning
inline constexpr QLatin1StringView kNeoReadsFailed{"neo_reads_failed"};
inline constexpr QLatin1StringView kNeoValueTooLong{"neo_value_too_long"};
inline constexpr QLatin1StringView kNeoInvalidUtf8{"neo_invalid_utf8"};
inline constexpr QLatin1StringView kNeoFieldDrift{"neo_field_drift"};
inline constexpr QLatin1StringView kNeoVolumeCollapse{"neo_volume_collapse"};
// A run warning: a destructive change waits for a second read.
inline constexpr QLatin1StringView kHeldBack{"held_back"};
inline constexpr QLatin1StringView kNeoDrift{"neo_drift"}; // a run warning that does not make the run partial
inline constexpr QLatin1StringView kObservationPayloadInvalid{"observation_payload_invalid"};
inline constexpr QLatin1StringView kPayloadFieldUnknown{"payload_field_unknown"};
inline constexpr QLatin1StringView kPayloadIncomplete{"payload_incomplete"};
inline constexpr QLatin1StringView kPayloadInputInvalid{"payload_input_invalid"};
inline constexpr QLatin1StringView kPhoneEmpty{"phone_empty"};
inline constexpr QLatin1StringView kPhoneInvalid{"phone_invalid"};
inline constexpr QLatin1StringView kPhoneNoCountry{"phone_no_country"};
inline constexpr QLatin1StringView kPhoneNotANumber{"phone_not_a_number"};
inline constexpr QLatin1StringView kPhoneNotPersonal{"phone_not_personal"};
inline constexpr QLatin1StringView kReconcileInputInvalid{"reconcile_input_invalid"};
inline constexpr QLatin1StringView kSelectorProfileInvalid{"selector_profile_invalid"};
inline constexpr QLatin1StringView kSelectorProfileUnreadable{"selector_profile_unreadable"};

} // namespace odis::codes
