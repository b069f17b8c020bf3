#pragma once

// What a telemetry event may carry (docs/backend-api.md, "Product analytics"): exactly five events, each
// with a fixed list of property names and types. Numbers, booleans and short machine codes only; a string
// that is not a code or one of its listed values is refused, so that a developer who passes a name, a
// phone number, an e-mail address or free text fails a test instead of leaking it to PostHog.
//
// Error codes (odis::Error::code), for a bug in the caller, never for a user's data:
//   telemetry_event_unknown         not one of the five events
//   telemetry_property_not_allowed  a property the event's list does not name
//   telemetry_property_missing      a required property is absent
//   telemetry_property_type         the wrong JSON type (a string for a count, an object, a negative or
//                                   fractional count, a number out of range)
//   telemetry_value_refused         a string that is not a code or an allowed value; the message says what
//                                   it looks like (e-mail, phone, free text, name), never the value itself

#include "storage/result.h"

#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>
#include <QStringList>

namespace odis::agent {

namespace telemetry_event {
inline constexpr QLatin1StringView kSyncStarted{"sync.started"};
inline constexpr QLatin1StringView kSyncCompleted{"sync.completed"};
inline constexpr QLatin1StringView kSyncFailed{"sync.failed"};
inline constexpr QLatin1StringView kDischargeScheduled{"discharge.scheduled"};
inline constexpr QLatin1StringView kCredentialValidated{"credential.validated"};
} // namespace telemetry_event

[[nodiscard]] QStringList telemetryEventNames();

// Checks an event's name and properties against the allow-list.
[[nodiscard]] Status checkTelemetryEvent(const QString& event, const QJsonObject& properties);

// A machine code as the agent writes them: snake_case of at least two words ("neo_login_rejected"),
// ASCII, at most 64 characters. Two words, because every code in the agent is "<area>_<what>" and a
// single lower-case word could as well be a name.
[[nodiscard]] bool isTelemetryCode(const QString& value);

} // namespace odis::agent
