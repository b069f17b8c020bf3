#pragma once

#include "storage/result.h"

#include <QJsonObject>
#include <QString>

namespace odis::sim::neo {

// Every behaviour of IDEXX Neo that the spec leaves open, as a switch the admin API can flip at run
// time. Defaults are "today's Neo": current JSON shapes, 401 on an expired session, company id field
// shown when the clinic has one, no second factor, the standard page layout. An endpoint that Neo has
// removed is a fault of the common fault plan (`removed`), not a variant.

// The JSON endpoints; their names are also their route names (fault plan, request counts).
enum class NeoEndpoint
{
    Schedule,        // /appointments/getCalendarEventData
    Consultation,    // /consultations/{id}/page-data
    ScheduleConfigs, // /schedule/getScheduleConfigs
    AppointmentView, // /appointments/getAppointmentView
    Appointment,     // /appointments/getAppointment
};

// Field set and envelope of the schedule are independent: "current" is current fields in a bare array,
// "older" is older fields under `events`; `appointments` and `data` envelopes were also seen.
enum class ScheduleFields
{
    Current,
    Older,
};
enum class ScheduleWrapper
{
    None,
    Events,
    Appointments,
    Data,
};
struct ScheduleShape
{
    ScheduleFields fields = ScheduleFields::Current;
    ScheduleWrapper wrapper = ScheduleWrapper::None;
};

enum class ConsultationShape
{
    Current,
    Older,
};

// Where the current consultation shape carries the discharge summary. Mixed alternates per consultation
// (by id parity) so that one clinic week exercises both reads.
enum class SummaryPlacement
{
    DischargeSummary,
    ConsultationNotes,
    Mixed,
};

// What a JSON call without a valid session gets. Auto answers like many web frameworks do: 401 JSON
// when the request asked for JSON (Accept or X-Requested-With), a redirect to /login otherwise.
enum class ExpiryMode
{
    Unauthorized,
    Redirect,
    Auto,
};

enum class CompanyIdField
{
    Auto, // shown when the clinic has a company id
    Shown,
    Hidden,
};

enum class UsernameField
{
    Username,  // input[name="username"]
    EmailOnly, // only input[type="email"] (named "email")
};

enum class ErrorStyle
{
    ErrorMessage, // .error-message
    AlertDanger,  // .alert-danger
    RoleAlert,    // [role="alert"]
    Unrecognised, // p.login-feedback: none of the hooks of docs/idexx-neo.md (a Neo the agent no longer
                  // reads)
};

enum class SecondFactor
{
    Off,
    Code,        // input[name="code"]
    Otp,         // input[name="otp"]
    Placeholder, // another name, placeholder containing "code"
};

// Changed renames every hook of the HTML pages (test ids, ids, classes, data attributes) so that a
// selector profile written for Standard finds nothing: the agent's neo_layout_changed path.
enum class PageLayout
{
    Standard,
    Changed,
};

struct NeoVariants
{
    ScheduleShape schedule;
    ConsultationShape consultation = ConsultationShape::Current;
    SummaryPlacement summary = SummaryPlacement::Mixed;
    ExpiryMode expiry = ExpiryMode::Unauthorized;
    CompanyIdField companyIdField = CompanyIdField::Auto;
    UsernameField usernameField = UsernameField::Username;
    ErrorStyle errorStyle = ErrorStyle::ErrorMessage;
    SecondFactor secondFactor = SecondFactor::Off;
    // Every login page shows a notice in a [role=alert] element (maintenance, news): an alert that says
    // nothing about the password.
    bool loginBanner = false;
    PageLayout layout = PageLayout::Standard;

    [[nodiscard]] QJsonObject toJson() const;
    // Applies the keys present in `patch` on top of this; an unknown key or value is an error
    // (code "bad_variant") and leaves nothing half-applied.
    [[nodiscard]] odis::Result<NeoVariants> merged(const QJsonObject& patch) const;
};

[[nodiscard]] QString endpointName(NeoEndpoint endpoint);

} // namespace odis::sim::neo
